"""督查督办 in the access matrix: items at each classification, tasks for another organization's department (县发改局,
the liaison's) and for internal departments, in every state (待交办, 待签收, 办理中, 有异议, 申请延期, 申请办结, 已审核,
已销号), progress reports, 反馈, 催办单 and a milestone carrying the marker — so work lists, notifications, 通报 and
催办单 carry markers too. Everything goes through the real services (zhongshu/supervision/services.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User
from zhongshu.supervision import services
from zhongshu.supervision.models import Cycle, Source

KIND = "督办"


def _office(code: str) -> Department:
    return Department.objects.get(organization__code=code, code="BGS")


def _dept(owner: User, name: str) -> Department:
    return Department.objects.get(organization=owner.organization, name=name)


def build(w: Any) -> None:
    p = w.people
    clerk, director, deputy, liaison = p.clerk, p.director, p.deputy, p.liaison
    fgj = _office("fgj")  # another organization's 办公室: its 联络员 is the liaison persona (秘密 clearance)
    today = datetime.date.today()

    def make(level=Classification.INTERNAL, *, actor=None, lead=fgj, co=(), leader=None):
        title = w.title(KIND)
        return services.supervision_item_create(
            actor=actor or clerk, title=title, content=w.body(title), source=Source.INSTRUCTION, workdays=20, cycle=Cycle.WEEKLY,
            responsible_leader=leader or deputy, lead_department=lead, co_departments=list(co), classification=int(level),
            milestones=[(w.title(KIND), today + datetime.timedelta(days=3))],
        )

    def assign(item):
        return services.supervision_item_assign(actor=clerk if item.created_by_id == clerk.pk else director, item=item, requirement=w.title(KIND))

    def lead_task(item):
        return item.tasks.get(department=item.lead_department, status__in=["pending", "accepted", "disputed"])

    # 待交办 (draft) at 内部 and 秘密, and a 机密 draft by the office director (the clerk is below it).
    make()
    make(Classification.SECRET)
    make(Classification.CONFIDENTIAL, actor=director)
    # 待签收: assigned to 县发改局 at 内部 and 秘密 (its liaison is cleared 秘密).
    assign(make())
    assign(make(Classification.SECRET))
    # 有异议: the liaison disputes.
    t = lead_task(assign(make()))
    services.supervision_task_dispute(actor=liaison, task=t, reason=w.title(KIND))
    # 办理中 with a progress report (反馈) and an attachment carrying the marker, and a 催办单.
    item = assign(make(Classification.SECRET))
    t = services.supervision_task_accept(actor=liaison, task=lead_task(item))
    title = w.title(KIND)
    services.supervision_report_submit(actor=liaison, task=t, content=w.body(title),
                                       upload=SimpleUploadedFile(f"{title}.txt", w.body(title).encode(), content_type="text/plain"))
    services.supervision_reminder_issue(actor=clerk, item=item, text=w.body(w.title(KIND)))
    # 申请延期 pending.
    item = assign(make())
    t = services.supervision_task_accept(actor=liaison, task=lead_task(item))
    services.supervision_extension_request(actor=liaison, task=t, new_deadline=item.deadline + datetime.timedelta(days=10), reason=w.title(KIND))
    # 申请办结 → 已审核 → 已销号 (the responsible leader confirms).
    for stop in ("completion_requested", "verified", "closed"):
        item = assign(make())
        t = services.supervision_task_accept(actor=liaison, task=lead_task(item))
        services.supervision_completion_request(actor=liaison, task=t, content=w.body(w.title(KIND)))
        if stop == "completion_requested":
            continue
        item.refresh_from_db()
        item = services.supervision_item_verify(actor=clerk, item=item, accept=True, comment=w.title(KIND))
        if stop == "closed":
            services.supervision_item_confirm(actor=deputy, item=item)
    # An internal department (秘书一科, the clerk's) as lead and the 档案室 as co-department, at 内部.
    assign(make(lead=_dept(clerk, "秘书一科"), co=[_dept(clerk, "档案室")]))
