"""Issue 15, two points verified with tests that fail on the old behaviour:

- search shows each document once, never other people's finished work items labelled 待办 (the old flow search
  provider listed every work item of the subject, finished ones included, as “待办”);
- notifications say what happened: a 发文 at the end of its flow is 签发, not 办结 or “审批已完成”; a 收文 moving to
  承办 is not 已办结 (the old engine told every initiator “已办结：…”).
"""

from __future__ import annotations

import re

import pytest

from tests.incoming.test_pishi import dept, items, new_document
from zhongshu.flow.models import WorkItem
from zhongshu.flow.services import work_item_approve
from zhongshu.notify.models import Notification

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    return html.split('<main', 1)[1] if "<main" in html else html


def test_search_lists_a_handled_document_once_and_no_work_items(people, web, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index follows on commit
        doc = new_document(people, title="某市水利局关于开展汛前水毁工程专项排查的通知")
        work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={})
        work_item_approve(actor=people.deputy, item=items(doc).get(), opinion="同意。",
                          subject_data={"lead_department": dept("行政科", doc.organization)})
    finished = WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="incoming", status="done")
    assert finished.count() == 2  # the director's 拟办 and the deputy's 批示: other people's finished items
    for login in ("clerk", "director", "deputy"):
        page = _body(web(people[login]).get("/search/", {"q": "汛前水毁工程"}).content.decode())
        links = re.findall(r'href="([^"]+)"', page)
        assert links.count(doc.get_absolute_url()) == 1, (login, links)  # the document, once
        assert not [u for u in links if u.startswith("/flow/items/")], login  # no work item is a search hit
        assert ">待办<" not in page and "待办 ·" not in page


def test_signing_an_outgoing_is_not_told_as_finished(people):
    from zhongshu.outgoing.models import OutgoingDocument

    item = WorkItem.objects.filter(instance__business_type="outgoing", status="pending", kind="todo").order_by("id").first()
    instance = item.instance
    for _ in range(12):
        current = WorkItem.objects.filter(instance=instance, status="pending", kind="todo").first()
        if current is None:
            break
        work_item_approve(actor=current.assignee, item=current, opinion="同意。")
    doc = OutgoingDocument.objects.get(pk=instance.object_id)
    assert doc.status == "signed"
    told = list(Notification.objects.filter(recipient=instance.initiator, title__endswith=doc.title).values_list("title", flat=True))
    assert f"已签发，待办公室编号印制：{doc.title}" in told
    assert not [t for t in told if "办结" in t or "审批已完成" in t or "审批通过" in t], told


def test_incoming_to_undertaking_is_not_told_as_closed(people):
    doc = new_document(people, title="某市应急局关于做好森林防火巡查的通知")
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={})
    work_item_approve(actor=people.deputy, item=items(doc).get(), opinion="同意，请行政科办理。",
                      subject_data={"lead_department": dept("行政科", doc.organization)})
    doc.refresh_from_db()
    assert doc.status == "assigned"
    told = list(Notification.objects.filter(title__endswith=doc.title).values_list("title", flat=True))
    assert f"批示完成，已转承办：{doc.title}" in told
    assert not [t for t in told if "已办结" in t], told
