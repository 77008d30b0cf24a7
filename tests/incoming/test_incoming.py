"""收文 intake: 公文交换 into the receiver's 待签收, 签收 with 收文编号, 退文 seen by the sender, manual
registration with 来文字号 checks and duplicate detection, the 收文登记簿."""

import io

import pytest
from openpyxl import load_workbook

from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.incoming import services
from zhongshu.incoming.models import IncomingDocument
from zhongshu.incoming.selectors import incoming_for
from zhongshu.org.models import ExternalOrgan, User
from zhongshu.outgoing import services as outgoing

pytestmark = pytest.mark.django_db


def distributed(people, **kw):
    clerk = people.clerk
    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    doc = outgoing.outgoing_create(actor=clerk, doc_type="通知", title="某县人民政府办公室关于做好节日值班工作的通知", body="各单位要做好值班。",
                                   main_recipients=[book["县发改局"]], cc_recipients=[book["市政府办"]], copies=2, **kw)
    outgoing.outgoing_submit(actor=clerk, document=doc)
    from tests.outgoing.test_outgoing import approve_all

    approve_all(doc)
    for step in (outgoing.outgoing_assign_number, outgoing.outgoing_print, outgoing.outgoing_seal, outgoing.outgoing_distribute):
        step(actor=clerk, document=doc)
    doc.refresh_from_db()
    return doc


def test_exchange_lands_in_the_receivers_pending_list(people):
    doc = distributed(people)
    liaison = people.liaison  # 县发改局: 部门联络员 + 文秘
    pending = incoming_for(liaison).filter(status="pending", outgoing=doc)
    assert [(d.title, d.doc_number, d.sender_name) for d in pending] == [(doc.title, doc.doc_number, "某县人民政府办公室")]
    # the demo county's distributed 通知 arrived the same way
    assert incoming_for(liaison).filter(status="pending", title__contains="元旦春节").exists()
    assert not IncomingDocument.objects.filter(outgoing=doc, distribution__recipient__short_name="市政府办").exists()  # outside the platform
    # other organizations and the sender's own clerk do not see the receiver's copy
    assert not incoming_for(people.clerk).filter(outgoing=doc).exists()
    from zhongshu.notify.models import Notification

    assert Notification.objects.filter(recipient=liaison, title__startswith="待签收").exists()


def test_sign_in_numbers_and_records(people):
    doc = distributed(people)
    liaison = people.liaison
    inc = incoming_for(liaison).get(outgoing=doc)
    inc = services.incoming_sign_in(actor=liaison, document=inc)
    assert inc.status == "received" and inc.registered_by == liaison and inc.receipt_number.startswith("收〔")
    with pytest.raises(Conflict):
        services.incoming_sign_in(actor=liaison, document=inc)
    with pytest.raises(PermissionDenied):
        services.incoming_sign_in(actor=people.clerk, document=inc)


def test_return_is_seen_by_the_sender(people, client):
    doc = distributed(people)
    liaison = people.liaison
    inc = incoming_for(liaison).get(outgoing=doc)
    with pytest.raises(ServiceError, match="退文理由"):
        services.incoming_return(actor=liaison, document=inc, reason=" ")
    services.incoming_return(actor=liaison, document=inc, reason="不属于我局职责，请改送县应急管理局")
    client.force_login(people.clerk)
    html = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert "已退文" in html and "请改送县应急管理局" in html
    from zhongshu.notify.models import Notification

    assert Notification.objects.filter(recipient=people.clerk, title__startswith="退文").exists()


@pytest.mark.parametrize(
    "number,valid,why",
    [("某政办发〔2026〕15号", True, ""), ("某政办发[2026]15号", False, "六角括号"), ("某政办发〔2026〕第15号", False, "第"),
     ("某政办发〔2026〕015号", False, "前导零"), ("2026年15号文", False, "格式")],
)
def test_doc_number_parsing(number, valid, why):
    ok, msg = services.parse_doc_number(number)
    assert ok is valid and why in msg


def test_manual_registration_with_duplicate_check(people):
    clerk = people.clerk
    first = services.incoming_register(actor=clerk, source="paper", sender_name="某市财政局", doc_number="某财发[2026]8号",
                                       title="关于下达2026年专项资金的通知", doc_type="通知", pages=3)
    assert first.doc_number_valid is False and first.doc_number == "某财发[2026]8号" and first.receipt_number
    with pytest.raises(ServiceError) as exc:
        services.incoming_register(actor=clerk, source="fax", sender_name="某市财政局", doc_number="某财发[2026]8号", title="同一份传真")
    assert exc.value.code == "duplicate" and first.receipt_number in exc.value.message
    second = services.incoming_register(actor=clerk, source="fax", sender_name="某市财政局", doc_number="某财发[2026]8号", title="同一份传真",
                                        allow_duplicate=True)
    assert second.number_serial == first.number_serial + 1


def test_registration_rules(people):
    clerk = people.clerk
    with pytest.raises(ServiceError) as exc:
        services.incoming_register(actor=clerk, source="paper", sender_name="", title="", classification=Classification.SECRET, doc_type="请示报告")
    assert {"sender_name", "title", "copy_no", "doc_type"} <= set(exc.value.fields)
    with pytest.raises(ServiceError, match="涉密等级"):
        services.incoming_register(actor=clerk, source="paper", sender_name="某市", title="机密文件", classification=Classification.CONFIDENTIAL, copy_no="000001")
    with pytest.raises(PermissionDenied):
        services.incoming_register(actor=people.deputy, source="paper", sender_name="某市", title="x")


def test_pages_and_register_export(client, people):
    doc = distributed(people)
    liaison = people.liaison
    client.force_login(liaison)
    assert doc.title in client.get("/incoming/?status=pending").content.decode()
    inc = IncomingDocument.objects.get(outgoing=doc, organization=liaison.organization)
    assert f'href="{inc.get_absolute_url()}"' in client.get("/").content.decode()  # 待签收 is in the one 待办 card
    resp = client.post(f"/incoming/{inc.pk}/sign-in/", follow=True)
    assert "已签收，收文编号" in resp.content.decode()
    pdf = client.get(f"/incoming/{inc.pk}/file.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    resp = client.post("/incoming/register/", {"source": "paper", "sender_name": "某市教育局", "doc_number": "某教发〔2026〕3号", "title": "关于某事的函",
                                               "classification": 0, "copies": 1})
    assert resp.status_code == 302
    xlsx = client.get("/incoming/?export=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    titles = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert doc.title in titles and "关于某事的函" in titles
    client.force_login(people.deputy)
    assert client.get("/incoming/").status_code == 404


def test_every_platform_recipient_gets_one_copy(people):
    doc = distributed(people)
    n = IncomingDocument.objects.filter(outgoing=doc).count()
    platform = doc.distributions.filter(channel="platform").count()
    assert n == platform == 1
    assert User.objects.filter(organization=IncomingDocument.objects.get(outgoing=doc).organization).exists()


def test_proposal_and_instruction_through_the_flow(people, client):
    """拟办 (office director) → 批示 (分管领导); opinions in order on the 收文 page; 办结 closes it."""
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    doc = IncomingDocument.objects.get(title="某市人民政府办公室关于开展安全生产大检查的通知")  # the demo county's
    assert doc.status == "handling"
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending")
    assert item.assignee == people.director
    work_item_approve(actor=people.director, item=item, opinion="拟请林副县长阅示，由县应急管理局牵头落实。")
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending")
    assert item.assignee == people.deputy
    client.force_login(people.deputy)  # a flow participant reads the document he is instructing on
    assert client.get(f"/incoming/{doc.pk}/").status_code == 200
    work_item_approve(actor=people.deputy, item=item, opinion="同意，请应急管理局抓好落实，月底前报结果。")
    doc.refresh_from_db()
    assert doc.status == "closed"  # no 主办 department named: 批示完毕即办结
    client.force_login(people.clerk)
    html = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert html.index("拟请林副县长阅示") < html.index("同意，请应急管理局抓好落实")


def test_start_handling_rules(people):
    clerk = people.clerk
    doc = services.incoming_register(actor=clerk, source="email", sender_name="某市民政局", title="关于某事的函")
    with pytest.raises(ServiceError, match="请先完成初审"):
        services.incoming_start_handling(actor=clerk, document=doc)
    doc = services.incoming_review(actor=clerk, document=doc, passed={k: True for k, _ in services.REVIEW_CHECKS}, kind="handle")
    doc = services.incoming_start_handling(actor=clerk, document=doc)
    assert doc.status == "handling"
    with pytest.raises(ServiceError):
        services.incoming_start_handling(actor=clerk, document=doc)


def test_handling_slip_pdf(people, client):
    import pdfplumber

    from tests.render.conftest import FONTS_OK
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    doc = IncomingDocument.objects.get(title="某市人民政府办公室关于开展安全生产大检查的通知")
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending")
    work_item_approve(actor=people.director, item=item, opinion="拟请林副县长阅示。")
    client.force_login(people.clerk)
    resp = client.get(f"/incoming/{doc.pk}/slip.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(resp.content)) as pdf:
        text = "".join(ch["text"] for ch in pdf.pages[0].chars)
    for expected in ("收文处理笺", "某市政办发〔2026〕42号", doc.receipt_number, "拟请林副县长阅示。", "陈志远", "领导批示"):
        assert expected in text, expected


def test_exchanged_copy_carries_the_senders_attachments(people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhongshu.core.attachments import attachment_add

    clerk = people.clerk
    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    doc = outgoing.outgoing_create(actor=clerk, doc_type="通知", title="某县人民政府办公室关于报送统计数据的通知", body="请按附表报送。",
                                   main_recipients=[book["县发改局"]], attachment_names=["统计表"])
    att = attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile("统计表.txt", "序号,单位".encode()))
    outgoing.outgoing_submit(actor=clerk, document=doc)
    from tests.outgoing.test_outgoing import approve_all

    approve_all(doc)
    for step in (outgoing.outgoing_assign_number, outgoing.outgoing_print, outgoing.outgoing_seal, outgoing.outgoing_distribute):
        step(actor=clerk, document=doc)
    inc = IncomingDocument.objects.get(outgoing=doc)
    client.force_login(people.liaison)
    assert client.get(att.get_absolute_url()).status_code == 404  # the sender's own route stays closed
    page = client.get(f"/incoming/{inc.pk}/").content.decode()
    assert "来文附件" in page and "统计表.txt" in page
    resp = client.get(f"/incoming/{inc.pk}/sender-files/{att.pk}/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == "序号,单位".encode()
    client.force_login(people.clerk)  # the sender's clerk does not see the receiver's copy
    assert client.get(f"/incoming/{inc.pk}/sender-files/{att.pk}/").status_code == 404
