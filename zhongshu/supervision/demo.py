"""Demo 督办事项, built through the services: one being reported on weekly (县发改局 主办), one overdue (red),
one closed (销号), one disputed awaiting 改派, one not yet assigned."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhongshu.core.signals import updated
from zhongshu.org.models import Department, Organization, User
from zhongshu.org.roles import Role

from . import services
from .models import Cycle, Source, SupervisionItem, SupervisionTask


def _office(code: str) -> Department:
    return Department.objects.get(organization__code=code, code="BGS")


def _liaison(dept: Department) -> User:
    return User.objects.filter(memberships__department=dept, role_assignments__role=Role.LIAISON).first() or User.objects.get(pk=dept.head_id)


def _task(item: SupervisionItem, dept: Department) -> SupervisionTask:
    return item.tasks.exclude(status="reassigned").get(department=dept)


def build_demo_supervision() -> None:
    zfb = Organization.objects.get(code="zfb")
    if SupervisionItem.objects.filter(organization=zfb).exists():
        return
    clerk, director = User.objects.get(username="clerk"), User.objects.get(username="director")
    leader, deputy = User.objects.get(username="leader"), User.objects.get(username="deputy")
    today = timezone.localdate()
    fgj, czj, zjj, jyj, jtj = (_office(c) for c in ("fgj", "czj", "zjj", "jyj", "jtj"))

    # 1. A 批示 reported on weekly: 县发改局 主办 (the demo liaison), 县财政局 协办.
    a = services.supervision_item_create(
        actor=clerk, source=Source.INSTRUCTION, source_ref="县长批示〔2026〕18号", responsible_leader=deputy,
        title="加快推进2027年重点项目前期工作", content="周国梁县长批示：请发改局牵头，财政局配合，年底前完成2027年重点项目储备库建设和前期手续办理，每周报送进展。",
        lead_department=fgj, co_departments=[czj], workdays=40, cycle=Cycle.WEEKLY,
        milestones=[("完成项目储备库初稿", today + datetime.timedelta(days=20))],
    )
    services.supervision_item_assign(actor=clerk, item=a, requirement="请于每周五前报送工作进展。")
    services.supervision_task_accept(actor=_liaison(fgj), task=_task(a, fgj))
    services.supervision_task_accept(actor=_liaison(czj), task=_task(a, czj))
    report = services.supervision_report_submit(actor=_liaison(fgj), task=_task(a, fgj), content="已梳理拟纳入储备库项目46个，正在逐一核实前期手续。")
    services.supervision_report_review(actor=clerk, report=report, accept=True)

    # 2. A 会议议定 past its deadline: red, escalated to the responsible leader.
    b = services.supervision_item_create(
        actor=director, source=Source.MEETING, source_ref="县政府第32次常务会议", responsible_leader=leader,
        title="城区老旧小区改造三季度任务清零", content="县政府第32次常务会议议定：住建局负责，9月底前完成城区老旧小区改造三季度任务。",
        lead_department=zjj, deadline=today + datetime.timedelta(days=1), cycle=Cycle.MONTHLY,
    )
    services.supervision_item_assign(actor=director, item=b)
    services.supervision_task_accept(actor=_liaison(zjj), task=_task(b, zjj))
    # Demo only: move the item back in time so that it shows as overdue today.
    past = today - datetime.timedelta(days=40)
    SupervisionItem.objects.filter(pk=b.pk).update(created_on=past, assigned_on=past, created_month=past.year * 100 + past.month, deadline=today - datetime.timedelta(days=5),
                                                   original_deadline=today - datetime.timedelta(days=5))
    b.refresh_from_db()
    services.refresh_light(b)
    updated(b)  # derived data (the inbox's deadlines) follows the back-dated item
    services.supervision_reminder_issue(actor=director, item=b)

    # 3. A 重点工作 done and closed (销号).
    c = services.supervision_item_create(
        actor=clerk, source=Source.KEY_TASK, responsible_leader=deputy, title="完成全县中小学校舍安全排查",
        content="2026年重点工作：教育局负责完成全县中小学校舍安全隐患排查整治。", lead_department=jyj, workdays=10,
    )
    services.supervision_item_assign(actor=clerk, item=c)
    services.supervision_task_accept(actor=_liaison(jyj), task=_task(c, jyj))
    services.supervision_completion_request(actor=_liaison(jyj), task=_task(c, jyj), content="已完成全县87所中小学校舍排查，发现隐患12处，已全部整改。")
    services.supervision_item_verify(actor=clerk, item=c, accept=True)
    services.supervision_item_confirm(actor=deputy, item=c)

    # 4. A 人大建议 the department disputes, waiting for the office to reassign.
    d = services.supervision_item_create(
        actor=clerk, source=Source.NPC, source_ref="县人大十八届六次会议第015号建议", responsible_leader=deputy,
        title="关于增设城区公交线路的建议办理", content="县人大代表建议增设城区至工业园区公交线路。", lead_department=jtj, workdays=30, cycle=Cycle.MONTHLY,
    )
    services.supervision_item_assign(actor=clerk, item=d)
    services.supervision_task_dispute(actor=_liaison(jtj), task=_task(d, jtj), reason="公交线路规划由县住建局牵头，建议改派。")

    # 5. A 政协提案 registered, not yet assigned.
    services.supervision_item_create(
        actor=clerk, source=Source.CPPCC, source_ref="县政协提案第027号", responsible_leader=leader,
        title="关于加强农村饮用水安全保障的提案办理", content="请水利局会同卫健委研究办理，按期答复提案人。",
        lead_department=_office("slj"), co_departments=[_office("wjw")], workdays=60, cycle=Cycle.HALF_MONTH,
    )
