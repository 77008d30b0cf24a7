"""Leaks found by the access review of 发文 (issue 13): each test failed before its fix."""

import io

import pytest
from openpyxl import load_workbook

from tests.outgoing.test_joint import joint_setup
from tests.outgoing.test_outgoing import approve_all, draft, organ
from zhongshu.audit.models import AuditEntry
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied
from zhongshu.org.models import User
from zhongshu.outgoing import services
from zhongshu.outgoing.models import NumberRecord, OutgoingDocument
from zhongshu.outgoing.selectors import documents_for

pytestmark = pytest.mark.django_db

SECRET_TITLE = "某县人民政府办公室关于机密专项工作安排的通知"


def confidential_numbered(people) -> OutgoingDocument:
    """A 机密 document drafted by the office director and numbered: the clerk (秘密 clearance) may read the
    register but not this document."""
    director = people.director
    doc = services.outgoing_create(actor=director, doc_type="通知", title=SECRET_TITLE, body="机密正文。",
                                   classification=Classification.CONFIDENTIAL, publicity="not_public", main_recipients=[organ(people.clerk, "城关镇")])
    services.outgoing_submit(actor=director, document=doc)
    doc = approve_all(doc)
    assert doc.status == "signed"
    doc = services.outgoing_assign_number(actor=director, document=doc)
    assert not documents_for(people.clerk).filter(pk=doc.pk).exists()
    return doc


def test_register_page_export_and_api_show_number_and_redacted_line_not_title(people, client, api):
    doc = confidential_numbered(people)
    clerk = people.clerk
    client.force_login(clerk)
    page = client.get("/outgoing/register/").content.decode()
    assert doc.doc_number in page and "机密发文（无权查看）" in page
    assert SECRET_TITLE not in page
    resp = client.get("/outgoing/register/?export=xlsx")
    assert resp.status_code == 200
    cells = [str(c) for row in load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True) for c in row if c]
    assert doc.doc_number in cells and "机密发文（无权查看）" in cells
    assert not any(SECRET_TITLE in c for c in cells)
    rows = api(clerk).get("/api/v1/outgoing-register/").json()
    rows = rows.get("results", rows)
    mine = [r for r in rows if r["number"] == doc.doc_number]
    assert mine and mine[0]["title"] == "机密发文（无权查看）"
    assert SECRET_TITLE not in str(rows)
    # the director, who may read it, sees the title
    client.force_login(people.director)
    assert SECRET_TITLE in client.get("/outgoing/register/").content.decode()


def test_void_number_asks_the_documents_policy_and_audits_the_document(people, client):
    doc = confidential_numbered(people)
    rec = NumberRecord.objects.get(document=doc)
    with pytest.raises(PermissionDenied):
        services.number_void(actor=people.clerk, record_=rec, reason="编错了")
    client.force_login(people.clerk)
    client.post("/outgoing/register/void/", {"record": rec.pk, "reason": "编错了"})
    doc.refresh_from_db()
    rec.refresh_from_db()
    assert doc.status == "numbered" and doc.doc_number and rec.status == "assigned"
    assert f'value="{rec.pk}"' not in client.get("/outgoing/register/").content.decode()  # no void option shown
    # the office director, who may read it, voids it: the document's own audit trail says so
    services.number_void(actor=people.director, record_=rec, reason="编号有误，重新编号")
    doc.refresh_from_db()
    assert doc.status == "signed" and doc.doc_number == "" and doc.number_serial is None
    entry = AuditEntry.objects.filter(target_type="outgoing.outgoingdocument", target_id=str(doc.pk), action="outgoing.number_void").get()
    assert entry.before["doc_number"] and entry.after["status"] == "signed"


def test_register_page_voids_the_number_chosen_in_its_form(people, client):
    doc = confidential_numbered(people)
    rec = NumberRecord.objects.get(document=doc)
    client.force_login(people.director)
    page = client.get("/outgoing/register/").content.decode()
    assert 'action="/outgoing/register/void/"' in page and f'value="{rec.pk}"' in page
    assert client.post("/outgoing/register/void/", {"record": "9" * 30, "reason": "编错了"}).status_code == 400  # beyond 64 bits
    assert client.post("/outgoing/register/void/", {"record": "99999999", "reason": "编错了"}).status_code == 404
    assert client.post("/outgoing/register/void/", {"record": rec.pk, "reason": ""}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "assigned"  # no reason, nothing voided
    client.post("/outgoing/register/void/", {"record": rec.pk, "reason": "编号有误"})
    rec.refresh_from_db()
    doc.refresh_from_db()
    assert rec.status == "voided" and doc.doc_number == ""


def test_joint_organs_office_cannot_download_docx_or_package_of_the_lead_organ(people, client):
    doc, finance, union, finance_leader = joint_setup(people)
    services.outgoing_update(actor=people.clerk, document=doc, classification=Classification.SECRET, reason="")
    doc.refresh_from_db()
    assert doc.classification == Classification.SECRET
    finance_clerk = User.objects.get(organization=finance.platform_organization, role_assignments__role="clerk")
    assert documents_for(finance_clerk).filter(pk=doc.pk).exists()  # sees it (decision 0004) …
    client.force_login(finance_clerk)
    assert client.get(f"/outgoing/{doc.pk}/file.docx").status_code == 404  # … but no editable copy
    services.outgoing_joint_sign(actor=finance_leader, joint=doc.joint_issuers.get(organ=finance), agree=True)
    services.outgoing_joint_confirm(actor=people.clerk, joint=doc.joint_issuers.get(organ=union), note="线下会签")
    for step in (services.outgoing_assign_number, services.outgoing_print, services.outgoing_seal):
        step(actor=people.clerk, document=doc)
    assert client.get(f"/outgoing/{doc.pk}/package.zip").status_code == 404  # nor the lead organ's package
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert "package.zip" not in page and "file.docx" not in page


def test_county_head_sees_his_organizations_documents(people, client):
    doc = draft(people, title="某县人民政府办公室关于县长列表测试的通知")
    assert not documents_for(people.leader).filter(pk=doc.pk).exists()  # a draft stays with its drafter
    services.outgoing_submit(actor=people.clerk, document=doc)
    assert documents_for(people.leader).filter(pk=doc.pk).exists()  # the principal leader sees it from 送审 on
    client.force_login(people.leader)
    assert "县长列表测试" in client.get("/outgoing/").content.decode()
    # a deputy outside the route does not; 三员 never
    assert not documents_for(User.objects.get(real_name="许建平")).filter(pk=doc.pk).exists()
    assert not documents_for(people.admin).filter(pk=doc.pk).exists()
    # nor above his clearance: the 机密 document is visible to the 县长 (核心) only because of his clearance
    secret = confidential_numbered(people)
    assert documents_for(people.leader).filter(pk=secret.pk).exists()


def test_flow_end_hook_goes_through_a_service_with_an_audit_entry(people):
    from zhongshu.flow.services import flow_state, instance_withdraw

    doc = draft(people)
    services.outgoing_submit(actor=people.clerk, document=doc)
    instance_withdraw(actor=people.clerk, instance=flow_state(doc).instance, reason="补充材料")
    doc.refresh_from_db()
    assert doc.status == "draft"
    entry = AuditEntry.objects.filter(target_type="outgoing.outgoingdocument", target_id=str(doc.pk), action="outgoing.return_to_draft").get()
    assert entry.before == {"status": "reviewing"} and entry.after == {"status": "draft"}
