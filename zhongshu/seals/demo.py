"""Demo 印章 of the county government office, all through the real services: the county government's 公章, the
office's 公章, a 合同专用章, a department seal, an electronic seal, and a 财务专用章 lost with its 作废声明; approved and
registered uses (one from 发文's 用印 step with its 文号), a pending 合同 request, a seal out on loan, and a run of
介绍信 with one returned unused and voided."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.org.models import Department, Organization, User

from . import services
from .flowdemo import build_seal_flow
from .models import ApproverKind, Matter, Seal, SealKind


def impression_png(text: str = "") -> SimpleUploadedFile:
    """A small red ring as a stand-in 印模 (demo and tests)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (120, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((6, 6, 114, 114), outline=(200, 0, 0, 255), width=6)
    draw.polygon([(60, 38), (66, 56), (84, 56), (70, 67), (75, 85), (60, 74), (45, 85), (50, 67), (36, 56), (54, 56)], fill=(200, 0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return SimpleUploadedFile(f"印模{text}.png", buf.getvalue(), content_type="image/png")


def approve_all(req) -> None:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    while True:
        item = WorkItem.objects.filter(instance__object_id=req.pk, instance__business_type="seal_use", status="pending", kind="todo").first()
        if item is None:
            return
        work_item_approve(actor=item.assignee, item=item, opinion="同意用印。")


def make_active(director: User, kind: SealKind, name: str, keeper: User, storage: str, *, department: Department | None = None,
                electronic: bool = False) -> Seal:
    seal = services.seal_apply(actor=director, kind=kind, name=name, department=department, electronic=electronic, reason="机构设置需要")
    if electronic:
        today = timezone.localdate()
        seal = services.seal_make(actor=director, seal=seal, es_id=f"ES{seal.pk:06d}", valid_from=datetime.date(today.year, 1, 1),
                                  valid_until=datetime.date(today.year + 2, 12, 31), key_reference="UKEY-ZFB-0001",
                                  certificate_subject=f"CN={name}", certificate_serial=f"5F3A{seal.pk:04d}", certificate_issuer="某省数字证书认证中心")
    else:
        seal = services.seal_make(actor=director, seal=seal, engraver="某县公安局指定刻章点（某县红星刻字社）", filing_number=f"4101230{seal.pk:05d}")
    services.seal_impression(actor=director, seal=seal, upload=impression_png(str(seal.pk)))
    return services.seal_enable(actor=director, seal=seal, keeper=keeper, storage=storage)


def build_demo_seals() -> None:
    zfb = Organization.objects.get(code="zfb")
    if Seal.objects.filter(organization=zfb).exists():
        return
    people = {u.real_name: u for u in User.objects.filter(organization=zfb)}
    director, clerk = User.objects.get(username="director"), User.objects.get(username="clerk")
    kinds = {k.code: k for k in services.ensure_kinds(zfb)}
    build_seal_flow(zfb)
    services.rule_add(actor=director, approver=ApproverKind.OFFICE_DIRECTOR, label="办公室主任", order=10)
    services.rule_add(actor=director, kind=kinds["contract"], approver=ApproverKind.PERSON, person=people["吴俊杰"], label="法律顾问", order=1)
    services.rule_add(actor=director, kind=kinds["contract"], approver=ApproverKind.DEPT_LEADER, label="分管领导", order=2)

    county = make_active(director, kinds["official"], "某县人民政府", people["李静怡"], "机要保密室保险柜")
    office = make_active(director, kinds["official"], zfb.name, clerk, "秘书一科印章柜（加锁）")
    contract = make_active(director, kinds["contract"], f"{zfb.name}合同专用章", people["曹丽娟"], "行政科印章柜（加锁）")
    dcs = Department.objects.get(organization=zfb, name="督查室")
    dept_seal = make_active(director, kinds["department"], f"{zfb.name}督查室", people["黄振华"], "督查室文件柜（加锁）", department=dcs)
    make_active(director, kinds["official"], f"{zfb.name}电子公章", clerk, "电子印章系统", electronic=True)
    finance = make_active(director, kinds["finance"], f"{zfb.name}财务专用章", people["曹丽娟"], "行政科保险柜")
    services.seal_report_lost(actor=director, seal=finance, lost_on=timezone.localdate() - datetime.timedelta(days=3),
                              circumstances="外出办理业务途中遗失，已向公安机关报案。")

    # Approved and registered uses.
    for requester, seal, title, copies in (
        (people["吴俊杰"], office, "关于报送2026年度政务信息工作总结的函", 2),
        (people["黄振华"], county, "某县人民政府关于同意设立县级应急物资储备库的批复", 5),
        (people["刘晓楠"], office, "综合科工作人员在职证明", 1),
    ):
        req = services.request_create(actor=requester, seals=[seal], matter=Matter.DOCUMENT if copies > 1 else Matter.CERTIFICATE,
                                      document_title=title, copies=copies, purpose="对外报送" if copies > 1 else "办理个人事务")
        approve_all(req)
        services.request_stamp(actor=seal.keeper, request=req, seal=seal, copies=copies, witness="高晓燕")
    # Pending: a contract waits for the legal adviser.
    services.request_create(actor=people["何雅琴"], seals=[contract], matter=Matter.CONTRACT, document_title="机关办公楼物业服务合同（2027年度）",
                            copies=4, purpose="签订物业服务合同")
    # Out on loan: the 督查室 seal went with the inspection team.
    loan = services.loan_request(actor=people["黄振华"], seal=dept_seal, carrier=people["黄振华"], companion=people["何雅琴"],
                                 purpose="赴乡镇开展专项督查，现场出具督查通知", destination="东岭镇、西河乡",
                                 expected_return=timezone.localdate() + datetime.timedelta(days=2))
    services.loan_decide(actor=director, loan=loan, approve=True, note="注意保管，按时归还。")
    # 发文 用印: an issued document gets its registration (with its 文号) from the 用印 step itself.
    _issued_document(clerk)
    # 介绍信: a run of four, one returned unused and voided, one used.
    letters = [services.letter_issue(actor=clerk, holder=h, holder_count=n, receiving_unit=u, matter=m,
                                     valid_until=timezone.localdate() + datetime.timedelta(days=15))
               for h, n, u, m in (("吴俊杰", 1, "某市人民政府办公室", "报送政务信息材料"), ("黄振华", 2, "某市审计局", "联系审计整改事宜"),
                                  ("刘晓楠", 1, "某县人力资源和社会保障局", "办理人员调动手续"), ("彭浩然", 1, "某县不动产登记中心", "查询机关办公用房产权资料"))]
    services.letter_close(actor=clerk, letter=letters[1], used=True)
    services.letter_close(actor=clerk, letter=letters[3], used=False, reason="事项取消，退回未使用")


def _issued_document(clerk: User) -> None:
    from zhongshu.org.models import ExternalOrgan
    from zhongshu.outgoing import services as outgoing
    from zhongshu.outgoing.models import OutgoingDocument

    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    doc = outgoing.outgoing_create(actor=clerk, doc_type="通知", title=f"{clerk.organization.name}关于规范机关印章使用管理的通知",
                                   body="为加强机关印章管理，现将有关事项通知如下。\n一、严格用印审批\n用印须经审批并登记。\n二、规范印章保管\n印章由专人保管，加锁存放。",
                                   main_recipients=[book["城关镇"], book["东岭镇"]], copies=4)
    outgoing.outgoing_submit(actor=clerk, document=doc, opinion="请审核。")
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    while True:
        item = WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo").first()
        if item is None:
            break
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    doc = OutgoingDocument.objects.get(pk=doc.pk)
    outgoing.outgoing_assign_number(actor=clerk, document=doc)
    outgoing.outgoing_print(actor=clerk, document=doc)
    outgoing.outgoing_seal(actor=clerk, document=doc)
