"""The engine's core: resolve assignees, enter steps, decide when a step is complete, finish the flow.

Internal to `zhongshu.flow.services`; every function here runs inside the caller's transaction with the
instance row locked (`lock_instance`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Manager, Q, QuerySet
from django.utils import timezone

from zhongshu.access.policy import SYSTEM, is_system
from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, NotFound, ServiceError
from zhongshu.core.signals import updated
from zhongshu.notify.models import Notification
from zhongshu.notify.services import notify
from zhongshu.org.models import Delegation, User
from zhongshu.workdays.calendar import deadline

from ..conditions import matches
from ..models import (
    AssigneeRule,
    Completion,
    FlowAction,
    FlowDefinition,
    FlowInstance,
    StepDefinition,
    StepKind,
    WorkItem,
)
from ..registry import subject_for

OPEN = (WorkItem.Status.PENDING, WorkItem.Status.QUEUED, WorkItem.Status.ON_HOLD)
MAX_OPINION = 2000


# ---- small helpers ------------------------------------------------------------------------------
def clean_opinion(text: str | None, *, required: bool = False, label: str = "意见", field: str = "opinion") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(text) > MAX_OPINION:
        raise ServiceError(f"{label}不能超过 {MAX_OPINION} 字。", fields={field: f"{label}不能超过 {MAX_OPINION} 字。"})
    return text


def subject_of(instance: FlowInstance) -> Any:
    model = instance.content_type.model_class()
    if not model:
        return None
    # django-stubs' Model declares no `objects`; subject models define it (possibly a restricting manager).
    objects: Manager[Any] = cast(Any, model).objects
    return objects.filter(pk=instance.object_id).first()


def lock_instance(pk: int) -> FlowInstance:
    """Row lock on PostgreSQL (no-op on SQLite, where IMMEDIATE transactions already serialise writers).

    Only the instance's own row (`of=("self",)`): locking the joined definition and content-type rows too made every
    flow action on every document of a kind wait for one shared row, and deadlocked against a transaction that had
    just inserted a row referring to that content type (its foreign-key check at COMMIT) while holding the audit chain
    head — found by bench/scaleout.py: 送审 answered 500 "deadlock detected"."""
    try:
        return FlowInstance.objects.select_for_update(of=("self",)).select_related("definition", "content_type").get(pk=pk)
    except FlowInstance.DoesNotExist:
        raise NotFound()


def require_running(instance: FlowInstance) -> None:
    if instance.status != FlowInstance.Status.RUNNING:
        raise Conflict(f"该流程已{instance.get_status_display().removeprefix('已')}，不能再办理，请刷新。")


def steps_of(definition: FlowDefinition) -> dict[int, StepDefinition]:
    return {s.pk: s for s in definition.steps.prefetch_related("users")}


def compute_plan(definition: FlowDefinition, facts: dict[str, Any]) -> list[int]:
    return [
        s.pk for s in definition.steps.order_by("order")
        if matches(facts, s.condition_fact, s.condition_op, s.condition_value)
    ]


def plain_facts(facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in facts.items():
        out[key] = value if value is None or isinstance(value, bool | int | str) else str(value)
    return out


def delegates_of(users: Iterable[User], day: datetime.date | None = None) -> list[User]:
    day = day or timezone.localdate()
    ids = [u.pk for u in users]
    return [
        d.delegate for d in Delegation.objects.select_related("delegate").filter(
            delegator_id__in=ids, revoked_at__isnull=True, start_date__lte=day, end_date__gte=day
        )
    ]


def tell(instance: FlowInstance, users: Iterable[User], title: str, *, body: str = "", url: str = "",
         level: str = Notification.Level.INFO) -> None:
    """Notify people (and whoever acts for them today). The instance is the subject: its policy drops (or redacts,
    NOTIFY_UNCLEARED = "redact") anyone below its 密级 — a delegate included — and keeps classified titles out of
    e-mail and robots."""
    people = list(users)
    people += delegates_of(people)
    notify(recipients=people, title=title, body=body, url=url or instance.get_absolute_url(), level=level, subject=instance)


def log(instance: FlowInstance, action: str, *, actor: Any = None, on_behalf_of: User | None = None,
        item: WorkItem | None = None, opinion: str = "", targets: Iterable[User] = (), step_name: str | None = None,
        signature: Any = None) -> FlowAction:
    names = "、".join(u.display_name for u in targets)
    actor = actor if actor is not None else SYSTEM  # the engine's own steps (传阅 step, 自动跳过, 办结) are the system's
    person = None if is_system(actor) else actor
    entry = FlowAction.objects.create(
        instance=instance, work_item=item, action=action, actor=person,
        on_behalf_of=on_behalf_of if on_behalf_of is not None and person is not None and on_behalf_of.pk != person.pk else None,
        opinion=opinion, targets=names[:300], signature=signature,
        step_name=step_name if step_name is not None else (item.step_name if item else instance.current_step_name),
    )
    record(actor=actor, action=f"flow.{action}", target=instance, on_behalf_of=entry.on_behalf_of,
           after={"step": entry.step_name, "targets": names[:200]} if names or entry.step_name else None, note=opinion[:300])
    return entry


# ---- assignees -----------------------------------------------------------------------------------
def eligible(instance: FlowInstance) -> QuerySet[User]:
    """Who may handle an item of this instance at all: same organization, active, not 三员, cleared for its 密级."""
    return User.objects.filter(
        organization_id=instance.organization_id, is_active=True, admin_role="", clearance__gte=max(1, instance.classification)
    )


def candidates(step: StepDefinition, instance: FlowInstance) -> QuerySet[User]:
    """The allowed set for 选择下一步办理人: the step's people, else its role/department, else the organization."""
    qs = eligible(instance)
    if step.users.exists():
        return qs.filter(pk__in=step.users.values("pk"))
    if step.role:
        qs = qs.filter(role_assignments__role=step.role)
    if step.department_id:
        qs = qs.filter(memberships__department_id=step.department_id)
    return qs.distinct().order_by("position__rank", "id")


def check_people(instance: FlowInstance, people: Iterable[User], field: str) -> list[User]:
    people = list(dict.fromkeys(people))
    ok = set(eligible(instance).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    bad = [p.display_name for p in people if p.pk not in ok]
    if bad:
        msg = "以下人员不能办理该事项（非本机关、已停用或涉密等级不足）：" + "、".join(bad)
        raise ServiceError(msg, fields={field: msg})
    return people


def resolve(step: StepDefinition, instance: FlowInstance, chosen: list[User] | None) -> list[User]:
    rule = step.assignee_rule
    org = instance.organization
    if rule == AssigneeRule.USERS:
        people = list(step.users.all())
    elif rule == AssigneeRule.ROLE_IN_DEPARTMENT:
        qs = User.objects.filter(organization_id=instance.organization_id, is_active=True, role_assignments__role=step.role)
        if step.department_id:
            qs = qs.filter(memberships__department_id=step.department_id)
        people = list(qs.distinct().order_by("position__rank", "id"))
    elif rule in (AssigneeRule.INITIATOR_HEAD, AssigneeRule.INITIATOR_LEADER):
        dept = instance.initiator_department
        person = None if dept is None else (dept.head if rule == AssigneeRule.INITIATOR_HEAD else dept.leader_in_charge)
        people = [person] if person else []
    elif rule == AssigneeRule.PRINCIPAL:
        principal = org.principal  # None (without a query) when principal_id is unset
        people = [principal] if principal is not None else []
    elif rule == AssigneeRule.SUBJECT:
        adapter = subject_for(instance.business_type)
        people = list(adapter.assignees(subject_of(instance), step.name)) if adapter is not None else []
    else:  # CHOSEN
        if not chosen:
            raise ServiceError(f"请选择“{step.name}”的办理人。", fields={"next_assignees": f"请选择“{step.name}”的办理人。"})
        allowed = set(candidates(step, instance).values_list("pk", flat=True))
        outside = [u.display_name for u in chosen if u.pk not in allowed]
        if outside:
            msg = f"“{step.name}”只能从规定范围内选择办理人，以下人员不在范围内：" + "、".join(outside)
            raise ServiceError(msg, fields={"next_assignees": msg})
        people = list(chosen)
    people = [p for p in dict.fromkeys(people) if p is not None and p.is_active]
    if not people:
        raise ServiceError(f"步骤“{step.name}”找不到办理人，请联系系统管理员检查流程配置。", code="no_assignee")
    return check_people(instance, people, "next_assignees")


# ---- items ---------------------------------------------------------------------------------------
def due_for(step: StepDefinition | None, instance: FlowInstance) -> tuple[datetime.date | None, bool]:
    if step is None or not step.deadline_days:
        return None, False
    d = deadline(timezone.localdate(), step.deadline_days, organization_id=instance.organization_id)
    return d.date, d.provisional


def new_item(instance: FlowInstance, *, assignee: User, step: StepDefinition | None, step_name: str,
             kind: str = WorkItem.Kind.TODO, origin: str = WorkItem.Origin.NORMAL, status: str = WorkItem.Status.PENDING,
             sequence: int = 0, parent: WorkItem | None = None, due: tuple[datetime.date | None, bool] | None = None) -> WorkItem:
    due_date, provisional = (due if due is not None else due_for(step, instance)) if status == WorkItem.Status.PENDING else (None, False)
    return WorkItem.objects.create(
        instance=instance, organization_id=instance.organization_id, classification=instance.classification,
        initiator_id=instance.initiator_id, step=step, step_name=step_name, kind=kind, round=instance.round, sequence=sequence,
        origin=origin, parent=parent, assignee=assignee, status=status, due_date=due_date, due_provisional=provisional,
    )


def activate(item: WorkItem, instance: FlowInstance) -> None:
    """A queued (串签) or on-hold (加签) item becomes actionable: deadline from today, assignee told."""
    if item.due_date is None:
        item.due_date, item.due_provisional = due_for(item.step, instance)
    item.status = WorkItem.Status.PENDING
    item.created_at = timezone.now()
    item.save(update_fields=["status", "due_date", "due_provisional", "created_at"])
    tell(instance, [item.assignee], f"待办：{instance.title}（{item.step_name}）", url=item.get_absolute_url())


def cancel_open(instance: FlowInstance, *, kind: str = WorkItem.Kind.TODO) -> int:
    n = WorkItem.objects.filter(instance=instance, kind=kind, status__in=OPEN).update(status=WorkItem.Status.CANCELLED)
    if n:
        updated(instance)  # derived data (the one inbox) follows the items of the instance
    return n


# ---- moving through the plan ----------------------------------------------------------------------
def enter(instance: FlowInstance, index: int, *, actor: User | None, chosen: list[User] | None = None) -> None:
    """Enter plan[index]; circulate steps hand out 待阅 and move on; a step whose only handler is the initiator
    passes automatically; past the last step the flow is finished (办结)."""
    steps = steps_of(instance.definition)
    while True:
        if index >= len(instance.plan):
            finish(instance, actor=actor)
            return
        step = steps[instance.plan[index]]
        instance.position = index
        instance.round += 1
        instance.current_step_name = step.name
        people = resolve(step, instance, chosen if step.assignee_rule == AssigneeRule.CHOSEN else None)
        if step.assignee_rule == AssigneeRule.CHOSEN:
            chosen = None
        if step.kind == StepKind.CIRCULATE:
            for person in people:
                new_item(instance, assignee=person, step=step, step_name=step.name, kind=WorkItem.Kind.READ, origin=WorkItem.Origin.COPY)
            log(instance, FlowAction.Action.COPY, step_name=step.name, targets=people)
            tell(instance, people, f"待阅：{instance.title}")
            index += 1
            continue
        if [p.pk for p in people] == [instance.initiator_id]:
            log(instance, FlowAction.Action.SKIP, step_name=step.name, opinion="办理人即发起人，自动通过。", targets=people)
            index += 1
            continue
        serial = step.kind == StepKind.SERIAL
        for seq, person in enumerate(people):
            status = WorkItem.Status.QUEUED if serial and seq > 0 else WorkItem.Status.PENDING
            new_item(instance, assignee=person, step=step, step_name=step.name, sequence=seq, status=status)
        instance.save(update_fields=["position", "round", "current_step_name"])
        first = WorkItem.objects.filter(instance=instance, round=instance.round).order_by("id").first()
        assert first is not None  # the loop above created at least one item in this round (resolve never returns [])
        tell(instance, people[:1] if serial else people, f"待办：{instance.title}（{step.name}）", url=first.get_absolute_url())
        return


def back_to_initiator(instance: FlowInstance, *, step_name: str = "退回修改") -> WorkItem:
    instance.position = -1
    instance.round += 1
    instance.current_step_name = step_name
    instance.save(update_fields=["position", "round", "current_step_name"])
    item = new_item(instance, assignee=instance.initiator, step=None, step_name=step_name, origin=WorkItem.Origin.INITIATOR)
    tell(instance, [instance.initiator], f"退回：{instance.title}", url=item.get_absolute_url(), level=Notification.Level.REMINDER)
    return item


def finish(instance: FlowInstance, *, actor: User | None) -> None:
    instance.status = FlowInstance.Status.APPROVED
    instance.finished_at = timezone.now()
    instance.current_step_name = ""
    instance.save(update_fields=["status", "finished_at", "current_step_name", "position", "round"])
    log(instance, FlowAction.Action.FINISH, step_name="办结")
    adapter = subject_for(instance.business_type)
    obj = subject_of(instance)
    what = "审批已完成"
    if adapter is not None and obj is not None:
        adapter.on_approved(instance=instance, obj=obj, actor=actor)
        what = adapter.finished_message(obj)
    tell(instance, [instance.initiator], f"{what}：{instance.title}")


def step_complete(instance: FlowInstance, step: StepDefinition) -> bool:
    """Whether the current round's step is satisfied: its completion rule over the regular items, and every
    signer added after someone (后加签) has acted."""
    items = list(
        WorkItem.objects.filter(instance=instance, round=instance.round, kind=WorkItem.Kind.TODO)
        .exclude(status__in=[WorkItem.Status.TRANSFERRED, WorkItem.Status.CANCELLED])
        .values_list("origin", "status")
    )
    regular = [s for o, s in items if o == WorkItem.Origin.NORMAL]
    done = sum(1 for s in regular if s == WorkItem.Status.DONE)
    if any(o == WorkItem.Origin.ADD_AFTER and s in OPEN for o, s in items):
        return False
    if step.kind in (StepKind.SINGLE,):
        return done >= 1
    if step.kind == StepKind.SERIAL:
        return done >= len(regular)
    if step.completion == Completion.ANY:
        return done >= 1
    if step.completion == Completion.N_OF_M:
        return done >= min(step.completion_n or 1, len(regular))
    return done >= len(regular)


def after_done(instance: FlowInstance, item: WorkItem, *, actor: User, chosen: list[User] | None) -> None:
    """Called once an item is done (同意/圈阅): wake the adder, move a 串签 queue, or advance the flow."""
    if item.origin == WorkItem.Origin.ADD_BEFORE:
        siblings_open = WorkItem.objects.filter(parent_id=item.parent_id, origin=WorkItem.Origin.ADD_BEFORE, status__in=OPEN).exists()
        if not siblings_open:
            assert item.parent_id is not None  # 前加签 items always point at the item they were added to
            parent = WorkItem.objects.select_related("step", "assignee").get(pk=item.parent_id)
            if parent.status == WorkItem.Status.ON_HOLD:
                activate(parent, instance)
        return
    if item.origin == WorkItem.Origin.INITIATOR:
        restart(instance, actor=actor, chosen=chosen)
        return
    step = item.step
    assert step is not None  # only 退回发起人 and 传阅 items lack a step; neither reaches here
    if step.kind == StepKind.SERIAL and item.origin == WorkItem.Origin.NORMAL:
        following = (
            WorkItem.objects.select_related("step", "assignee")
            .filter(instance=instance, round=instance.round, origin=WorkItem.Origin.NORMAL, status=WorkItem.Status.QUEUED)
            .order_by("sequence", "id").first()
        )
        if following is not None:
            activate(following, instance)
            return
    if step_complete(instance, step):
        cancel_open(instance)
        enter(instance, instance.position + 1, actor=actor, chosen=chosen)


def restart(instance: FlowInstance, *, actor: User, chosen: list[User] | None) -> None:
    """重新提交: facts are read again from the (possibly revised) object, with the same definition version."""
    adapter = subject_for(instance.business_type)
    obj = subject_of(instance)
    if adapter is not None and obj is not None:
        instance.facts = plain_facts(adapter.facts(obj))
        instance.title = adapter.title(obj)[:200]
        instance.classification = adapter.classification(obj)
        WorkItem.objects.filter(instance=instance).update(classification=instance.classification)
    instance.plan = compute_plan(instance.definition, instance.facts)
    instance.save(update_fields=["facts", "title", "classification", "plan"])
    enter(instance, 0, actor=actor, chosen=chosen)


def upcoming_choice(instance: FlowInstance) -> tuple[StepDefinition | None, QuerySet[User] | None]:
    """The next step needing 选择下一步办理人 when the current step completes, with its allowed set."""
    if instance.status != FlowInstance.Status.RUNNING:
        return None, None
    steps = steps_of(instance.definition)
    plan = instance.plan if instance.position >= 0 else compute_plan(instance.definition, instance.facts)
    start = instance.position + 1
    for pk in plan[start:]:
        step = steps.get(pk)
        if step is None:
            break
        if step.assignee_rule == AssigneeRule.CHOSEN:
            return step, candidates(step, instance)
        if step.kind == StepKind.CIRCULATE:
            continue
        try:
            people = resolve(step, instance, None)
        except ServiceError:
            return None, None
        if [p.pk for p in people] != [instance.initiator_id]:
            return None, None
    return None, None


def return_targets(instance: FlowInstance) -> list[tuple[int, str]]:
    """Where 退回 may send the flow: the initiator, or any earlier step (not 传阅) of the plan."""
    if instance.position < 0:
        return []
    steps = steps_of(instance.definition)
    out = [(-1, f"发起人（{instance.initiator.display_name}）")]
    for i, pk in enumerate(instance.plan[: instance.position]):
        step = steps.get(pk)
        if step is not None and step.kind != StepKind.CIRCULATE:
            out.append((i, step.name))
    return out


def last_assignees(instance: FlowInstance, step_id: int) -> list[User]:
    """Who handled a step the last time it ran (reused when 退回 lands on a 选择办理人 step)."""
    latest = WorkItem.objects.filter(instance=instance, step_id=step_id, origin=WorkItem.Origin.NORMAL).order_by("-round").first()
    if latest is None:
        return []
    return [
        i.assignee for i in WorkItem.objects.select_related("assignee")
        .filter(instance=instance, step_id=step_id, round=latest.round, origin=WorkItem.Origin.NORMAL).order_by("sequence", "id")
    ]


def open_items_q() -> Q:
    return Q(status__in=OPEN)


def would_finish(instance: FlowInstance, item: WorkItem) -> bool:
    """Whether approving `item` now finishes the flow (办结): it is a regular item of the last step that is not only
    传阅, and nobody else's item of that step still has to act (a single or 任一人 step is complete at once)."""
    if instance.status != FlowInstance.Status.RUNNING or instance.position < 0 or item.origin not in (
            WorkItem.Origin.NORMAL, WorkItem.Origin.ADD_AFTER):
        return False
    steps = steps_of(instance.definition)
    later = [steps.get(pk) for pk in instance.plan[instance.position + 1:]]
    if any(s is None or s.kind != StepKind.CIRCULATE for s in later):
        return False
    step = item.step
    if step is None:
        return False
    others = WorkItem.objects.filter(instance=instance, round=instance.round, kind=WorkItem.Kind.TODO, status__in=OPEN).exclude(pk=item.pk)
    if any(o == WorkItem.Origin.ADD_AFTER for o in others.values_list("origin", flat=True)):
        return False
    if step.kind == StepKind.SINGLE or (step.kind == StepKind.PARALLEL and step.completion == Completion.ANY):
        return True
    return not others.exists()


def upcoming_subject_step(instance: FlowInstance) -> StepDefinition | None:
    """The next step of the plan (after the current one) whose people the business object names (“由业务单据指定”),
    so the current handler can name them (e.g. 拟办 proposes the leaders for 批示, in order)."""
    if instance.status != FlowInstance.Status.RUNNING or instance.position < 0:
        return None
    steps = steps_of(instance.definition)
    for pk in instance.plan[instance.position + 1:]:
        step = steps.get(pk)
        if step is not None and step.kind != StepKind.CIRCULATE:
            return step if step.assignee_rule == AssigneeRule.SUBJECT else None
    return None
