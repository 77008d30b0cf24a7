"""督查督办 writes: create and assign an item, tasks (签收/异议/改派/转交), progress reports, completion
(申请办结 → 办公室核实 → 责任领导确认 → 销号), extensions and 催办单. The daily scan lives in reminders.py."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import SystemActor, is_system
from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.core.sequences import next_serial
from zhongshu.notify.services import notify
from zhongshu.org import units
from zhongshu.org.models import Department, User
from zhongshu.org.roles import Role
from zhongshu.workdays.calendar import add_workdays

from .models import (
    Cycle,
    ExtensionRequest,
    ItemSequence,
    Milestone,
    ProgressReport,
    ReminderNotice,
    ReminderSequence,
    Source,
    SupervisionItem,
    SupervisionTask,
)
from .policy import SupervisionItemPolicy, SupervisionTaskPolicy
from .schedule import LIVE_SLOTS, light_for

Actor = User | SystemActor

MAX_DEADLINE_DAYS = 1100
Status = SupervisionItem.Status
TaskStatus = SupervisionTask.Status


def _bad(field: str, message: str) -> ServiceError:
    return ServiceError(message, fields={field: message})


def _today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------- who may do what


# Who may do what lives in policy.py (SupervisionItemPolicy / SupervisionTaskPolicy.allowed_actions). A service
# first answers 404 to whoever may not even read the object, then checks the state (Conflict), then asks the policy.
OFFICE_ONLY = "只有办公室（督查室）可以执行此操作。"
SIGNERS_ONLY = "只有本单位的联络员或负责人可以签收、提出异议或转交。"
REPORTERS_ONLY = "只有承办单位的人员可以报送。"


def _item_visible(actor: Actor, item: SupervisionItem) -> None:
    if is_system(actor):
        if actor is None:
            raise PermissionDenied("请以具体人员或系统（SYSTEM）身份操作。")
        return
    if not SupervisionItemPolicy.readable(actor, item):
        raise NotFound()


def _task_visible(actor: Actor, task: SupervisionTask) -> None:
    if is_system(actor):
        if actor is None:
            raise PermissionDenied("请以具体人员或系统（SYSTEM）身份操作。")
        return
    if not SupervisionTaskPolicy.readable(actor, task):
        raise NotFound()


def _department_receivers(department: Department) -> list[User]:
    return contacts(SupervisionTask(department=department))


def contacts(task: SupervisionTask) -> list[User]:
    """Who hears about a task: the person it was handed to, else the department's 联络员 and 负责人 (the shared
    承办单位 rule, zhongshu/org/units.py), else every member rather than no one."""
    assignee = User.objects.filter(pk=task.assignee_id).first() if task.assignee_id else None
    return units.contacts(department=task.department, assignee=assignee, fallback_members=True)


def office_people(item: SupervisionItem) -> list[User]:
    creator = User.objects.filter(pk=item.created_by_id, is_active=True)
    return list(creator)


def _live_tasks(item: SupervisionItem) -> models.QuerySet[SupervisionTask]:
    return item.tasks.exclude(status=TaskStatus.REASSIGNED).select_related("department")


def refresh_light(item: SupervisionItem, today: datetime.date | None = None) -> str:
    """Recompute and store the item's and its tasks' lights (called after every change that moves them)."""
    today = today or _today()
    slots = list(ProgressReport.objects.filter(item=item, status__in=LIVE_SLOTS))
    late = item.milestones.filter(done_on__isnull=True, due_date__lt=today).exists()
    light = light_for(item, today, slots, late)
    pending_due = min((s.due_date for s in slots if s.due_date), default=None)
    SupervisionItem.objects.filter(pk=item.pk).update(light=light, next_report_due=pending_due)
    item.light, item.next_report_due = light, pending_due
    for task in item.tasks.exclude(status=TaskStatus.REASSIGNED):
        mine = [s for s in slots if s.task_id == task.pk]
        task_light = light_for(item, today, mine, late)
        if task.light != task_light:
            SupervisionTask.objects.filter(pk=task.pk).update(light=task_light)
    return light


# ---------------------------------------------------------------- create and assign


def _validate_people(
    *, actor: User, leader: Any, lead: Any, co: list[Department], level: Classification
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(leader, User) or leader.organization_id != actor.organization_id or not leader.is_active:
        errors["responsible_leader"] = "请选择本机关的责任领导。"
    elif Role.LEADER not in leader.role_set:
        errors["responsible_leader"] = f"{leader.display_name}不是领导，不能担任责任领导。"
    elif leader.max_classification < level:
        errors["responsible_leader"] = f"{leader.display_name}的涉密等级不足以知悉该密级的事项。"
    if not isinstance(lead, Department) or not lead.is_active:
        errors["lead_department"] = "请选择主办单位。"
    elif lead in co:
        errors["co_departments"] = "主办单位不能同时作为协办单位。"
    if any(not d.is_active for d in co):
        errors["co_departments"] = "协办单位中有已停用的机构。"
    return errors


def supervision_item_create(
    *,
    actor: User,
    title: str,
    content: str,
    source: str,
    responsible_leader: User,
    lead_department: Department,
    co_departments: Iterable[Department] = (),
    deadline: datetime.date | None = None,
    workdays: int | None = None,
    cycle: str = Cycle.NONE,
    classification: int = Classification.INTERNAL,
    source_object: models.Model | None = None,
    source_ref: str = "",
    milestones: Iterable[tuple[str, datetime.date]] = (),
) -> SupervisionItem:
    """立项: a new 督办事项 (待交办). Other modules call this with `source_object` (e.g. a 收文 with a 批示)."""
    if not has_perm(actor, "supervision.manage") or actor.organization_id is None:
        raise PermissionDenied("只有办公室（督查室）可以立项督办事项。")
    errors: dict[str, str] = {}
    title, content, source_ref = (title or "").strip(), (content or "").strip(), (source_ref or "").strip()
    if not title:
        errors["title"] = "请填写督办事项。"
    elif len(title) > 200:
        errors["title"] = "督办事项不能超过 200 个字。"
    if not content:
        errors["content"] = "请填写督办内容。"
    if source not in Source.values:
        errors["source"] = "来源无效。"
    if cycle not in Cycle.values:
        errors["cycle"] = "报送周期无效。"
    if len(source_ref) > 120:
        errors["source_ref"] = "来源说明不能超过 120 个字。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"], level = "密级无效。", Classification.INTERNAL
    if level > actor.max_classification:
        errors["classification"] = f"您的涉密等级只能处理{actor.max_classification.label}及以下的事项。"
    today = _today()
    if deadline is None and workdays:
        if not 0 < int(workdays) <= 500:
            errors["workdays"] = "工作日数应在 1 到 500 之间。"
        else:
            deadline = add_workdays(today, int(workdays), organization_id=actor.organization_id)
    if deadline is None:
        errors["deadline"] = "请填写办结时限（日期或工作日数）。"
    elif deadline < today:
        errors["deadline"] = "办结时限不能早于今天。"
    elif (deadline - today).days > MAX_DEADLINE_DAYS:
        errors["deadline"] = "办结时限不能超过三年。"
    co = list(co_departments)
    errors.update(_validate_people(actor=actor, leader=responsible_leader, lead=lead_department, co=co, level=level))
    stages = [((t or "").strip(), d) for t, d in milestones]
    for t, d in stages:
        if not t or len(t) > 200:
            errors["milestones"] = "分阶段目标须填写名称（不超过 200 字）。"
        elif deadline and not today <= d <= deadline:
            errors["milestones"] = f"分阶段目标“{t}”的日期应在今天和办结时限之间。"
    if len({t for t, _ in stages}) != len(stages):
        errors["milestones"] = "分阶段目标名称不能重复。"
    if source_object is not None and getattr(source_object, "organization_id", actor.organization_id) != actor.organization_id:
        errors["source"] = "来源文件不属于本机关。"
    if source_object is not None and getattr(source_object, "classification", 0) > level:
        errors["classification"] = "督办事项的密级不能低于来源文件的密级。"
    if errors:
        raise ServiceError(next(iter(errors.values())), fields=dict(errors))
    assert deadline is not None
    with transaction.atomic():
        item = SupervisionItem.objects.create(
            organization_id=actor.organization_id,
            number_year=today.year,
            number_serial=next_serial(ItemSequence, organization_id=actor.organization_id, year=today.year),
            source=source,
            source_type=ContentType.objects.get_for_model(source_object) if source_object is not None else None,
            source_id=source_object.pk if source_object is not None else None,
            source_ref=source_ref,
            title=title,
            content=content,
            responsible_leader=responsible_leader,
            lead_department=lead_department,
            deadline=deadline,
            original_deadline=deadline,
            cycle=cycle,
            classification=level,
            created_on=today,
            created_month=today.year * 100 + today.month,
            created_by=actor,
        )
        item.co_departments.set(co)
        Milestone.objects.bulk_create([Milestone(item=item, title=t, due_date=d) for t, d in stages])
        record(actor=actor, action="supervision.create", target=item, after={
            "number": item.number, "title": title, "source": source, "deadline": deadline,
            "lead_department": lead_department.pk, "co_departments": [d.pk for d in co],
        })
    return item


def _new_task(item: SupervisionItem, department: Department, role: str, requirement: str) -> SupervisionTask:
    return SupervisionTask.objects.create(
        item=item, department=department, department_organization_id=department.organization_id,
        classification=item.classification, role=role, requirement=requirement,
    )


def _tell(task: SupervisionTask, title: str, *, body: str = "") -> None:
    # notify() asks the item's policy per person: nobody below its classification gets its title, and a classified
    # item never leaves the platform by e-mail.
    notify(recipients=contacts(task), title=title, body=body, url=task.get_absolute_url(), webhook=False, subject=task.item)


def supervision_item_assign(*, actor: User, item: SupervisionItem, requirement: str = "") -> SupervisionItem:
    """交办 (分解): one task for the 主办 and one per 协办 department; each is told to 签收."""
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status != Status.DRAFT:
            raise Conflict("该事项已交办。")
        SupervisionItemPolicy.require(actor, item, "assign", "只有办公室（督查室）可以交办。")
        for department in [item.lead_department, *item.co_departments.all()]:
            SupervisionItemPolicy.require_receivers(_department_receivers(department), item, field="lead_department")
        requirement = (requirement or "").strip()[:2000]
        tasks = [_new_task(item, item.lead_department, SupervisionTask.Role.LEAD, requirement)]
        tasks += [_new_task(item, d, SupervisionTask.Role.CO, requirement) for d in item.co_departments.all()]
        item.status, item.assigned_on = Status.IN_PROGRESS, _today()
        item.save(update_fields=["status", "assigned_on"])
        record(actor=actor, action="supervision.assign", target=item, before={"status": "draft"},
               after={"status": item.status, "tasks": [t.department_id for t in tasks]})
        for task in tasks:
            _tell(task, f"督办交办：{item.title}", body=f"请于{item.deadline:%Y年%m月%d日}前办结，并及时签收。")
        refresh_light(item)
    return item


def supervision_task_add(*, actor: User, item: SupervisionItem, department: Department, requirement: str = "") -> SupervisionTask:
    """增加协办单位 while the item is in progress."""
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status != Status.IN_PROGRESS:
            raise Conflict("只有办理中的事项可以增加承办单位。")
        SupervisionItemPolicy.require(actor, item, "task_add", "只有办公室（督查室）可以增加承办单位。")
        if not isinstance(department, Department) or not department.is_active:
            raise _bad("department", "请选择承办单位。")
        if _live_tasks(item).filter(department=department).exists():
            raise _bad("department", f"{department}已是该事项的承办单位。")
        SupervisionItemPolicy.require_receivers(_department_receivers(department), item, field="department")
        task = _new_task(item, department, SupervisionTask.Role.CO, (requirement or "").strip()[:2000])
        item.co_departments.add(department)
        record(actor=actor, action="supervision.task_add", target=item, after={"department": department.pk})
        _tell(task, f"督办交办：{item.title}")
    return task


def _lock_task(task: SupervisionTask) -> SupervisionTask:
    # Item first, then the task — the order item-level actions (销号, 改派) use — so concurrent requests wait
    # for each other instead of deadlocking on PostgreSQL.
    SupervisionItem.objects.select_for_update().get(pk=task.item_id)
    return SupervisionTask.objects.select_for_update(of=("self",)).select_related("item", "department").get(pk=task.pk)


def supervision_task_accept(*, actor: User, task: SupervisionTask) -> SupervisionTask:
    """签收."""
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        if task.status != TaskStatus.PENDING:
            raise Conflict("该任务不是待签收状态。")
        SupervisionTaskPolicy.require(actor, task, "accept", SIGNERS_ONLY)
        task.status, task.accepted_by, task.accepted_at = TaskStatus.ACCEPTED, actor, timezone.now()
        task.save(update_fields=["status", "accepted_by", "accepted_at"])
        record(actor=actor, action="supervision.task_accept", target=task.item, after={"task": task.pk, "department": task.department_id})
    return task


def supervision_task_dispute(*, actor: User, task: SupervisionTask, reason: str) -> SupervisionTask:
    """有异议: the department says the task is not its own; the office reassigns."""
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", "请填写异议理由。")
    if len(reason) > 300:
        raise _bad("reason", "异议理由不能超过 300 个字。")
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        if task.status != TaskStatus.PENDING:
            raise Conflict("只有待签收的任务可以提出异议。")
        SupervisionTaskPolicy.require(actor, task, "dispute", SIGNERS_ONLY)
        task.status, task.dispute_reason = TaskStatus.DISPUTED, reason
        task.save(update_fields=["status", "dispute_reason"])
        record(actor=actor, action="supervision.task_dispute", target=task.item, after={"task": task.pk}, note=reason)
        notify(recipients=office_people(task.item), title=f"督办任务有异议：{task.item.title}", body=f"{task.department}：{reason}",
               url=task.item.get_absolute_url(), email=False, webhook=False, subject=task.item)
    return task


def supervision_task_reassign(*, actor: User, task: SupervisionTask, department: Department, requirement: str = "") -> SupervisionTask:
    """改派: the disputed (or unsigned) task goes to another department; the old one stays on record."""
    with transaction.atomic():
        task = _lock_task(task)
        item = task.item
        _item_visible(actor, item)
        if task.status not in (TaskStatus.DISPUTED, TaskStatus.PENDING):
            raise Conflict("只有有异议或待签收的任务可以改派。")
        SupervisionTaskPolicy.require(actor, task, "reassign", "只有办公室（督查室）可以改派。")
        if not isinstance(department, Department) or not department.is_active:
            raise _bad("department", "请选择改派单位。")
        if department.pk == task.department_id or _live_tasks(item).filter(department=department).exists():
            raise _bad("department", f"{department}已是该事项的承办单位。")
        SupervisionItemPolicy.require_receivers(_department_receivers(department), item, field="department")
        task.status = TaskStatus.REASSIGNED
        task.save(update_fields=["status"])
        new = _new_task(item, department, task.role, (requirement or task.requirement).strip()[:2000])
        task.reassigned_to = new
        task.save(update_fields=["reassigned_to"])
        if task.role == SupervisionTask.Role.LEAD:
            item.lead_department = department
            item.save(update_fields=["lead_department"])  # save(), not update(): the search index listens
        else:
            item.co_departments.remove(task.department_id)
            item.co_departments.add(department)
        record(actor=actor, action="supervision.task_reassign", target=item,
               before={"department": task.department_id}, after={"department": department.pk, "task": new.pk})
        _tell(new, f"督办交办（改派）：{item.title}")
    return new


def supervision_task_hand_down(*, actor: User, task: SupervisionTask, assignee: User) -> SupervisionTask:
    """转交: the department hands its task to one of its people, who then reports."""
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        if task.status not in (TaskStatus.ACCEPTED, TaskStatus.PENDING):
            raise Conflict("该任务已办结或改派，不能转交。")
        SupervisionTaskPolicy.require(actor, task, "hand_down", SIGNERS_ONLY)
        if not isinstance(assignee, User) or not assignee.is_active or task.department_id not in assignee.department_ids:
            raise _bad("assignee", "只能转交给本单位的人员。")
        SupervisionItemPolicy.require_receivers([assignee], task.item, field="assignee")
        before = task.assignee_id
        task.assignee = assignee
        if task.status == TaskStatus.PENDING:
            task.status, task.accepted_by, task.accepted_at = TaskStatus.ACCEPTED, actor, timezone.now()
        task.save(update_fields=["assignee", "status", "accepted_by", "accepted_at"])
        record(actor=actor, action="supervision.task_hand_down", target=task.item, before={"assignee": before}, after={"assignee": assignee.pk})
        _tell(task, f"督办任务转交给您：{task.item.title}")
    return task


def supervision_milestone_add(*, actor: User, item: SupervisionItem, title: str, due_date: datetime.date) -> Milestone:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise _bad("title", "请填写分阶段目标（不超过 200 字）。")
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status == Status.CLOSED:
            raise Conflict("事项已销号。")
        SupervisionItemPolicy.require(actor, item, "milestone_add", OFFICE_ONLY)
        if not isinstance(due_date, datetime.date) or not _today() <= due_date <= item.deadline:
            raise _bad("due_date", "阶段目标日期应在今天和办结时限之间。")
        if item.milestones.filter(title=title).exists():
            raise _bad("title", "已有同名的分阶段目标。")
        stage = Milestone.objects.create(item=item, title=title, due_date=due_date)
        record(actor=actor, action="supervision.milestone_add", target=item, after={"title": title, "due_date": due_date})
    return stage


def supervision_milestone_done(*, actor: User, milestone: Milestone) -> Milestone:
    with transaction.atomic():
        stage = Milestone.objects.select_for_update().select_related("item").get(pk=milestone.pk)
        _item_visible(actor, stage.item)
        if stage.done_on:
            raise Conflict("该阶段目标已标记完成。")
        SupervisionItemPolicy.require(actor, stage.item, "milestone_done", OFFICE_ONLY)
        stage.done_on = _today()
        stage.save(update_fields=["done_on"])
        record(actor=actor, action="supervision.milestone_done", target=stage.item, after={"milestone": stage.title})
        refresh_light(stage.item)
    return stage


# ---------------------------------------------------------------- progress


def supervision_report_submit(*, actor: User, task: SupervisionTask, content: str, upload: Any = None) -> ProgressReport:
    """报送进展: fills the oldest open (or returned) cycle slot, or adds an unscheduled report."""
    from zhongshu.core.attachments import attachment_add, check_upload

    content = (content or "").strip()
    if not content:
        raise _bad("content", "请填写进展情况。")
    if len(content) > 5000:
        raise _bad("content", "进展情况不能超过 5000 字。")
    if upload is not None:
        check_upload(upload)
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        if task.item.status != Status.IN_PROGRESS:
            raise Conflict("事项已申请办结或已销号，不再报送进展。")
        if task.status == TaskStatus.PENDING:
            raise Conflict("请先签收任务再报送进展。")
        if task.status != TaskStatus.ACCEPTED:
            raise Conflict("该任务已改派或办结，不能报送。")
        SupervisionTaskPolicy.require(actor, task, "report", REPORTERS_ONLY)
        now = timezone.now()
        slot = task.reports.filter(kind=ProgressReport.Kind.PROGRESS, status__in=LIVE_SLOTS).order_by("due_date", "id").first()
        if slot is None:
            slot = ProgressReport(task=task, item=task.item, kind=ProgressReport.Kind.PROGRESS)
        slot.content, slot.status, slot.submitted_by, slot.submitted_at = content, ProgressReport.Status.SUBMITTED, actor, now
        slot.save()
        today = _today()
        SupervisionTask.objects.filter(pk=task.pk).update(last_report_on=today)
        SupervisionItem.objects.filter(pk=task.item_id).update(last_report_on=today)
        if upload is not None:
            attachment_add(actor=actor, obj=slot, upload=upload)
        record(actor=actor, action="supervision.report_submit", target=task.item, after={"report": slot.pk, "period": slot.period_start})
        refresh_light(task.item)
        notify(recipients=office_people(task.item), title=f"督办进展已报送：{task.item.title}", body=f"{task.department}",
               url=task.item.get_absolute_url(), email=False, webhook=False, subject=task.item)
    return slot


def supervision_report_review(*, actor: User, report: ProgressReport, accept: bool, comment: str = "") -> ProgressReport:
    """审核: accept, or return with the office's comment (the slot opens again for the department)."""
    comment = (comment or "").strip()
    if not accept and not comment:
        raise _bad("comment", "退回时请填写审核意见。")
    if len(comment) > 500:
        raise _bad("comment", "审核意见不能超过 500 字。")
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("task", "item").get(pk=report.pk)
        _item_visible(actor, report.item)
        if report.kind != ProgressReport.Kind.PROGRESS:
            raise Conflict("办结报告请在核实办结时处理。")
        if report.status != ProgressReport.Status.SUBMITTED:
            raise Conflict("该报送不是待审核状态。")
        SupervisionItemPolicy.require(actor, report.item, "review", OFFICE_ONLY)
        report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
        report.reviewed_by, report.reviewed_at, report.office_comment = actor, timezone.now(), comment
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "office_comment"])
        record(actor=actor, action="supervision.report_accept" if accept else "supervision.report_return",
               target=report.item, after={"report": report.pk}, note=comment)
        if not accept:
            _tell(report.task, f"督办进展被退回：{report.item.title}", body=comment)
        refresh_light(report.item)
    return report


def supervision_completion_request(*, actor: User, task: SupervisionTask, content: str, upload: Any = None) -> ProgressReport:
    """申请办结: the 主办 department reports the item done."""
    from zhongshu.core.attachments import attachment_add, check_upload

    content = (content or "").strip()
    if not content:
        raise _bad("content", "请填写办结情况。")
    if upload is not None:
        check_upload(upload)
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        item = SupervisionItem.objects.select_for_update().get(pk=task.item_id)
        if item.status != Status.IN_PROGRESS or task.status != TaskStatus.ACCEPTED:
            raise Conflict("只有办理中且已签收的事项可以申请办结。")
        SupervisionTaskPolicy.require(actor, task, "complete", "只有主办单位的人员可以申请办结。")
        report = ProgressReport.objects.create(
            task=task, item=item, kind=ProgressReport.Kind.COMPLETION, content=content[:5000],
            status=ProgressReport.Status.SUBMITTED, submitted_by=actor, submitted_at=timezone.now(),
        )
        if upload is not None:
            attachment_add(actor=actor, obj=report, upload=upload)
        item.status, item.last_report_on = Status.COMPLETION_REQUESTED, _today()
        item.save(update_fields=["status", "last_report_on"])
        record(actor=actor, action="supervision.completion_request", target=item, before={"status": "in_progress"}, after={"status": item.status})
        refresh_light(item)
        notify(recipients=office_people(item), title=f"督办事项申请办结：{item.title}", url=item.get_absolute_url(), email=False, webhook=False,
               subject=item)
    return report


def supervision_item_verify(*, actor: User, item: SupervisionItem, accept: bool, comment: str = "") -> SupervisionItem:
    """办公室核实: passes to the responsible leader to confirm, or sends it back to 办理中."""
    comment = (comment or "").strip()[:500]
    if not accept and not comment:
        raise _bad("comment", "退回时请填写核实意见。")
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status != Status.COMPLETION_REQUESTED:
            raise Conflict("该事项不是申请办结状态。")
        SupervisionItemPolicy.require(actor, item, "verify", "只有办公室（督查室）可以核实办结。")
        report = item.reports.filter(kind=ProgressReport.Kind.COMPLETION, status=ProgressReport.Status.SUBMITTED).first()
        if report is not None:
            report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
            report.reviewed_by, report.reviewed_at, report.office_comment = actor, timezone.now(), comment
            report.save(update_fields=["status", "reviewed_by", "reviewed_at", "office_comment"])
        item.status = Status.VERIFIED if accept else Status.IN_PROGRESS
        item.save(update_fields=["status"])
        record(actor=actor, action="supervision.verify", target=item, before={"status": "completion_requested"}, after={"status": item.status}, note=comment)
        if accept:
            notify(recipients=[item.responsible_leader], title=f"请确认销号：{item.title}", url=item.get_absolute_url(),
                   webhook=False, subject=item)
        else:
            lead = _live_tasks(item).filter(role=SupervisionTask.Role.LEAD).first()
            if lead is not None:
                _tell(lead, f"办结申请未通过核实：{item.title}", body=comment)
        refresh_light(item)
    return item


def supervision_item_confirm(*, actor: User, item: SupervisionItem) -> SupervisionItem:
    """责任领导确认 → 销号."""
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status != Status.VERIFIED:
            raise Conflict("办公室核实后才能确认销号。")
        SupervisionItemPolicy.require(actor, item, "confirm", "只有责任领导（或其委托的人）可以确认销号。")
        principal = item.responsible_leader if item.responsible_leader_id != actor.pk else None
        today = _today()
        item.status, item.closed_on, item.closed_month = Status.CLOSED, today, today.year * 100 + today.month
        item.save(update_fields=["status", "closed_on", "closed_month"])
        finished = list(item.tasks.filter(status__in=[TaskStatus.ACCEPTED, TaskStatus.PENDING]).values_list("pk", flat=True))
        SupervisionTask.objects.filter(pk__in=finished).update(status=TaskStatus.DONE)  # recorded with the item below
        ProgressReport.objects.filter(item=item, status=ProgressReport.Status.OPEN).delete()  # unfilled slots lapse
        record(actor=actor, action="supervision.close", target=item, before={"status": "verified"},
               after={"status": "closed", "closed_on": item.closed_on, "tasks_done": finished}, on_behalf_of=principal)
        refresh_light(item)
        notify(recipients=office_people(item), title=f"督办事项已销号：{item.title}", url=item.get_absolute_url(), email=False, webhook=False,
               subject=item)
    return item


# ---------------------------------------------------------------- extension and 催办单


def supervision_extension_request(*, actor: User, task: SupervisionTask, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    """申请延期 (a department of the item)."""
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", "请填写延期理由。")
    if len(reason) > 500:
        raise _bad("reason", "延期理由不能超过 500 字。")
    with transaction.atomic():
        task = _lock_task(task)
        _task_visible(actor, task)
        if task.status != TaskStatus.ACCEPTED:
            raise Conflict("只有已签收、办理中的任务可以申请延期。")
        item = SupervisionItem.objects.select_for_update().get(pk=task.item_id)
        if item.status != Status.IN_PROGRESS:
            raise Conflict("只有办理中的事项可以申请延期。")
        if item.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise Conflict("已有一份待审批的延期申请。")
        SupervisionTaskPolicy.require(actor, task, "extension", REPORTERS_ONLY)
        if not isinstance(new_deadline, datetime.date) or new_deadline <= item.deadline:
            raise _bad("new_deadline", "申请延至的日期应晚于现办结时限。")
        if (new_deadline - item.deadline).days > MAX_DEADLINE_DAYS:
            raise _bad("new_deadline", "延期不能超过三年。")
        if item.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise Conflict("已有一份待审批的延期申请。")
        ext = ExtensionRequest.objects.create(item=item, task=task, requested_by=actor, reason=reason,
                                              old_deadline=item.deadline, new_deadline=new_deadline)
        record(actor=actor, action="supervision.extension_request", target=item, after={"new_deadline": new_deadline}, note=reason)
        notify(recipients=office_people(item), title=f"督办事项申请延期：{item.title}", url=item.get_absolute_url(), email=False, webhook=False,
               subject=item)
    return ext


def supervision_extension_decide(*, actor: User, extension: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """审批延期: approval moves the deadline; `original_deadline` keeps the first one."""
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise _bad("note", "不同意延期时请填写理由。")
    with transaction.atomic():
        ext = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        item = SupervisionItem.objects.select_for_update().get(pk=ext.item_id)
        _item_visible(actor, item)
        if ext.status != ExtensionRequest.Status.PENDING:
            raise Conflict("该延期申请已审批。")
        SupervisionItemPolicy.require(actor, item, "extension_decide", "只有办公室（督查室）可以审批延期。")
        ext.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
        ext.decided_by, ext.decided_at, ext.decision_note = actor, timezone.now(), note
        ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        before = item.deadline
        if approve:
            if item.status not in SupervisionItem.OPEN:
                raise Conflict("事项已销号，不能延期。")
            item.deadline = ext.new_deadline
            item.save(update_fields=["deadline"])
        record(actor=actor, action="supervision.extension_decide", target=item, before={"deadline": before},
               after={"deadline": item.deadline, "approved": approve}, note=note)
        if ext.task_id:
            _tell(SupervisionTask.objects.select_related("item", "department").get(pk=ext.task_id),
                  f"延期申请{'已同意' if approve else '未同意'}：{item.title}", body=note)
        refresh_light(item)
    return ext


def supervision_reminder_issue(
    *, actor: Actor, item: SupervisionItem, task: SupervisionTask | None = None, text: str = "",
    kind: str = ReminderNotice.Kind.MANUAL,
) -> ReminderNotice:
    """出具催办单 (office, or the daily scan when an item is overdue); the departments are notified."""
    text = (text or "").strip()
    if len(text) > 2000:
        raise _bad("text", "催办内容不能超过 2000 字。")
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        _item_visible(actor, item)
        if item.status == Status.CLOSED or item.status == Status.DRAFT:
            raise Conflict("只有已交办、未销号的事项可以催办。")
        SupervisionItemPolicy.require(actor, item, "remind", "只有办公室（督查室）可以出具催办单。")
        targets = [task] if task is not None else list(_live_tasks(item))
        if task is not None and task.item_id != item.pk:
            raise _bad("task", "承办单位不属于该事项。")
        today = _today()
        if not text:
            late = (today - item.deadline).days
            text = (f"“{item.title}”（{item.number}）办结时限为{item.deadline:%Y年%m月%d日}，"
                    + (f"已超期{late}天。" if late > 0 else "请抓紧办理。")
                    + "请承办单位抓紧办理，并于收到本催办单后2个工作日内书面报告办理进展。")
        notice = ReminderNotice.objects.create(
            organization_id=item.organization_id, item=item, task=task, number_year=today.year,
            number_serial=next_serial(ReminderSequence, organization_id=item.organization_id, year=today.year),
            kind=kind, text=text, issued_by=None if is_system(actor) else cast(User, actor), issued_on=today,
        )
        record(actor=actor, action="supervision.reminder_issue", target=item, after={"number": notice.number, "kind": kind})
        for t in targets:
            _tell(t, f"催办单 {notice.number}：{item.title}", body=text)
    return notice
