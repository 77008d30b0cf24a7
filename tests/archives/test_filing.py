"""归档: 档号 (format, gapless 件号, uniqueness — also under concurrency), filing a 发文 and a 收文, the 归档章 on the
PDF, 保管期限 suggestions, the 归档文件目录 exports and the year-end batch."""

from __future__ import annotations

import io
import re
import threading

import pdfplumber
import pytest
from django.db import IntegrityError, connection, connections, transaction
from openpyxl import load_workbook

from zhongshu.archives import catalogue, services
from zhongshu.archives.batch import batch_start
from zhongshu.archives.models import ArchiveFile, ArchiveItem, FilingBatch, ItemSequence
from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.org.models import Department

pytestmark = pytest.mark.django_db
CODE = re.compile(r"^0194-WS·\d{4}-(Y|D30|D10)-[0-9A-Z]{1,6}-\d{4}$")


def last(item) -> int:
    return ItemSequence.objects.get(organization_id=item.organization_id, year=item.year, retention=item.retention, unit_code=item.unit_code).last_serial


def test_demo_catalogue_is_not_empty(people):
    item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")
    assert CODE.match(item.archival_code) and item.item_number == 1 and item.outgoing.status == "filed"


def test_filing_a_distributed_outgoing_document(people, distributed):
    archivist = people.archivist
    doc = distributed()
    item = services.item_file_outgoing(actor=archivist, document=doc, retention="D30", note="测试")
    doc.refresh_from_db()
    assert doc.status == "filed" and item.outgoing_id == doc.pk and item.source == "outgoing"
    assert CODE.match(item.archival_code), item.archival_code
    unit = Department.objects.get(pk=doc.drafting_department_id).code
    assert item.archival_code == f"0194-WS·{doc.issue_date.year}-D30-{unit}-{item.item_number:04d}"
    assert (item.title, item.doc_number, item.responsible, item.date) == (doc.title, doc.doc_number, "某县人民政府办公室", doc.issue_date)
    roles = list(item.files.values_list("role", "mime"))
    assert roles[0] == ("original", "application/pdf") and roles[1][0] == "final_draft"  # 正本 + 定稿 in one 件
    assert item.pages == item.files.get(role="original").pages >= 1
    assert AuditEntry.objects.filter(action="archives.file", target_id=str(item.pk)).exists()
    assert AuditEntry.objects.filter(action="outgoing.file", target_id=str(doc.pk)).exists()
    with pytest.raises(Conflict):
        services.item_file_outgoing(actor=archivist, document=doc, retention="D30")


def test_item_numbers_are_gapless_within_the_lowest_class(people, distributed):
    archivist = people.archivist
    a = services.item_file_outgoing(actor=archivist, document=distributed(), retention="D10")
    b = services.item_file_outgoing(actor=archivist, document=distributed(title="某县人民政府办公室关于第二项工作的通知"), retention="D10")
    c = services.item_file_outgoing(actor=archivist, document=distributed(title="某县人民政府办公室关于第三项工作的通知"), retention="Y")
    assert b.item_number == a.item_number + 1  # same class
    assert c.item_number == 1 and c.archival_code.endswith("-0001") and "-Y-" in c.archival_code  # a new class starts at 0001
    assert last(b) == b.item_number


def test_unit_code_is_configurable_per_department(people, distributed):
    archivist = people.archivist
    doc = distributed()
    services.unit_code_set(actor=archivist, department=doc.drafting_department, code="bgs")
    item = services.item_file_outgoing(actor=archivist, document=doc, retention="D30")
    assert "-D30-BGS-" in item.archival_code
    with pytest.raises(ServiceError):
        services.unit_code_set(actor=archivist, department=doc.drafting_department, code="办公室")


def test_archival_code_is_unique_in_the_database(people):
    item = ArchiveItem.objects.first()
    clone = ArchiveItem(**{f.attname: getattr(item, f.attname) for f in ArchiveItem._meta.concrete_fields if f.attname not in ("id", "outgoing_id")})
    clone.outgoing_id = None
    clone.source, clone.incoming_id = "incoming", None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_filing_rules(people, distributed):
    doc = distributed()
    with pytest.raises(PermissionDenied):
        services.item_file_outgoing(actor=people.clerk, document=doc, retention="D30")  # 文秘 does not file
    with pytest.raises(ServiceError) as exc:
        services.item_file_outgoing(actor=people.archivist, document=doc, retention="D20")  # 长期/短期 style periods are gone
    assert exc.value.fields["retention"]
    from zhongshu.outgoing.models import OutgoingDocument

    draft = OutgoingDocument.objects.filter(status="draft").first()
    with pytest.raises((Conflict, NotFound)):
        services.item_file_outgoing(actor=people.archivist, document=draft, retention="D30")
    assert not ArchiveItem.objects.filter(outgoing=doc).exists()


def test_filing_a_closed_incoming_document(people, closed_incoming):
    doc = closed_incoming()
    item = services.item_file_incoming(actor=people.archivist, document=doc)
    doc.refresh_from_db()
    assert doc.status == "closed" and item.incoming_id == doc.pk and item.retention == "D10"  # suggested for 收文
    assert (item.responsible, item.doc_number) == ("某市人民政府办公室", "某市政办发〔2026〕77号")
    files = list(item.files.order_by("order"))
    assert [f.role for f in files] == ["original", "attachment"] and files[0].pages == 3  # the scan is the original
    with pdfplumber.open(files[0].file.path) as pdf:
        assert "SCAN page 1" in pdf.pages[0].extract_text() and "0194" in pdf.pages[0].extract_text()
    with pytest.raises(Conflict):
        services.item_file_incoming(actor=people.archivist, document=doc)


def test_open_incoming_cannot_be_filed(people, closed_incoming):
    from zhongshu.incoming.models import IncomingDocument

    doc = closed_incoming()
    IncomingDocument.objects.filter(pk=doc.pk).update(status="handling")
    with pytest.raises((Conflict, NotFound)):
        services.item_file_incoming(actor=people.archivist, document=doc)


def test_filing_stamp_on_the_first_page(people, distributed):
    item = services.item_file_outgoing(actor=people.archivist, document=distributed(), retention="D30")
    original = item.files.get(role="original")
    with pdfplumber.open(original.file.path) as pdf:
        page = pdf.pages[0]
        top_right = page.crop((page.width / 2, 0, page.width, 80)).extract_text()
        for expected in ("0194", str(item.year), f"{item.item_number:04d}", "30年", item.unit_code, str(original.pages)):
            assert expected in top_right, (expected, top_right)
        assert "0194" not in (pdf.pages[1].extract_text() or "") if len(pdf.pages) > 1 else True  # first page only


def test_retention_suggestions_follow_configurable_rules(people):
    org = people.archivist.organization_id
    assert services.suggest_retention(organization_id=org, source="outgoing", doc_type="决定", title="关于表彰的决定") == "Y"
    assert services.suggest_retention(organization_id=org, source="outgoing", doc_type="通知", title="关于节日值班安排的通知") == "D10"
    assert services.suggest_retention(organization_id=org, source="incoming", doc_type="通知", title="关于开展检查的通知") == "D10"
    services.retention_rule_add(actor=people.archivist, source="incoming", keyword="防汛", retention="Y", order=1)
    assert services.suggest_retention(organization_id=org, source="incoming", doc_type="通知", title="关于防汛工作的通知") == "Y"
    # once an organization has its own rules they replace the defaults entirely
    assert services.suggest_retention(organization_id=org, source="outgoing", doc_type="决定", title="关于表彰的决定") == "D30"


def test_settings_validation(people):
    a = people.archivist
    with pytest.raises(ServiceError) as exc:
        services.archive_settings_save(actor=a, organization=a.organization, fonds_code="19")
    assert "全宗号" in exc.value.fields["fonds_code"][0]
    with pytest.raises(PermissionDenied):
        services.archive_settings_save(actor=people.clerk, organization=a.organization, fonds_code="0195")


def test_catalogue_exports_have_the_standard_columns(people, distributed):
    services.item_file_outgoing(actor=people.archivist, document=distributed(), retention="D30")
    items = list(ArchiveItem.objects.filter(organization=people.archivist.organization).order_by("archival_code"))
    ws = load_workbook(io.BytesIO(catalogue.xlsx(items))).active
    header = [c.value for c in ws[1]]
    assert header == ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
    assert ws.cell(2, 1).value == 1 and ws.cell(2, 2).value == items[0].archival_code and ws.max_row == len(items) + 1
    data = catalogue.pdf(items, fonds_name="某县人民政府办公室", year=2026, retention="D30")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        cover = pdf.pages[0].extract_text()
        assert "归档文件目录" in cover and "某县人民政府办公室" in cover and "定期30年" in cover
        table = pdf.pages[1].extract_text()
        assert "题名" in table and "责任者" in table and items[0].archival_code[:12] in table


def test_catalogue_web_export(web, people):
    c = web(people.archivist)
    resp = c.get("/archives/catalogue/", {"year": "2026", "format": "xlsx"})
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert [c.value for c in ws[1]][:3] == ["序号", "档号", "文号"]
    pdf = c.get("/archives/catalogue/", {"year": "2026", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert web(people.leader).get("/archives/catalogue/", {"year": "2026", "format": "xlsx"}).status_code == 404


def test_year_end_batch_files_everything_and_reports_failures(people, distributed, closed_incoming, django_capture_on_commit_callbacks):
    from zhongshu.core.attachments import attachments_of

    ok_doc = distributed()
    broken = closed_incoming(title="某市人民政府办公室关于附件损坏的通知", doc_number="某市政办发〔2026〕78号")
    attachments_of(broken).first().file.delete(save=False)  # the scan is gone from the disk
    year = ok_doc.issue_date.year
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_start(actor=people.archivist, year=year)
    batch.refresh_from_db()
    assert batch.status == FilingBatch.Status.DONE and batch.processed == batch.total >= 2 and batch.percent == 100
    assert ArchiveItem.objects.filter(outgoing=ok_doc).exists()
    assert [r["title"] for r in batch.report] == [broken.title] and batch.report[0]["reason"]
    assert batch.filed == batch.total - 1
    progress = people and __import__("django.test", fromlist=["Client"]).Client()
    progress.force_login(people.archivist)
    page = progress.get(f"/archives/batches/{batch.pk}/progress/")
    assert page.status_code == 200 and "100%" in page.content.decode() and broken.title in page.content.decode()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_filing_numbers_each_item_once(county, people):
    if connection.vendor != "postgresql":
        pytest.skip("真实行锁只在 PostgreSQL 上验证（SQLite 以 IMMEDIATE 事务串行化写入）：DATABASE_URL=postgres://… pytest -m race")
    from tests.archives.conftest import make_distributed

    docs = [make_distributed(people, title=f"某县人民政府办公室关于第{i}项并发归档工作的通知") for i in range(12)]
    archivist = people.archivist
    barrier = threading.Barrier(6)
    errors: list = []

    def worker(chunk):
        try:
            barrier.wait(timeout=30)
            for d in chunk:
                services.item_file_outgoing(actor=archivist, document=d, retention="D10")
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(docs[i::6],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    items = ArchiveItem.objects.filter(outgoing__in=docs)
    numbers = sorted(items.values_list("item_number", flat=True))
    first = numbers[0]
    assert numbers == list(range(first, first + 12))  # gapless, no duplicate
    assert len(set(items.values_list("archival_code", flat=True))) == 12
    assert ArchiveFile.objects.filter(item__in=items, role="original").count() == 12


def test_a_document_closed_on_the_outgoing_page_can_still_be_filed(people, distributed):
    from zhongshu.archives.batch import unfiled_outgoing
    from zhongshu.outgoing.services import outgoing_file

    doc = outgoing_file(actor=people.clerk, document=distributed())  # 已归档 by the office, no item yet
    assert unfiled_outgoing(people.archivist).filter(pk=doc.pk).exists()
    item = services.item_file_outgoing(actor=people.archivist, document=doc, retention="D30")
    assert item.outgoing_id == doc.pk and not unfiled_outgoing(people.archivist).filter(pk=doc.pk).exists()


def test_settings_page_saves_the_fonds_and_rules(people, web):
    from zhongshu.archives.models import ArchiveSettings, RetentionRule

    c = web(people.archivist)
    bad = c.post("/archives/settings/", {"s-fonds_code": "01", "s-category_code": "WS", "s-default_unit_code": "BGS", "s-loan_days": "14",
                                         "s-director_from": "2", "s-lower_approver_role": "archivist", "s-upper_approver_role": "office_director",
                                         "s-destruction_approver_role": "leader"})
    assert bad.status_code == 200 and "全宗号应为 4 位" in bad.content.decode()
    ok = c.post("/archives/settings/", {"s-fonds_code": "0195", "s-fonds_name": "某县人民政府办公室", "s-category_code": "WS", "s-default_unit_code": "BGS",
                                        "s-loan_days": "10", "s-director_from": "3", "s-lower_approver_role": "archivist",
                                        "s-upper_approver_role": "office_director", "s-destruction_approver_role": "leader"})
    assert ok.status_code == 302
    s = ArchiveSettings.objects.get(organization=people.archivist.organization)
    assert (s.fonds_code, s.loan_days, s.director_from) == ("0195", 10, 3)
    c.post("/archives/settings/", {"r-source": "outgoing", "r-keyword": "表彰", "r-retention": "Y", "r-order": "5"})
    assert RetentionRule.objects.filter(organization=people.archivist.organization, keyword="表彰", retention="Y").exists()
    assert web(people.clerk).get("/archives/settings/").status_code == 404
