"""Demo 收文 for the county government office: a city document waiting for the director's 拟办, one with the
综合科 in 承办, one at 县发改局 (主办) and 城关镇 (协办) waiting for their 签收, a 阅件 in 传阅 with the county head,
and one handled to the end (办结)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhongshu.org.models import Department, ExternalOrgan, Organization, User
from zhongshu.workdays.calendar import add_workdays

from . import services
from .flowdemo import build_incoming_flow
from .models import IncomingDocument

ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}


def _through_instruction(doc: IncomingDocument, director: User, deputy: User, lead: Department | Organization, co: list[Department | Organization],
                         deadline: datetime.date, proposal: str, instruction: str) -> IncomingDocument:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    def item() -> WorkItem:
        return WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")

    services.incoming_plan(actor=director, document=doc, lead_department=lead, co_departments=co, deadline=deadline)
    work_item_approve(actor=director, item=item(), opinion=proposal)
    work_item_approve(actor=deputy, item=item(), opinion=instruction)
    doc.refresh_from_db()
    return doc


def build_demo_incoming() -> None:
    clerk = User.objects.get(username="clerk")
    director = User.objects.get(username="director")
    deputy = User.objects.get(username="deputy")
    leader = User.objects.get(username="leader")
    org = clerk.organization
    build_incoming_flow(org, director)
    city = ExternalOrgan.objects.get(organization=org, short_name="市政府办")
    today = timezone.localdate()
    doc = services.incoming_register(
        actor=clerk, source="paper", sender_organ=city, doc_number="某市政办发〔2026〕42号",
        title="某市人民政府办公室关于开展安全生产大检查的通知", doc_type="通知", pages=4,
        deadline=today + datetime.timedelta(days=10),
    )
    doc = services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=doc, opinion="请主任拟办。")

    depts = {d.name: d for d in Department.objects.filter(organization=org)}
    # 承办中: the 综合科 leads, the 督查室 assists.
    fire = services.incoming_register(
        actor=clerk, source="paper", sender_name="某市应急管理局", doc_number="某应急发〔2026〕31号",
        title="某市应急管理局关于做好今冬明春森林防火工作的通知", doc_type="通知", pages=3,
    )
    fire = services.incoming_review(actor=clerk, document=fire, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=fire, opinion="请主任拟办。")
    _through_instruction(fire, director, deputy, depts["综合科"], [depts["督查室"]], add_workdays(today, 7, organization_id=org.pk),
                         "拟请林副县长阅示，由综合科牵头、督查室配合抓好落实。", "同意。请综合科牵头，12月10日前报落实情况。")

    # 承办 at other organizations on the platform: 县发改局 leads (its principal 汪海峰 and liaison 杨帆 have it to
    # 签收), 城关镇 assists.
    projects = services.incoming_register(
        actor=clerk, source="paper", sender_name="某市发展和改革委员会", doc_number="某发改投资〔2026〕56号",
        title="某市发展和改革委员会关于做好2027年重点项目申报工作的通知", doc_type="通知", pages=5,
    )
    projects = services.incoming_review(actor=clerk, document=projects, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=projects, opinion="请主任拟办。")
    _through_instruction(projects, director, deputy, Organization.objects.get(code="fgj"), [Organization.objects.get(code="cgz")],
                         add_workdays(today, 10, organization_id=org.pk),
                         "拟请林副县长阅示，由县发改局牵头、城关镇配合做好申报。", "同意。请县发改局牵头，12月20日前报送申报材料。")

    # 办结: the 行政科 replied and the office closed it.
    summary = services.incoming_register(
        actor=clerk, source="email", sender_name="某市人民政府办公室", doc_number="某政办函〔2026〕88号",
        title="某市人民政府办公室关于报送2026年度政务公开工作总结的函", doc_type="函", pages=2,
    )
    summary = services.incoming_review(actor=clerk, document=summary, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=summary, opinion="请主任拟办。")
    summary = _through_instruction(summary, director, deputy, depts["信息科"], [], add_workdays(today, 5, organization_id=org.pk),
                                   "拟请信息科起草总结，报林副县长审定。", "同意。")
    lead = summary.undertakings.get(role="lead")
    services.undertaking_reply(actor=lead.department.head, undertaking=lead, reply="已起草《2026年度政务公开工作总结》，经林副县长审定后报送市政府办公室。")
    services.incoming_close(actor=clerk, document=summary, note="已按要求报送。")

    # 传阅中: a 阅件 with the county head, then the deputy.
    report = services.incoming_register(
        actor=clerk, source="paper", sender_name="某市统计局", doc_number="某统发〔2026〕19号",
        title="某市统计局关于2026年前三季度全市经济运行情况的通报", doc_type="通报", pages=6,
    )
    report = services.incoming_review(actor=clerk, document=report, passed=ALL_PASS, kind="read")
    services.circulation_start(actor=clerk, document=report, readers=[leader, deputy], mode="sequential")
