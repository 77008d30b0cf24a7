"""Leaks found by the access review (issue 13) in 收文: each test failed before its fix."""

from __future__ import annotations

import re

import pytest

from zhongshu.audit.models import AuditEntry
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.flow.models import FlowInstance
from zhongshu.flow.services import instance_terminate
from zhongshu.incoming import services
from zhongshu.incoming.models import IncomingDocument
from zhongshu.incoming.policy import IncomingPolicy

from .test_handling import DEMO_TITLE, assigned, person

pytestmark = pytest.mark.django_db


# ---- the duplicate check never confirms a document the registrar cannot read ---------------------------------
def test_duplicate_check_says_nothing_about_documents_the_registrar_cannot_read(people):
    senior = person("李静怡")  # cleared for 机密; the clerk only for 秘密
    secret = services.incoming_register(actor=senior, source="paper", sender_name="某市国家安全局", doc_number="某安发〔2026〕3号",
                                        title="关于某专项工作的通报", classification=Classification.CONFIDENTIAL, copy_no="000003")
    # the clerk's registration goes through exactly as for a new document: no warning, no hint
    doc = services.incoming_register(actor=people.clerk, source="paper", sender_name="某市国家安全局", doc_number="某安发〔2026〕3号",
                                     title="来文")
    assert doc.pk != secret.pk
    assert list(services.duplicates(actor=people.clerk, sender_name="某市国家安全局", doc_number="某安发〔2026〕3号")) == [doc]
    # a readable duplicate is still reported to whoever may read it
    with pytest.raises(ServiceError) as exc:
        services.incoming_register(actor=senior, source="paper", sender_name="某市国家安全局", doc_number="某安发〔2026〕3号", title="又一份")
    assert exc.value.code == "duplicate" and secret.title in exc.value.message


def test_duplicate_page_lists_only_readable_documents(client, people):
    senior = person("李静怡")
    services.incoming_register(actor=senior, source="paper", sender_name="某市国家安全局", doc_number="某安发〔2026〕5号",
                               title="机密重复标题", classification=Classification.CONFIDENTIAL, copy_no="000005")
    client.force_login(people.clerk)
    resp = client.post("/incoming/register/", {"source": "paper", "sender_name": "某市国家安全局", "doc_number": "某安发〔2026〕5号",
                                               "title": "来文", "classification": 0, "copies": 1})
    page = resp.content.decode()
    assert "机密重复标题" not in page and "无权查看" not in page and "可能重复" not in page


# ---- separation of duties in 承办: nobody reviews their own answer -----------------------------------------
def test_the_person_who_answered_is_not_offered_nor_allowed_to_review_it(people, client):
    doc = assigned(people, lead="秘书一科", co=())
    head = person("李静怡")  # 秘书一科科长 (承办) and 文秘 (office) at once
    lead = doc.undertakings.get(role="lead")
    services.undertaking_reply(actor=head, undertaking=lead, reply="已办理完毕。")
    lead.refresh_from_db()
    assert "close" not in IncomingPolicy.allowed_actions(head, doc)
    assert "reply_return" not in IncomingPolicy.undertaking_actions(head, lead)
    client.force_login(head)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "审核办结" not in page and "退回重办" not in page
    with pytest.raises(PermissionDenied, match="自己"):
        services.undertaking_return(actor=head, undertaking=lead, reason="再办")
    with pytest.raises(PermissionDenied, match="自己"):
        services.incoming_close(actor=head, document=doc)
    # another member of the office reviews it
    assert "close" in IncomingPolicy.allowed_actions(people.clerk, doc)
    client.force_login(people.clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "审核办结" in page and "退回重办" in page
    services.incoming_close(actor=people.clerk, document=doc)


def test_plan_form_shows_what_was_saved(people, client):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    org = doc.organization
    from zhongshu.org.models import Department

    lead, co = Department.objects.get(organization=org, name="综合科"), Department.objects.get(organization=org, name="督查室")
    services.incoming_plan(actor=people.director, document=doc, lead_department=lead, co_departments=[co], deadline=None)
    client.force_login(people.director)
    page = client.get(doc.get_absolute_url()).content.decode()
    form = page[page.index('id="plan"'):]
    assert re.search(rf'<option value="d:{lead.pk}" selected>综合科', form)
    co_select = form[form.index('name="co_departments"'):]
    assert re.search(rf'<option value="d:{co.pk}" selected>督查室', co_select)


# ---- the flow adapter's end hook goes through a service with an audit entry --------------------------------
def test_terminating_the_handling_flow_records_the_document_change(people):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    assert doc.status == "handling"
    inst = FlowInstance.objects.get(business_type="incoming", object_id=doc.pk, status="running")
    before = AuditEntry.objects.count()
    instance_terminate(actor=people.director, instance=inst, reason="来文单位已撤回")
    doc.refresh_from_db()
    assert doc.status == "received"
    entry = AuditEntry.objects.filter(action="incoming.flow_ended").latest("seq")
    assert entry.actor_id == people.director.pk and AuditEntry.objects.count() > before


def test_reminders_are_recorded_as_the_system(people):
    import datetime

    from zhongshu.workdays.calendar import add_workdays

    org_id = IncomingDocument.objects.get(title=DEMO_TITLE).organization_id
    day = add_workdays(datetime.date.today(), 1, organization_id=org_id)  # a working day, the deadline itself
    assigned(people, deadline=day)
    sent = services.undertaking_reminders_scan(today=day)
    assert sent["due"] >= 1
    entries = AuditEntry.objects.filter(action="incoming.remind")
    assert entries.exists() and set(entries.values_list("actor_name", flat=True)) == {"系统"}
