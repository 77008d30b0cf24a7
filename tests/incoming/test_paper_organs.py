"""Outside organs on paper as 收文 主办/协办 (issue 15 leftover 3): the 承办安排 names an organ of the address book
that is not on the platform; the office records on its behalf (sent on paper, 答复 received, result); the part shows
on the office's page and is the office's 待办; the 收文 cannot close while it is open; another office member reviews."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.incoming.test_pishi import dept, items, new_document
from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.flow.services import work_item_approve
from zhongshu.inbox.selectors import todo_for
from zhongshu.incoming import services
from zhongshu.incoming.forms import unit_choices, unit_from_value
from zhongshu.incoming.models import Undertaking
from zhongshu.org.models import ExternalOrgan

pytestmark = pytest.mark.django_db


def _organ(people, name="国网某县供电公司", platform=None) -> ExternalOrgan:
    from zhongshu.org.services import external_organ_save

    return external_organ_save(actor=people.admin, organization=people.clerk.organization, name=name, short_name="县供电公司",
                               doc_prefix="", relation="other", platform_organization=platform, order=99)


def _assigned_with_paper_co(people, organ):
    doc = new_document(people, title="某市发改委关于做好迎峰度冬电力保供工作的通知")
    org = doc.organization
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={})
    work_item_approve(actor=people.deputy, item=items(doc).get(), opinion="同意，请行政科牵头，县供电公司配合。",
                      subject_data={"lead_department": dept("行政科", org), "co_departments": [organ]})
    doc.refresh_from_db()
    return doc


def test_the_plan_offers_outside_organs_not_on_the_platform(people):
    organ = _organ(people)
    doc = new_document(people)
    groups = dict(unit_choices(doc))
    paper = groups["通讯录外单位（纸质送达，办公室代为登记）"]
    assert (f"x:{organ.pk}", "县供电公司（纸质）") in paper
    on_platform = ExternalOrgan.objects.filter(organization=doc.organization, platform_organization__isnull=False).first()
    assert f"x:{on_platform.pk}" not in dict(paper)  # an organ on the platform is chosen as that organization instead
    assert unit_from_value(doc, f"x:{organ.pk}") == organ
    assert unit_from_value(doc, f"x:{on_platform.pk}") is None


def test_paper_part_is_the_offices_to_record_and_blocks_closing(people, web):
    organ = _organ(people)
    doc = _assigned_with_paper_co(people, organ)
    assert doc.status == "assigned"
    part = doc.undertakings.get(external=organ)
    assert part.role == "co" and part.on_paper and part.unit_label == "县供电公司（纸质）"
    clerk, director = people.clerk, people.director
    task = todo_for(clerk).filter(kind="incoming.undertaking", url=doc.get_absolute_url()).get()
    assert task.action == "协办 · 县供电公司（纸质） · 纸质送达并登记"
    page = web(clerk).get(doc.get_absolute_url()).content.decode()
    assert "县供电公司（纸质）" in page and f"/undertakings/{part.pk}/record-paper/" in page
    assert f"/undertakings/{part.pk}/record-paper/" not in web(people.deputy).get(doc.get_absolute_url()).content.decode()

    # the 主办 answers; closing waits for the paper part
    lead = doc.undertakings.get(role="lead")
    head = lead.department.head
    services.undertaking_reply(actor=head, undertaking=lead, reply="已落实保供措施。")
    with pytest.raises(Conflict) as exc:
        services.incoming_close(actor=director, document=doc)
    assert "县供电公司（纸质）" in exc.value.message

    # bad input: a clear message, nothing changed
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for kwargs, field in (({}, "sent_on"), ({"sent_on": tomorrow}, "sent_on"),
                          ({"sent_on": timezone.localdate(), "result": "已配合"}, "reply_on"),
                          ({"sent_on": timezone.localdate(), "reply_on": timezone.localdate() - datetime.timedelta(days=3), "result": "已配合"}, "reply_on")):
        with pytest.raises(ServiceError) as exc:
            services.undertaking_record_paper(actor=clerk, undertaking=part, **kwargs)
        assert field in exc.value.fields
    part.refresh_from_db()
    assert part.paper_sent_on is None and part.status == "open"
    with pytest.raises(PermissionDenied):
        services.undertaking_record_paper(actor=head, undertaking=part, sent_on=timezone.localdate())  # not the office

    # sent on paper (through the page), then the answer arrives
    resp = web(clerk).post(f"/incoming/{doc.pk}/undertakings/{part.pk}/record-paper/", {"sent_on": timezone.localdate().isoformat()})
    assert resp.status_code == 302
    part.refresh_from_db()
    assert part.paper_sent_on == timezone.localdate() and part.status == "open" and part.accepted_by == clerk
    assert todo_for(clerk).filter(kind="incoming.undertaking", url=doc.get_absolute_url()).get().action.endswith("登记答复")
    services.undertaking_record_paper(actor=clerk, undertaking=part, reply_on=timezone.localdate(), result="已安排抢修队伍配合。")
    part.refresh_from_db()
    assert part.status == "replied" and part.replied_by == clerk and part.paper_reply_on == timezone.localdate()
    assert not todo_for(clerk).filter(kind="incoming.undertaking", url=doc.get_absolute_url()).exists()
    entry = AuditEntry.objects.filter(action="incoming.record_paper").latest("seq")
    assert "已安排抢修" not in str(entry.after)  # the trail keeps no content
    page = web(director).get(doc.get_absolute_url()).content.decode()
    assert "已安排抢修队伍配合。" in page and "收到答复（办公室代为登记）" in page
    with pytest.raises(Conflict):
        services.undertaking_record_paper(actor=clerk, undertaking=part, sent_on=timezone.localdate())  # already answered

    services.incoming_close(actor=director, document=doc)
    doc.refresh_from_db()
    assert doc.status == "closed"


def test_organ_on_the_platform_or_classified_document_is_refused(people):
    doc = new_document(people)
    on_platform = ExternalOrgan.objects.filter(organization=doc.organization, platform_organization__isnull=False).first()
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=on_platform)
    assert "已在平台上" in exc.value.message
    organ = _organ(people)
    doc.classification = 2
    doc.save(update_fields=["classification"])
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=organ)
    assert "涉密" in exc.value.message
    assert not Undertaking.objects.filter(document=doc).exists()


def test_api_plans_and_records_a_paper_part(people, api):
    organ = _organ(people)
    doc = new_document(people, title="某市林业局关于开展松材线虫病普查的通知")
    resp = api(people.director).post(f"/api/v1/incoming/{doc.pk}/plan/", {"lead_external": organ.pk, "lead_department": dept("行政科", doc.organization).pk},
                                     format="json")
    assert resp.status_code == 400 and "只能有一个" in str(resp.json())
    resp = api(people.director).post(f"/api/v1/incoming/{doc.pk}/plan/", {"lead_external": organ.pk}, format="json")
    assert resp.status_code == 200, resp.json()
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={"lead_department": organ})
    work_item_approve(actor=people.deputy, item=items(doc).get(), opinion="同意。", subject_data={"lead_department": organ})
    part = Undertaking.objects.get(document=doc, external=organ)
    clerk = api(people.clerk)
    resp = clerk.post(f"/api/v1/incoming/{doc.pk}/record-paper/", {"undertaking": part.pk, "sent_on": "2999-01-01"}, format="json")
    assert resp.status_code == 400 and "sent_on" in str(resp.json())
    resp = clerk.post(f"/api/v1/incoming/{doc.pk}/record-paper/", {"undertaking": part.pk, "sent_on": timezone.localdate().isoformat()}, format="json")
    assert resp.status_code == 200
    row = next(u for u in resp.json()["undertakings"] if u["id"] == part.pk)
    assert row["external"] == organ.pk and row["paper_sent_on"] == timezone.localdate().isoformat() and "record_paper" in row["actions"]
