"""发文: drafting with versions, routing rules at submission, sign-off, 发文字号 numbering and the 登记簿."""

import threading

import pytest
from django.db import connection

from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.org.models import ExternalOrgan
from zhongshu.outgoing import services
from zhongshu.outgoing.models import NumberRecord, OutgoingDocument
from zhongshu.outgoing.routing import check_routing
from zhongshu.outgoing.selectors import documents_for

pytestmark = pytest.mark.django_db

BODY = "为做好冬季安全生产工作，现将有关事项通知如下。\n一、提高思想认识\n各单位要高度重视。"


def base(people) -> int:
    """Serials already used this year (the demo county numbers one document)."""
    from django.utils import timezone

    from zhongshu.outgoing.models import NumberSequence

    seq = NumberSequence.objects.filter(organization=people.clerk.organization, prefix="某政办发", year=timezone.localdate().year).first()
    return seq.last_serial if seq else 0


def organ(clerk, short):
    return ExternalOrgan.objects.get(organization=clerk.organization, short_name=short)


def draft(people, **kw):
    clerk = people.clerk
    data = {"doc_type": "通知", "title": "某县人民政府办公室关于做好冬季安全生产工作的通知", "body": BODY,
            "main_recipients": [organ(clerk, "城关镇"), organ(clerk, "县财政局")]}
    data.update(kw)
    return services.outgoing_create(actor=clerk, **data)


def approve_all(doc):
    """Walk the 发文 flow of the demo county (核稿 → 办公室审核 → 签发) to its end."""
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    for _ in range(10):
        item = WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo").first()
        if item is None:
            break
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    doc.refresh_from_db()
    return doc


def signed(people, **kw):
    doc = draft(people, **kw)
    services.outgoing_submit(actor=people.clerk, document=doc)
    return approve_all(doc)


def test_full_path_to_a_number(people):
    n = base(people)
    doc = signed(people)
    doc = services.outgoing_assign_number(actor=people.clerk, document=doc)
    year = doc.issue_date.year
    assert doc.doc_number == f"某政办发〔{year}〕{n + 1}号" and doc.status == "numbered"
    second = services.outgoing_assign_number(actor=people.clerk, document=signed(people))
    assert second.doc_number == f"某政办发〔{year}〕{n + 2}号"
    rec = NumberRecord.objects.get(document=second)
    assert rec.status == "assigned" and rec.serial == n + 2


def test_number_format_has_no_leading_zero_or_di(people):
    doc = services.outgoing_assign_number(actor=people.clerk, document=signed(people))
    assert "第" not in doc.doc_number and "〔" in doc.doc_number and not doc.doc_number.split("〕")[1].startswith("0")


def test_reserve_and_void_keep_the_register_gapless(people):
    clerk = people.clerk
    n = base(people)
    reserved = services.number_reserve(actor=clerk, organization=clerk.organization, reason="县长纸质签发件")
    doc = services.outgoing_assign_number(actor=clerk, document=signed(people))
    assert reserved.serial == n + 1 and doc.number_serial == n + 2
    services.number_void(actor=clerk, record_=reserved, reason="该件取消")
    third = services.outgoing_assign_number(actor=clerk, document=signed(people))
    assert third.number_serial == n + 3  # the voided number is never reused
    rows = list(NumberRecord.objects.filter(organization=clerk.organization, serial__gt=n).order_by("serial").values_list("serial", "status"))
    assert rows == [(n + 1, "voided"), (n + 2, "assigned"), (n + 3, "assigned")]
    # the register has no gap from 1 up
    assert list(NumberRecord.objects.filter(organization=clerk.organization).order_by("serial").values_list("serial", flat=True)) == list(range(1, n + 4))
    with pytest.raises(Conflict):
        services.number_void(actor=clerk, record_=reserved, reason="再次")
    with pytest.raises(ServiceError, match="原因"):
        services.number_reserve(actor=clerk, organization=clerk.organization, reason=" ")
    with pytest.raises(PermissionDenied):
        services.number_reserve(actor=people.deputy, organization=clerk.organization, reason="x")


def test_using_a_reserved_number(people):
    clerk = people.clerk
    r = services.number_reserve(actor=clerk, organization=clerk.organization, reason="预留")
    doc = services.outgoing_assign_number(actor=clerk, document=signed(people), reserved=r)
    assert doc.number_serial == r.serial
    r.refresh_from_db()
    assert r.status == "assigned" and r.document_id == doc.pk


def test_numbering_requires_sign_off(people):
    doc = draft(people)
    with pytest.raises(Conflict):
        services.outgoing_assign_number(actor=people.clerk, document=doc)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_number_exactly_once(county, people):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks are exercised on PostgreSQL (SQLite serialises writers by design)")
    n = base(people)
    # 40 documents through 20 threads (two each, all released at once): every signed document goes through the whole
    # 核稿 → 签发 flow first, which is what costs; 100 took 2.5 minutes of the PostgreSQL run for no more contention
    docs = [signed(people, title=f"某县人民政府办公室关于第{i}项工作的通知") for i in range(40)]
    clerk = people.clerk
    errors = []
    barrier = threading.Barrier(20)

    def worker(chunk):
        from django.db import connection as conn

        try:
            barrier.wait()
            for d in chunk:
                services.outgoing_assign_number(actor=clerk, document=d)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(docs[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(OutgoingDocument.objects.filter(pk__in=[d.pk for d in docs]).values_list("number_serial", flat=True))
    assert serials == list(range(n + 1, n + len(docs) + 1))
    assert NumberRecord.objects.filter(organization=clerk.organization).count() == n + len(docs)


def rules(doc):
    return {v.rule for v in check_routing(doc)}


def test_routing_rules_for_upward_documents(people):
    clerk = people.clerk
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府")
    city_office = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府办")
    doc = draft(people, doc_type="请示", title="某县人民政府办公室关于申请专项资金的请示", main_recipients=[city, city_office],
                cc_recipients=[organ(clerk, "城关镇")], body="特此请示，妥否，请批示。另请审批人员编制事项，可否，请批复。")
    found = rules(doc)
    assert {"up-one-main", "up-no-cc-lower", "request-one-matter"} <= found
    with pytest.raises(ServiceError) as exc:
        services.outgoing_submit(actor=clerk, document=doc)
    assert "上行文原则上只主送一个上级机关" in exc.value.message and exc.value.fields["rules"]
    assert OutgoingDocument.objects.get(pk=doc.pk).status == "draft"


def test_report_must_not_carry_request_language(people):
    clerk = people.clerk
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府")
    doc = draft(people, doc_type="报告", title="某县人民政府办公室关于上半年工作情况的报告", main_recipients=[city], body="现将上半年工作报告如下。\n以上报告，妥否，请批示。")
    assert "report-no-request" in rules(doc)


def test_title_and_classification_rules(people):
    doc = draft(people, title="关于做好冬季安全生产工作。")
    assert {"title-type", "title-punct"} <= rules(doc)
    with pytest.raises(ServiceError, match="最长 10 年"):
        draft(people, classification=Classification.SECRET, secrecy_period="15年")
    with pytest.raises(ServiceError, match="非涉密公文不标注保密期限"):
        draft(people, secrecy_period="1年")
    secret = draft(people, classification=Classification.SECRET, secrecy_period="5年", publicity="active")
    assert "secret-public" in rules(secret)
    with pytest.raises(ServiceError, match="涉密等级"):
        services.outgoing_create(actor=people.clerk, doc_type="通知", title="某县关于某事的通知", classification=Classification.CONFIDENTIAL)


def test_versions_and_change_after_sign_off(people):
    doc = signed(people)
    assert doc.versions.count() == 1
    with pytest.raises(ServiceError, match="修改说明"):
        services.outgoing_update(actor=people.clerk, document=doc, body=BODY + "\n二、落实工作责任")
    doc = services.outgoing_update(actor=people.clerk, document=doc, body=BODY + "\n二、落实工作责任", reason="复核时补充第二部分")
    assert doc.needs_resign and doc.versions.count() == 2 and doc.versions.last().after_sign_off
    with pytest.raises(Conflict):
        services.outgoing_assign_number(actor=people.clerk, document=doc)
    doc = services.outgoing_sign_off(actor=people.leader, document=doc)
    assert not doc.needs_resign
    assert services.outgoing_assign_number(actor=people.clerk, document=doc).number_serial == base(people)


def test_need_to_know(people):
    doc = draft(people)
    director = people.director
    assert not documents_for(director).filter(pk=doc.pk).exists()  # a draft stays with its drafter
    services.outgoing_submit(actor=people.clerk, document=doc)
    assert documents_for(director).filter(pk=doc.pk).exists()  # the office reviews what is submitted
    assert not documents_for(people.deputy).filter(pk=doc.pk).exists()  # not a participant
    assert not documents_for(people.liaison).filter(pk=doc.pk).exists()  # another organization
    assert not documents_for(people.admin).filter(pk=doc.pk).exists()  # 三员


def test_pages(client, people):
    doc = signed(people)
    client.force_login(people.clerk)
    assert "行文规则" in client.get(f"/outgoing/{doc.pk}/").content.decode()
    resp = client.post(f"/outgoing/{doc.pk}/number/", {"prefix": "某政办发"}, follow=True)
    assert "已编号登记" in resp.content.decode()
    reg = client.get("/outgoing/register/")
    assert reg.status_code == 200 and "某政办发〔" in reg.content.decode()
    assert client.get("/outgoing/register/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    resp = client.post("/outgoing/new/", {"doc_type": "通知", "format": "standard", "direction": "down", "title": "", "classification": 0, "copies": 1, "publicity": "active"})
    assert "该字段是必填项" in resp.content.decode()
    doc.refresh_from_db()
    client.force_login(people.deputy)  # 分管领导: signed it through the flow
    assert client.get(f"/outgoing/{doc.pk}/?a=1&b=1").status_code == 200
    client.force_login(people.leader)  # the principal leader (县长) reads his organization's documents from 送审 on
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 200
    from zhongshu.org.models import User

    client.force_login(User.objects.get(real_name="许建平"))  # a deputy never involved: an issued, unclassified document
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 200  # of his organization (issue 15; classified: 404)


def test_version_diff_view(client, people):
    doc = draft(people)
    services.outgoing_update(actor=people.clerk, document=doc, body=BODY.replace("高度重视", "切实提高认识"))
    client.force_login(people.clerk)
    html = client.get(f"/outgoing/{doc.pk}/?a=1&b=2").content.decode()
    assert "<ins>切实提</ins>高<del>度重视</del><ins>认识</ins>" in html


def test_api_draft_submit_sign_number(api, people):
    clerk = people.clerk
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="城关镇")
    c = api(clerk)
    resp = c.post("/api/v1/outgoing/", {"doc_type": "通知", "title": "某县人民政府办公室关于开展节前安全检查的通知", "body": "各单位：请认真开展检查。", "main_recipients": [city.pk]}, format="json")
    assert resp.status_code == 201, resp.json()
    did = resp.json()["id"]
    assert c.post(f"/api/v1/outgoing/{did}/submit/").json()["status"] == "reviewing"
    assert api(people.deputy).get(f"/api/v1/outgoing/{did}/").status_code == 404  # his step is not reached yet
    doc = approve_all(OutgoingDocument.objects.get(pk=did))
    assert doc.status == "signed" and [u.username for u in doc.signers.all()] == ["deputy"]
    assert api(people.deputy).get(f"/api/v1/outgoing/{did}/").status_code == 200  # the 签发人 keeps access
    assert api(people.deputy).post(f"/api/v1/outgoing/{did}/sign-off/").status_code == 409  # already signed
    numbered = c.post(f"/api/v1/outgoing/{did}/number/", {}, format="json").json()
    assert numbered["doc_number"].startswith("某政办发〔") and numbered["status"] == "numbered"
    again = c.post(f"/api/v1/outgoing/{did}/number/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]
    reg = c.get("/api/v1/outgoing-register/").json()
    assert reg["results"][0]["number"] == numbered["doc_number"]
    bad = c.post("/api/v1/outgoing/", {"doc_type": "请示报告", "title": ""}, format="json")
    assert bad.status_code == 400 and {"doc_type", "title"} <= set(bad.json()["fields"])


def test_print_seal_distribute_with_copy_numbers(people, client):
    clerk = people.clerk
    city_office = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府办")
    doc = signed(people, cc_recipients=[city_office], copies=5)
    services.outgoing_assign_number(actor=clerk, document=doc)
    with pytest.raises(Conflict, match="用印后"):
        services.outgoing_distribute(actor=clerk, document=doc)
    client.force_login(clerk)
    for step, label in (("print", "已印制"), ("seal", "已用印"), ("distribute", "已分发")):
        assert label in client.post(f"/outgoing/{doc.pk}/{step}/", follow=True).content.decode()
    rows = list(doc.distributions.order_by("copy_no").values_list("copy_no", "recipient__short_name", "role", "channel"))
    # 份号 follow the address-book order (县直部门 before 乡镇), 主送 before 抄送
    assert rows == [("000001", "县财政局", "main", "platform"), ("000002", "城关镇", "main", "platform"), ("000003", "市政府办", "cc", "package")]
    doc.refresh_from_db()
    assert doc.status == "distributed"
    with pytest.raises(ServiceError):  # distributed documents are closed to edits
        services.outgoing_update(actor=clerk, document=doc, title="某县人民政府办公室关于修改的通知")


def test_distribution_needs_enough_copies(people):
    doc = signed(people)
    OutgoingDocument.objects.filter(pk=doc.pk).update(copies=1)  # saved before the 稿纸 checked it
    clerk = people.clerk
    services.outgoing_assign_number(actor=clerk, document=doc)
    services.outgoing_print(actor=clerk, document=doc)
    services.outgoing_seal(actor=clerk, document=doc)
    with pytest.raises(ServiceError, match="份数"):
        services.outgoing_distribute(actor=clerk, document=doc)


def test_template_prefills_the_draft(client, people):
    client.force_login(people.clerk)
    html = client.get("/outgoing/new/?template=请示").content.decode()
    assert "某县人民政府办公室关于××××的请示" in html and "妥否，请批示。" in html and 'value="up" selected' in html


def test_pdf_and_docx_downloads(client, people):
    import io

    import pdfplumber
    from docx import Document as Docx

    from tests.render.conftest import FONTS_OK

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    doc = signed(people, classification=Classification.SECRET, secrecy_period="1年", publicity="not_public",
                 main_recipients=[organ(people.clerk, "城关镇")])
    services.outgoing_assign_number(actor=people.clerk, document=doc)
    client.force_login(people.clerk)
    from zhongshu.audit.models import AuditEntry

    before = AuditEntry.objects.filter(action="access.download").count()
    pdf = client.get(f"/outgoing/{doc.pk}/file.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as p:
        chars = p.pages[0].chars
    text = "".join(c["text"] for c in chars)
    doc.refresh_from_db()
    assert doc.doc_number in text and "秘密★1年" in text
    # the viewer's name is tiled over the page as a watermark (the text itself never mentions 王思远)
    assert text.count("思") >= 3 and text.count("远") >= 3 and "思远" not in doc.body
    docx = client.get(f"/outgoing/{doc.pk}/file.docx")
    assert docx.status_code == 200
    paragraphs = "".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert doc.doc_number in paragraphs and "某县城关镇人民政府：" in paragraphs and "为做好冬季安全生产工作" in paragraphs
    assert AuditEntry.objects.filter(action="access.download").count() == before + 2


@pytest.mark.parametrize(
    "kw,rule",
    [
        ({"doc_type": "请示", "direction": "down", "title": "某县人民政府办公室关于某事的请示"}, "type-direction"),
        ({"doc_type": "请示", "direction": "up", "format": "letter", "title": "某县人民政府办公室关于某事的请示"}, "letter-not-up"),
        ({"doc_type": "函", "direction": "parallel", "format": "minutes", "title": "某县人民政府办公室关于某事的函"}, "letter-format"),
        ({"title": "某县人民政府办公室冬季安全生产工作通知"}, "title-subject"),
        ({"body": "请于2026.12.5前报送。"}, "date-arabic"),
        ({"body": "各乡镇人民政府，县直各部门：\n现将有关事项通知如下。"}, "body-recipient-line"),
    ],
)
def test_each_routing_rule(people, kw, rule):
    assert rule in rules(draft(people, **kw))


def test_upward_document_needs_a_signer_after_review(people):
    clerk = people.clerk
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府")
    doc = draft(people, doc_type="报告", title="某县人民政府办公室关于某项工作情况的报告", main_recipients=[city], body="现将有关情况报告如下。")
    assert "up-signer" not in rules(doc)
    OutgoingDocument.objects.filter(pk=doc.pk).update(status="signed")
    doc.refresh_from_db()
    assert "up-signer" in rules(doc)
    doc.signers.add(people.leader)
    assert "up-signer" not in rules(doc)


def test_distribution_package_has_checksums(client, people):
    import hashlib
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.render.conftest import FONTS_OK
    from zhongshu.core.attachments import attachment_add

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    clerk = people.clerk
    doc = signed(people)
    attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile("任务分工表.pdf", b"%PDF-1.4 demo", content_type="application/pdf"))
    services.outgoing_assign_number(actor=clerk, document=doc)
    services.outgoing_print(actor=clerk, document=doc)
    services.outgoing_seal(actor=clerk, document=doc)
    client.force_login(clerk)
    resp = client.get(f"/outgoing/{doc.pk}/package.zip")
    assert resp.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(resp.content))
    names = zf.namelist()
    assert any(n.endswith(".pdf") and "任务分工表" not in n for n in names) and "附件1_任务分工表.pdf" in names
    for line in zf.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(zf.read(name)).hexdigest() == digest
    client.force_login(people.deputy)
    assert client.get(f"/outgoing/{doc.pk}/package.zip").status_code == 404


def test_flow_route_and_signer(people):
    """核稿 (section head) → 办公室审核 (director) → 签发: 分管领导 for a 通知, the principal for a 请示."""
    from zhongshu.flow.services import flow_state

    doc = draft(people)
    services.outgoing_submit(actor=people.clerk, document=doc, opinion="请审核。")
    state = flow_state(doc)
    assert state.running and state.step_name == "部门负责人核稿" and state.holders == ["李静怡"]
    with pytest.raises(Conflict, match="待办"):
        services.outgoing_sign_off(actor=people.leader, document=doc)
    doc = approve_all(doc)
    assert doc.status == "signed" and doc.signers.get().username == "deputy" and doc.issue_date is not None
    names = [a.step_name for a in flow_state(doc).history]
    assert names[:1] == ["发起"] and "部门负责人核稿" in names and "办公室审核" in names and "分管领导签发" in names
    city = ExternalOrgan.objects.get(organization=people.clerk.organization, short_name="市政府")
    up = draft(people, doc_type="请示", direction="up", title="某县人民政府办公室关于申请资金的请示", main_recipients=[city], body="请示如下。妥否，请批示。")
    services.outgoing_submit(actor=people.clerk, document=up)
    up = approve_all(up)
    assert up.signers.get().username == "leader"  # upward: the principal signs


def test_withdrawn_flow_returns_the_draft(people):
    from zhongshu.flow.services import flow_state, instance_withdraw

    doc = draft(people)
    services.outgoing_submit(actor=people.clerk, document=doc)
    instance_withdraw(actor=people.clerk, instance=flow_state(doc).instance, reason="补充材料")
    doc.refresh_from_db()
    assert doc.status == "draft"
    services.outgoing_update(actor=people.clerk, document=doc, body=BODY + "\n二、补充内容")
    services.outgoing_submit(actor=people.clerk, document=doc)
    assert flow_state(doc).running


def test_upward_document_goes_to_a_superior(people):
    doc = draft(people, direction="up")  # a 通知 sent "upward" to 城关镇 and 县财政局
    assert "up-main-superior" in rules(doc)


def test_new_draft_defaults_to_the_type_direction(client, people):
    client.force_login(people.clerk)
    assert 'value="down" selected' in client.get("/outgoing/new/").content.decode()
    assert 'value="parallel" selected' in client.get("/outgoing/new/?template=函").content.decode()


def test_review_page_shows_checklist_and_proofreading(client, people):
    doc = draft(people, body="为做好工作,现通知如下。")
    services.outgoing_submit(actor=people.clerk, document=doc)
    client.force_login(people.director)
    html = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert "第二十条" in html and "文种是否正确，格式是否规范" in html
    assert "校对结果：1 处" in html and "全角标点" in html


def test_filing_after_distribution(people):
    clerk = people.clerk
    doc = signed(people, copies=2)
    for step in (services.outgoing_assign_number, services.outgoing_print, services.outgoing_seal):
        step(actor=clerk, document=doc)
    with pytest.raises(Conflict, match="分发后"):
        services.outgoing_file(actor=clerk, document=doc)
    services.outgoing_distribute(actor=clerk, document=doc)
    assert services.outgoing_file(actor=people.archivist, document=doc).status == "filed"


def test_the_fifteen_types_agree_everywhere():
    """发文 model, renderer and proofreading engine name the same 15 文种 (条例 Art. 8)."""
    from zhongshu.outgoing.models import DocType
    from zhongshu.proofread.text import DOC_TYPES as PROOF_TYPES
    from zhongshu.render import DOC_TYPES as RENDER_TYPES

    assert len(DocType.values) == 15 and set(DocType.values) == set(RENDER_TYPES)
    assert set(DocType.values) - {"命令（令）"} <= set(PROOF_TYPES) and {"命令", "令"} <= set(PROOF_TYPES)


def test_voiding_a_used_number_updates_the_search_index(people, django_capture_on_commit_callbacks):
    """The void is a QuerySet.update(): the index must still forget the 文号 (core.signals.updated)."""
    from zhongshu.search.registry import search

    clerk = people.clerk
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.outgoing_assign_number(actor=clerk, document=signed(people))
    number = doc.doc_number
    assert [h.object_id for h in search(clerk, number).hits] == [doc.pk]
    rec = NumberRecord.objects.get(document=doc)
    with django_capture_on_commit_callbacks(execute=True):
        services.number_void(actor=clerk, record_=rec, reason="文号编错")
    assert search(clerk, number).total == 0
    assert [h.object_id for h in search(clerk, doc.title, status="signed").hits] == [doc.pk]
