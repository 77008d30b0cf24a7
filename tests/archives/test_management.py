"""档案管理: 借阅 approval by 密级 and expiry, overdue reminders, 鉴定 and destruction under two supervisors with a
permanent register, transfer packages and their verification, and access (no clearance → 404 / zero rows)."""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from zhongshu.archives import disposal, services, transfer
from zhongshu.archives.models import ArchiveItem, Destruction, DestructionLine, Loan
from zhongshu.archives.selectors import can_read_content, items_for
from zhongshu.audit.models import AuditEntry
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(people):
    return ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")  # the demo's filed 发文


def secret_item(people, distributed):
    doc = distributed(classification=Classification.SECRET, secrecy_period="1年", publicity="not_public", title="某县人民政府办公室关于某重点项目的通知")
    return services.item_file_outgoing(actor=people.director, document=doc, retention="D30")


def test_unclassified_loan_is_approved_by_the_archivist_and_ends_at_its_due_time(people, item, web):
    clerk, archivist = people.clerk, people.archivist
    assert not can_read_content(clerk, item)  # no loan yet: the catalogue entry only, not the content
    assert web(clerk).get(f"/archives/{item.pk}/files/{item.files.get(role='original').pk}/").status_code == 404
    loan = Loan.objects.get(item=item, borrower=clerk, status="pending")  # the demo's pending request
    assert loan.required_role == "archivist"
    with pytest.raises(PermissionDenied):
        services.loan_decide(actor=people.director, loan=loan, approve=True)  # not the director's call for 非密
    loan = services.loan_decide(actor=archivist, loan=loan, approve=True, note="同意")
    assert loan.status == "active" and loan.due_at - loan.starts_at == datetime.timedelta(days=7)
    assert can_read_content(clerk, item)
    c = web(clerk)
    page = c.get(f"/archives/{item.pk}/")
    assert page.status_code == 200 and "在线查看" in page.content.decode()
    original = item.files.get(role="original")
    before = AuditEntry.objects.filter(action="archives.view_content", target_id=str(item.pk)).count()
    pdf = c.get(f"/archives/{item.pk}/files/{original.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        drawn = "".join(ch["text"] for ch in doc.pages[0].chars)  # the watermark is rotated: compare characters
        assert all(ch in drawn for ch in clerk.display_name) and timezone.localtime().strftime("%Y-%m-%d")[:4] in drawn
    assert AuditEntry.objects.filter(action="archives.view_content", target_id=str(item.pk)).count() == before + 1
    draft = item.files.get(role="final_draft")
    assert c.get(f"/archives/{item.pk}/files/{draft.pk}/").status_code == 404  # view only: no DOCX for borrowers
    assert f"/files/{draft.pk}/" not in page.content.decode() and f"/files/{original.pk}/" in page.content.decode()
    with time_machine.travel(loan.due_at + datetime.timedelta(minutes=1)):
        assert not can_read_content(clerk, item)
        c.force_login(clerk)  # the session itself has timed out by then
        assert c.get(f"/archives/{item.pk}/files/{original.pk}/").status_code == 404


def test_overdue_reminders_are_sent_once_a_day(people, item):
    from zhongshu.core.jobs import DAILY_JOBS

    assert DAILY_JOBS["archives_overdue_loans"] == "zhongshu.archives.services.loan_overdue_scan"  # in the daily scan
    loan = Loan.objects.get(item=item, borrower=people.clerk)
    services.loan_decide(actor=people.archivist, loan=loan, approve=True)
    loan.refresh_from_db()
    later = timezone.localtime(loan.due_at) + datetime.timedelta(days=1)
    with time_machine.travel(later):
        assert services.loan_overdue_scan() == "提醒 1 条到期借阅"
        assert services.loan_overdue_scan() == "提醒 0 条到期借阅"  # idempotent the same day
    assert Notification.objects.filter(recipient=people.clerk, title__contains="借阅已到期").count() == 1
    with time_machine.travel(later + datetime.timedelta(days=1)):
        assert services.loan_overdue_scan() == "提醒 1 条到期借阅"
    services.loan_return(actor=people.clerk, loan=loan)
    with time_machine.travel(later + datetime.timedelta(days=2)):
        assert services.loan_overdue_scan() == "提醒 0 条到期借阅"


def test_classified_loan_needs_the_office_director(people, distributed):
    it = secret_item(people, distributed)
    clerk = people.clerk  # 一般涉密: may read 秘密
    loan = services.loan_request(actor=clerk, archival_code=it.archival_code, purpose="核对项目资料", days=3)
    assert loan.required_role == "office_director"
    with pytest.raises(PermissionDenied):
        services.loan_decide(actor=people.archivist, loan=loan, approve=True)
    with pytest.raises(ServiceError):
        services.loan_decide(actor=people.director, loan=loan, approve=False)  # a refusal needs a reason
    assert services.loan_decide(actor=people.director, loan=loan, approve=True).status == "active"
    with pytest.raises(Conflict):
        services.loan_decide(actor=people.director, loan=loan, approve=True)


def test_a_request_beyond_clearance_looks_like_a_missing_code(people, distributed):
    from zhongshu.org.models import User

    it = secret_item(people, distributed)
    outsider = User.objects.filter(organization=people.clerk.organization, clearance=1, admin_role="", is_active=True).first()
    with pytest.raises(ServiceError) as exc:
        services.loan_request(actor=outsider, archival_code=it.archival_code, purpose="看看")
    with pytest.raises(ServiceError) as missing:
        services.loan_request(actor=outsider, archival_code="0194-WS·2026-D30-XXX-9999", purpose="看看")
    assert exc.value.message == missing.value.message


def test_access_no_clearance_or_no_role_means_404_and_zero_rows(people, distributed, web, api):
    it = secret_item(people, distributed)
    from zhongshu.org.models import User

    nobody = User.objects.filter(organization=people.clerk.organization, clearance=1, admin_role="", is_active=True).first()
    for user in (nobody, people.liaison, people.admin, people.auditor):
        user.totp_confirmed = True  # 三员 must bind a second factor before any page; assume they did
        user.save(update_fields=["totp_confirmed"])
        assert not items_for(user).filter(pk=it.pk).exists(), user
        assert web(user).get(f"/archives/{it.pk}/").status_code == 404
        resp = api(user).get("/api/v1/archives/items/")
        assert resp.status_code in (200, 403) and (resp.status_code == 403 or all(r["id"] != it.pk for r in resp.json()["results"]))
        assert api(user).get(f"/api/v1/archives/items/{it.pk}/").status_code in (403, 404)
    for user in (people.admin, people.auditor, people.liaison):  # no business role here: nothing at all
        assert items_for(user).filter(organization=it.organization).count() == 0, user
    # a leader cleared for 秘密 sees the catalogue entry (目录), not the content (借阅 needed)
    leader = people.leader
    assert items_for(leader).filter(pk=it.pk).exists() and not can_read_content(leader, it)
    original = it.files.filter(role="original").first()
    if original is not None:
        assert web(leader).get(f"/archives/{it.pk}/files/{original.pk}/").status_code == 404
    # the archivist keeps the catalogue (重要涉密: 机密 and below) and sees the 秘密 item
    assert items_for(people.archivist).filter(pk=it.pk).exists()
    listed = api(people.archivist).get("/api/v1/archives/items/").json()
    assert any(r["archival_code"] == it.archival_code for r in listed["results"])


def test_api_filing_and_loans(people, api, distributed, item):
    doc = distributed()
    unfiled = api(people.archivist).get("/api/v1/archives/items/unfiled/")
    assert unfiled.status_code == 200 and {"source": "outgoing", "document": doc.pk} in [{k: r[k] for k in ("source", "document")} for r in unfiled.json()]
    assert api(people.clerk).get("/api/v1/archives/items/unfiled/").status_code == 403
    bad = api(people.archivist).post("/api/v1/archives/items/file/", {"source": "outgoing", "document": doc.pk, "retention": "D20"}, format="json")
    assert bad.status_code == 400 and "retention" in bad.json()["fields"]
    ok = api(people.archivist).post("/api/v1/archives/items/file/", {"source": "outgoing", "document": doc.pk}, format="json")
    assert ok.status_code == 201 and ok.json()["retention"] == "D10"  # 值班 → suggested D10
    assert api(people.clerk).post("/api/v1/archives/items/file/", {"source": "outgoing", "document": doc.pk}, format="json").status_code == 403
    created = api(people.deputy).post("/api/v1/archives/loans/", {"archival_code": ok.json()["archival_code"], "purpose": "参阅"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    lid = created.json()["id"]
    assert api(people.deputy).post(f"/api/v1/archives/loans/{lid}/approve/", {}, format="json").status_code in (403, 404)
    again = api(people.deputy).post("/api/v1/archives/loans/", {"archival_code": ok.json()["archival_code"], "purpose": "参阅"}, format="json")
    assert again.status_code == 409  # one open request per item and borrower
    approved = api(people.archivist).post(f"/api/v1/archives/loans/{lid}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    assert api(people.deputy).get(f"/api/v1/archives/items/{ok.json()['id']}/").status_code == 200


def _expire(it, years_ago=1):
    ArchiveItem.objects.filter(pk=it.pk).update(expires_on=datetime.date(timezone.localdate().year - years_ago, 12, 31))
    it.refresh_from_db()
    return it


def test_appraisal_keeps_with_a_new_period(people, item):
    _expire(item)
    assert disposal.expired_items(people.archivist).filter(pk=item.pk).exists()
    with pytest.raises(ServiceError):
        disposal.item_appraise(actor=people.archivist, item=item, decision="keep", opinion="仍有查考价值")  # years missing
    disposal.item_appraise(actor=people.archivist, item=item, decision="keep", new_years=10, opinion="仍有查考价值")
    item.refresh_from_db()
    assert item.status == "filed" and item.expires_on.year == timezone.localdate().year + 10
    assert not disposal.expired_items(people.archivist).filter(pk=item.pk).exists()


def test_destruction_needs_the_head_and_two_supervisors_and_leaves_the_register(people, distributed, django_capture_on_commit_callbacks):
    archivist = people.archivist
    item = services.item_file_outgoing(actor=archivist, document=distributed(), retention="D10")  # files of its own: they get shredded
    paths = [f.file.path for f in item.files.all()]
    assert paths and all(os.path.exists(p) for p in paths)
    _expire(item)
    disposal.item_appraise(actor=archivist, item=item, decision="destroy", opinion="已无保存价值")
    d = disposal.destruction_create(actor=archivist, items=[item], reason="保管期满，经鉴定无保存价值")
    assert Notification.objects.filter(recipient=people.leader, title__contains="销毁清册").exists()  # the head is asked
    with pytest.raises(Conflict):
        disposal.destruction_execute(actor=archivist, destruction=d, supervisors=[people.director, people.clerk])  # not approved yet
    with pytest.raises(PermissionDenied):
        disposal.destruction_approve(actor=people.director, destruction=d)  # the head (领导) approves, not the office
    disposal.destruction_approve(actor=people.leader, destruction=d)
    with pytest.raises(ServiceError):
        disposal.destruction_execute(actor=archivist, destruction=d, supervisors=[people.director])
    with pytest.raises(ServiceError):
        disposal.destruction_execute(actor=archivist, destruction=d, supervisors=[people.director, people.director])
    with django_capture_on_commit_callbacks(execute=True):
        disposal.destruction_execute(actor=archivist, destruction=d, supervisors=[people.director, people.clerk])
    d.refresh_from_db()
    item.refresh_from_db()
    assert d.status == "done" and {d.supervisor1, d.supervisor2} == {people.director, people.clerk}
    assert item.status == "destroyed" and item.destroyed_at and item.files.count() == 0  # catalogue line stays
    assert items_for(archivist).filter(pk=item.pk, archival_code=item.archival_code).exists()
    assert not any(os.path.exists(p) for p in paths)  # overwritten and removed
    line = DestructionLine.objects.get(destruction=d)
    assert line.archival_code == item.archival_code and line.disposals.count() == len(paths)
    with pytest.raises(Exception), transaction.atomic():  # the register stays: DB refuses a duplicate/changed state
        Destruction.objects.filter(pk=d.pk).update(supervisor2=d.supervisor1)
    if connection.vendor == "postgresql":
        with pytest.raises(Exception), transaction.atomic():
            DestructionLine.objects.filter(pk=line.pk).delete()


def test_transfer_package_verifies_and_names_tampered_files(people, distributed, tmp_path):
    services.item_file_outgoing(actor=people.archivist, document=distributed(), retention="D30")
    year = timezone.localdate().year
    t = transfer.transfer_export(actor=people.archivist, year=year, directory=tmp_path)
    root = Path(t.path)
    names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert {"catalogue.xlsx", "catalogue.csv", "metadata.json", "manifest.txt"} <= names
    meta = json.loads((root / "metadata.json").read_text("utf-8"))
    assert meta["fonds_code"] == "0194" and meta["item_count"] == t.item_count >= 2
    assert (root / "manifest.txt").read_text().startswith("# algorithm: ")
    report = transfer.verify_package(root)
    assert report.ok and report.checked == len(names) - 1
    out = io.StringIO()
    call_command("archives", "verify", str(root), stdout=out)
    assert "校验通过" in out.getvalue()
    pdf = next(p for p in root.rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%tampered")
    (root / "catalogue.csv").unlink()
    report = transfer.verify_package(root)
    assert not report.ok and report.tampered == [pdf.relative_to(root).as_posix()] and report.missing == ["catalogue.csv"]
    with pytest.raises(CommandError) as exc:
        call_command("archives", "verify", str(root), stdout=io.StringIO())
    assert pdf.name in str(exc.value) and "catalogue.csv" in str(exc.value)
    import zipfile

    zpath = tmp_path / "pkg.zip"
    zpath.write_bytes(transfer.zip_bytes(root))
    with zipfile.ZipFile(zpath) as zf:
        assert any(n.endswith("manifest.txt") for n in zf.namelist())
    assert not transfer.verify_package(zpath).ok


def test_pages_render_for_the_archivist(people, web, item, distributed, closed_incoming):
    distributed()
    closed_incoming()
    c = web(people.archivist)
    for url in ("/archives/", "/archives/?year=2026&retention=D30&q=元旦", "/archives/?export=xlsx", "/archives/pending/", "/archives/catalogue/",
                "/archives/batches/", "/archives/loans/", "/archives/appraisal/", "/archives/destructions/", "/archives/transfers/",
                "/archives/settings/", f"/archives/{item.pk}/", "/"):
        assert c.get(url).status_code == 200, url
    pending = c.get("/archives/pending/").content.decode()
    assert "某市人民政府办公室关于开展防汛检查的通知" in pending and "（建议）" in pending
    from zhongshu.incoming.models import IncomingDocument

    doc = IncomingDocument.objects.get(title="某市人民政府办公室关于开展防汛检查的通知")
    resp = c.post(f"/archives/pending/incoming/{doc.pk}/file/", {"retention": "Y"})
    filed = ArchiveItem.objects.get(incoming=doc)
    assert resp.status_code == 302 and resp["Location"] == f"/archives/{filed.pk}/" and filed.retention == "Y"
    assert web(people.clerk).get("/archives/pending/").status_code == 404


def test_catalogue_list_queries_do_not_grow_with_rows(people, web, distributed):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    for i in range(6):
        services.item_file_outgoing(actor=people.archivist, document=distributed(title=f"某县人民政府办公室关于第{i}项工作的通知"), retention="D10")
    c = web(people.archivist)
    counts = []
    for size in (5, 20):
        with CaptureQueriesContext(conn) as q:
            assert c.get(f"/archives/?size={size}").status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def test_management_pages_work_end_to_end(people, web, distributed, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.ARCHIVES_TRANSFER_DIR = tmp_path
    archivist, leader = people.archivist, people.leader
    it = _expire(services.item_file_outgoing(actor=archivist, document=distributed(), retention="D10"))
    c = web(archivist)
    assert it.archival_code in c.get("/archives/appraisal/").content.decode()
    c.post(f"/archives/appraisal/{it.pk}/", {"decision": "destroy", "opinion": "无保存价值"})
    it.refresh_from_db()
    assert it.status == "to_destroy"
    resp = c.post("/archives/destructions/", {"reason": "保管期满", "items": [str(it.pk)]})
    d = Destruction.objects.get(lines__item=it)
    assert resp.status_code == 302 and resp["Location"] == f"/archives/destructions/{d.pk}/"
    head = web(leader)
    page = head.get(f"/archives/destructions/{d.pk}/")
    assert page.status_code == 200 and "批准销毁" in page.content.decode()
    head.post(f"/archives/destructions/{d.pk}/approve/")
    c = web(archivist)
    c.post(f"/archives/destructions/{d.pk}/execute/", {"supervisor1": people.director.pk, "supervisor2": people.director.pk})
    d.refresh_from_db()
    assert d.status == "approved"  # the same person twice is refused
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/archives/destructions/{d.pk}/execute/", {"supervisor1": people.director.pk, "supervisor2": people.clerk.pk})
    d.refresh_from_db()
    assert d.status == "done"
    register = c.get(f"/archives/destructions/{d.pk}/?export=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(register.content))["销毁清册"]
    assert ws.cell(2, 2).value == it.archival_code
    printed = c.get(f"/archives/destructions/{d.pk}/?export=pdf")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(printed.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "档案销毁清册" in text and it.archival_code in text and people.clerk.display_name in text and "监销人" in text
    resp = c.post("/archives/transfers/", {"year": str(it.year)})
    assert resp.status_code == 302
    from zhongshu.archives.models import Transfer

    t = Transfer.objects.get(organization=archivist.organization)
    z = c.get(f"/archives/transfers/{t.pk}.zip")
    assert z.status_code == 200 and z.content[:2] == b"PK"
    assert web(people.clerk).get(f"/archives/transfers/{t.pk}.zip").status_code == 404


def test_loan_pages(people, web, item):
    clerk = web(people.clerk)
    resp = clerk.post("/archives/loans/", {"archival_code": "不存在", "kind": "consult", "purpose": "查"})
    assert "没有找到该档号" in resp.content.decode()
    loan = Loan.objects.get(item=item, borrower=people.clerk)
    a = web(people.archivist)
    page = a.get("/archives/loans/").content.decode()
    assert item.archival_code in page and "待我审批" in page
    a.post(f"/archives/loans/{loan.pk}/reject/", {"note": ""})
    loan.refresh_from_db()
    assert loan.status == "pending"  # a refusal needs a reason
    a.post(f"/archives/loans/{loan.pk}/approve/", {"note": "同意"})
    loan.refresh_from_db()
    assert loan.status == "active"
    clerk = web(people.clerk)
    clerk.post(f"/archives/loans/{loan.pk}/return/")
    loan.refresh_from_db()
    assert loan.status == "returned" and not can_read_content(people.clerk, item)


def test_transfer_packages_and_destruction_registers_only_for_people_cleared_for_every_item(people, distributed, tmp_path):
    from zhongshu.archives import selectors
    from zhongshu.core.classification import Classification
    from zhongshu.org.models import User

    low = User.objects.get(real_name="冯子豪")  # archivist cleared for 秘密 only
    item = services.item_file_outgoing(actor=people.archivist, document=distributed(), retention="D10")
    t = transfer.transfer_export(actor=people.archivist, year=item.year, directory=tmp_path)
    assert selectors.transfers_for(low).filter(pk=t.pk).exists()
    ArchiveItem.objects.filter(pk=item.pk).update(classification=Classification.CONFIDENTIAL)  # now 机密
    assert not selectors.transfers_for(low).filter(pk=t.pk).exists()
    assert selectors.transfers_for(people.archivist).filter(pk=t.pk).exists()  # 韩秀兰 is cleared for 机密
    _expire(item)
    item.refresh_from_db()
    disposal.item_appraise(actor=people.archivist, item=item, decision="destroy", opinion="已无保存价值")
    d = disposal.destruction_create(actor=people.archivist, items=[item], reason="保管期满")
    assert not selectors.destructions_for(low).filter(pk=d.pk).exists()
    with pytest.raises(PermissionDenied):
        disposal.destruction_execute(actor=low, destruction=d, supervisors=[people.director, people.clerk])
