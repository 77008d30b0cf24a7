"""批示 that reaches the people who must act (issue 15 §2): the 拟办/批示 work item shows the document and the
承办安排 saved with the opinion; 拟办 names the leaders and their order; a 批示 without 主办 asks “无需承办，直接办结？”;
buttons say what they do; a handwritten 签批 is kept with the opinion and shown; the 处理笺's 传阅 line."""

from __future__ import annotations

import base64
import datetime
import io

import pytest

from zhongshu.core.errors import ServiceError
from zhongshu.flow.models import FlowAction, WorkItem, step_verb
from zhongshu.flow.services import work_item_approve
from zhongshu.incoming import services
from zhongshu.incoming.models import IncomingDocument
from zhongshu.org.models import Department, User
from zhongshu.workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db

ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}


def person(name: str) -> User:
    return User.objects.get(real_name=name)


def dept(name: str, org) -> Department:
    return Department.objects.get(organization=org, name=name)


def new_document(people, title="某市水利局关于做好冬春水利设施安全检查的通知") -> IncomingDocument:
    clerk = people.clerk
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市水利局", doc_number="某水发〔2026〕9号",
                                     title=title, doc_type="通知", pages=2)
    doc = services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=doc, opinion="请主任拟办。")
    doc.refresh_from_db()
    return doc


def items(doc: IncomingDocument, status: str = "pending"):
    return WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="incoming", kind="todo", status=status).order_by("id")


def png_data_url(width=300, height=100, ink=True) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(img).line([(10, 50), (150, 20), (290, 80)], fill=(0, 0, 0, 255), width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


# ---- 3. buttons say what they do ------------------------------------------------------------------------
def test_step_verbs_from_step_names():
    assert [step_verb(n) for n in ("签发", "领导批示", "圈阅", "核稿", "办公室审核", "会签", "拟办", "部门意见")] == [
        "签发", "批示", "圈阅", "核稿", "审核", "会签", "拟办", "同意并提交"]


# ---- 1. the page: document, 承办安排 saved with the opinion ----------------------------------------------------
def test_proposal_page_shows_arrangement_and_leaders_and_saves_them_with_the_opinion(people, web):
    doc = new_document(people)
    org = doc.organization
    item = items(doc).get()
    assert item.assignee == people.director
    client = web(people.director)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'value="approve">拟办</button>' in page  # the button says what the step is
    assert 'name="lead_department"' in page and 'name="co_departments"' in page and 'name="deadline"' in page
    assert 'name="leader_1"' in page and 'name="leader_2"' in page  # 拟办 names the leaders for 批示
    assert doc.body == "" or doc.body in page
    deadline = add_workdays(datetime.date.today(), 5, organization_id=org.pk)
    xu, head = person("许建平"), people.leader  # a 副县长, then the 县长
    resp = client.post(f"/flow/items/{item.pk}/approve/", {
        "opinion": "拟请许副县长阅示后呈周县长批示，由综合科牵头办理。", "lead_department": dept("综合科", org).pk,
        "co_departments": [dept("督查室", org).pk], "deadline": deadline.isoformat(), "leader_1": xu.pk, "leader_2": head.pk,
    })
    assert resp.status_code == 302, resp.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.lead_department.name == "综合科" and [d.name for d in doc.co_departments.all()] == ["督查室"]
    assert doc.deadline == deadline and doc.proposed_leaders == [xu.pk, head.pk]
    # 批示 goes to the named leaders in that order: 许建平 now, 周国梁 after him
    assert [(i.assignee.real_name, i.status) for i in WorkItem.objects.filter(instance=item.instance, round=item.instance.items.latest("id").round)
            .order_by("sequence")] == [("许建平", "pending"), ("周国梁", "queued")]
    first = items(doc).get()
    page = web(xu).get(first.get_absolute_url()).content.decode()
    assert 'value="approve">批示</button>' in page and 'name="leader_1"' not in page
    assert web(xu).post(f"/flow/items/{first.pk}/approve/", {"opinion": "同意，请周县长阅示。", "lead_department": dept("综合科", org).pk,
                                                             "co_departments": [dept("督查室", org).pk], "deadline": deadline.isoformat()}).status_code == 302
    second = items(doc).get()
    assert second.assignee == head
    assert web(head).post(f"/flow/items/{second.pk}/approve/", {"opinion": "同意。", "lead_department": dept("综合科", org).pk,
                                                                "deadline": deadline.isoformat()}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "assigned" and [d.name for d in doc.co_departments.all()] == []  # the 县长 dropped the 协办
    assert sorted(u.department.name for u in doc.undertakings.all()) == ["综合科"]


def test_default_is_the_leader_in_charge(people):
    doc = new_document(people)
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长阅示。", subject_data={})
    assert items(doc).get().assignee == people.deputy  # the 分管领导 of the office, as before


def test_instruction_without_lead_asks_before_closing(people, web):
    doc = new_document(people)
    client = web(people.director)
    item = items(doc).get()
    assert client.post(f"/flow/items/{item.pk}/approve/", {"opinion": "拟请林副县长阅。"}).status_code == 302  # 拟办 does not close
    deputy_item = items(doc).get()
    deputy = web(people.deputy)
    resp = deputy.post(f"/flow/items/{deputy_item.pk}/approve/", {"opinion": "已阅。"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "无需承办，直接办结？" in page and 'name="no_undertaking"' in page and "已阅。" in page
    deputy_item.refresh_from_db()
    doc.refresh_from_db()
    assert deputy_item.status == "pending" and doc.status == "handling"
    assert deputy.post(f"/flow/items/{deputy_item.pk}/approve/", {"opinion": "已阅。", "no_undertaking": "on"}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "closed"


def test_instruction_with_a_lead_chosen_on_the_confirmation_goes_to_undertaking(people, web):
    doc = new_document(people)
    org = doc.organization
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长阅示。", subject_data={})
    deputy = web(people.deputy)
    deputy_item = items(doc).get()
    assert deputy.post(f"/flow/items/{deputy_item.pk}/circle/", {"opinion": ""}).status_code == 400  # 圈阅 asks too
    resp = deputy.post(f"/flow/items/{deputy_item.pk}/approve/", {"opinion": "请行政科办理。", "lead_department": dept("行政科", org).pk})
    assert resp.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "assigned" and doc.undertakings.get().department.name == "行政科"


def test_api_refuses_a_closing_instruction_without_lead_unless_confirmed(people, api):
    doc = new_document(people)
    org = doc.organization
    director = api(people.director)
    item = items(doc).get()
    resp = director.post(f"/api/v1/flow/items/{item.pk}/approve/", {"opinion": "拟请许副县长阅示。", "subject": {"leaders": [person("许建平").pk]}},
                         format="json")
    assert resp.status_code == 200, resp.json()
    doc.refresh_from_db()
    assert doc.proposed_leaders == [person("许建平").pk]
    xu_item = items(doc).get()
    assert xu_item.assignee.real_name == "许建平"
    xu = api(person("许建平"))
    resp = xu.post(f"/api/v1/flow/items/{xu_item.pk}/approve/", {"opinion": "已阅。"}, format="json")
    assert resp.status_code == 400 and "no_undertaking" in resp.json()["fields"], resp.json()
    resp = xu.post(f"/api/v1/flow/items/{xu_item.pk}/approve/", {"opinion": "请综合科办理。", "subject": {"lead_department": 999999}}, format="json")
    assert resp.status_code == 400 and "lead_department" in resp.json()["fields"]
    resp = xu.post(f"/api/v1/flow/items/{xu_item.pk}/approve/", {"opinion": "已阅。", "no_undertaking": True}, format="json")
    assert resp.status_code == 200
    doc.refresh_from_db()
    assert doc.status == "closed" and dept("综合科", org).pk  # closed, nobody asked to handle it


def test_proposed_leaders_are_checked(people):
    doc = new_document(people)
    other = User.objects.exclude(organization_id=doc.organization_id).filter(is_active=True, admin_role="").first()
    with pytest.raises(ServiceError) as exc:
        work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟办", subject_data={"leaders": [other]})
    assert "leaders" in exc.value.fields
    with pytest.raises(ServiceError):
        services.incoming_propose_leaders(actor=people.deputy, document=doc, leaders=[people.leader])  # not holding it
    doc.refresh_from_db()
    assert doc.proposed_leaders == []


# ---- 4. the handwritten 签批 ------------------------------------------------------------------------------
def test_signature_is_checked_and_re_encoded():
    from zhongshu.flow.signature import MAX_BYTES, parse_signature

    assert parse_signature("") is None
    assert parse_signature(png_data_url(ink=False)) is None  # an untouched pad is no signature
    png = parse_signature(png_data_url())
    assert png is not None and png.startswith(b"\x89PNG")
    for bad in ("data:image/jpeg;base64,/9j/4AAQ", "data:image/png;base64,!!!!", "data:image/png;base64," + base64.b64encode(b"GIF89a").decode(),
                "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"x" * 100).decode(),
                "data:image/png;base64," + "A" * (MAX_BYTES * 2)):
        with pytest.raises(ServiceError) as exc:
            parse_signature(bad)
        assert "signature" in exc.value.fields
    with pytest.raises(ServiceError, match="尺寸"):
        parse_signature(png_data_url(width=3000, height=50))


def test_signature_kept_with_the_opinion_and_shown(people, web, client):
    import pdfplumber

    from tests.render.conftest import FONTS_OK

    doc = new_document(people)
    org = doc.organization
    work_item_approve(actor=people.director, item=items(doc).get(), opinion="拟请林副县长批示。", subject_data={})
    item = items(doc).get()
    deputy = web(people.deputy)
    resp = deputy.post(f"/flow/items/{item.pk}/approve/", {"opinion": "同意，请行政科抓好落实。", "lead_department": dept("行政科", org).pk,
                                                           "signature": png_data_url()})
    assert resp.status_code == 302
    entry = FlowAction.objects.get(work_item=item)
    assert entry.signature is not None and entry.signature.mime == "image/png"
    page = deputy.get(f"/flow/instances/{item.instance_id}/").content.decode()
    assert f"/files/{entry.signature_id}/" in page
    assert deputy.get(f"/files/{entry.signature_id}/").status_code == 200
    assert f"/files/{entry.signature_id}/" in web(people.clerk).get(doc.get_absolute_url()).content.decode()
    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    pdf = web(people.clerk).get(f"/incoming/{doc.pk}/slip.pdf")
    with pdfplumber.open(io.BytesIO(pdf.content)) as p:
        assert len(p.pages[0].images) == 1
        assert "同意，请行政科抓好落实。" in "".join(ch["text"] for ch in p.pages[0].chars)


def test_bad_signature_refuses_the_approval_and_keeps_the_item(people, web):
    doc = new_document(people)
    item = items(doc).get()
    resp = web(people.director).post(f"/flow/items/{item.pk}/approve/", {"opinion": "拟办", "signature": "data:image/png;base64,AAAA"})
    assert resp.status_code == 400 and "手写签批" in resp.content.decode()
    item.refresh_from_db()
    assert item.status == "pending"


# ---- 1. preview frame --------------------------------------------------------------------------------------
def test_document_pdf_may_be_framed_by_the_platform_only(people, web):
    from zhongshu.outgoing.models import OutgoingDocument

    exchanged = IncomingDocument.objects.filter(outgoing__isnull=False).first()
    out = OutgoingDocument.objects.exclude(status="draft").first()
    client = web(out.drafter)
    resp = client.get(f"/outgoing/{out.pk}/file.pdf")
    if resp.status_code == 200:
        assert resp["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in resp["Content-Security-Policy"]
    page = client.get("/inbox/")
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    if exchanged is not None:
        from zhongshu.incoming.subject import IncomingSubject

        assert IncomingSubject().preview_url(exchanged, people.clerk) == f"/incoming/{exchanged.pk}/file.pdf"


def test_review_item_page_embeds_the_draft_pdf(people, web):
    item = WorkItem.objects.filter(instance__business_type="outgoing", status="pending", kind="todo").select_related("assignee").first()
    if item is None:
        pytest.skip("演示数据中没有审核中的发文")
    page = web(item.assignee).get(item.get_absolute_url()).content.decode()
    obj = item.instance.object_id
    assert f'<iframe class="doc-preview-frame" src="/outgoing/{obj}/file.pdf"' in page
    assert f'value="approve">{item.step.verb}</button>' in page


# ---- 5. the 处理笺's 传阅 line ----------------------------------------------------------------------------------
def test_circulation_line_marks_each_reader_once():
    from types import SimpleNamespace

    from django.utils import timezone

    from zhongshu.incoming.slip import _reader_line

    when = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))
    reader = SimpleNamespace(display_name="周国梁")
    assert _reader_line(SimpleNamespace(reader=reader, comment="已阅。", read_at=when)) == "周国梁 已阅 2026年12月3日"
    assert _reader_line(SimpleNamespace(reader=reader, comment="请各科室认真学习。", read_at=when)) == "周国梁 已阅 2026年12月3日（请各科室认真学习）"
    assert _reader_line(SimpleNamespace(reader=reader, comment="", read_at=None)) == "周国梁 已阅"


def test_registered_scan_is_previewed_on_the_proposal_page(people, web):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhongshu.core.attachments import attachment_add

    doc = new_document(people, title="某市交通运输局关于冬季道路安全的通知")
    scan = attachment_add(actor=people.clerk, obj=doc, upload=SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    item = items(doc).get()
    client = web(people.director)
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'<iframe class="doc-preview-frame" src="/files/{scan.pk}/?inline=1"' in page
    framed = client.get(f"/files/{scan.pk}/?inline=1")
    assert framed.status_code == 200 and framed["X-Frame-Options"] == "SAMEORIGIN" and framed["Content-Disposition"].startswith("inline")
    plain = client.get(f"/files/{scan.pk}/")
    assert plain["X-Frame-Options"] == "DENY" and plain["Content-Disposition"].startswith("attachment")
    assert web(people.archivist).get(f"/files/{scan.pk}/?inline=1").status_code == 404  # still through the document's access


def test_api_item_says_the_verb_and_the_fields(people, api):
    doc = new_document(people, title="某市民政局关于做好冬季救助工作的通知")
    item = items(doc).get()
    data = api(people.director).get(f"/api/v1/flow/items/{item.pk}/").json()
    assert data["verb"] == "拟办"
    fields = {f["name"]: f for f in data["subject_fields"]}
    assert {"lead_department", "co_departments", "deadline", "leader_1"} <= set(fields)
    assert "许建平" in [c["name"] for c in fields["leader_1"]["choices"]] and "综合科" in [c["name"] for c in fields["lead_department"]["choices"]]


def test_signer_signature_on_the_outgoing_draft_sheet(people, web):
    """签发 with a handwritten 签批: the 发文稿纸's 签发人 line shows it."""
    from zhongshu.outgoing.models import OutgoingDocument

    item = WorkItem.objects.filter(instance__business_type="outgoing", status="pending", kind="todo").order_by("id").first()
    assert item is not None, "演示数据应有审核中的发文"
    instance = item.instance
    for _ in range(12):
        pending = list(WorkItem.objects.filter(instance=instance, status="pending", kind="todo").select_related("step", "assignee"))
        assert pending, "签发 step not reached"
        current = pending[0]
        if current.step is not None and current.step.verb == "签发":
            resp = web(current.assignee).post(f"/flow/items/{current.pk}/approve/", {"opinion": "同意印发。", "signature": png_data_url()})
            assert resp.status_code == 302, resp.content.decode()[:1500]
            break
        work_item_approve(actor=current.assignee, item=current, opinion="同意。")
    else:
        pytest.fail("签发 step not reached")
    doc = OutgoingDocument.objects.get(pk=instance.object_id)
    entry = FlowAction.objects.get(work_item=current)
    assert entry.signature_id and doc.signers.filter(pk=current.assignee_id).exists()
    page = web(current.assignee).get(doc.get_absolute_url()).content.decode()
    sheet = page[page.index("<dt>签发人</dt>"):page.index("<dt>主送</dt>")]
    assert f"/files/{entry.signature_id}/" in sheet


def test_proposal_names_another_organization_on_the_platform_as_lead(people, web):
    """The 批示 page offers the same units as the 收文 page's 承办安排: other organizations on the platform too."""
    from zhongshu.org.models import Organization

    doc = new_document(people, title="某市发展改革委关于报送重点项目进展情况的通知")
    bureau = Organization.objects.exclude(pk=doc.organization_id).get(name__contains="发展和改革局")
    item = items(doc).get()
    client = web(people.director)
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'value="o:{bureau.pk}"' in page and f'value="d:{dept("综合科", doc.organization).pk}"' in page
    resp = client.post(f"/flow/items/{item.pk}/approve/", {"opinion": "拟请县发改局牵头办理。", "lead_department": f"o:{bureau.pk}",
                                                           "co_departments": [f"d:{dept('督查室', doc.organization).pk}"]})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.lead_organization == bureau and doc.lead_department is None
    assert [d.name for d in doc.co_departments.all()] == ["督查室"]
    # an unknown unit is refused with a Chinese message and changes nothing
    item = items(doc).get()
    resp = web(item.assignee).post(f"/flow/items/{item.pk}/approve/", {"opinion": "同意。", "lead_department": "o:999999"})
    assert resp.status_code == 400 and "o:999999 不在可用的选项中" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.lead_organization == bureau
