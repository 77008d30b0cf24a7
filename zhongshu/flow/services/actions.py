"""What people do in a flow: start, 同意, 圈阅, 退回, 转办, 加签, 撤回, 终止, 阅知, 传阅, 催办.

Each public function validates, locks the instance row, claims the work item with a conditional UPDATE
(exactly one of two simultaneous actors succeeds), records history + audit, and notifies on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.core.signals import updated
from zhongshu.notify.models import Notification
from zhongshu.org.models import User

from ..models import FlowAction, FlowDefinition, FlowInstance, StepAction, WorkItem, acting_ids
from ..policy import SIGN_ACTIONS, FlowInstancePolicy, WorkItemPolicy, submitters
from ..registry import business_type_of, subject_for
from ..signature import parse_signature, store_signature
from . import engine
from .engine import OPEN, clean_opinion, lock_instance, log, require_running, tell

TAKEN = "该事项已由他人办理，请刷新。"
ITEM_ACTION_NAMES: dict[str, str] = {StepAction.APPROVE: "approve", StepAction.CIRCLE: "circle", StepAction.RETURN: "return",
                     StepAction.TRANSFER: "transfer", StepAction.ADD_SIGN: "add_signers", StepAction.TERMINATE: "terminate"}


# ---- start ---------------------------------------------------------------------------------------
def flow_start(*, actor: User, subject: Any, chosen: Iterable[User] | None = None, opinion: str = "") -> FlowInstance:
    """发起: put `subject` through its organization's active flow for its business type."""
    business_type = business_type_of(subject)
    adapter = subject_for(business_type) if business_type else None
    if business_type is None or adapter is None:
        raise ServiceError("该类事项未接入流程引擎。")
    if not has_perm(actor, "flow.view"):
        raise PermissionDenied()
    org_id = adapter.organization_id(subject)
    if actor.organization_id != org_id:
        raise PermissionDenied("只能发起本机关的审批。")
    reason = adapter.can_start(actor, subject)
    if reason:
        raise ServiceError(reason)
    level = adapter.classification(subject)
    if level > actor.max_classification:
        raise PermissionDenied("您的涉密等级不足以办理该密级的事项。")
    opinion = clean_opinion(opinion)
    definition = FlowDefinition.objects.filter(organization_id=org_id, business_type=business_type, status=FlowDefinition.Status.ACTIVE).first()
    if definition is None:
        raise ServiceError(f"本机关尚未启用“{adapter.label}”流程，请联系系统管理员配置。", code="no_definition")
    facts = engine.plain_facts(adapter.facts(subject))
    plan = engine.compute_plan(definition, facts)
    if not plan:
        raise ServiceError("按该事项的条件，流程没有适用的步骤，请联系系统管理员检查流程配置。")
    ct = ContentType.objects.get_for_model(subject)
    try:
        with transaction.atomic():
            if FlowInstance.objects.filter(content_type=ct, object_id=subject.pk, status=FlowInstance.Status.RUNNING).exists():
                raise Conflict("该事项已在审批中。")
            instance = FlowInstance.objects.create(
                definition=definition, organization_id=org_id, business_type=business_type, content_type=ct, object_id=subject.pk,
                title=adapter.title(subject)[:200], classification=level, facts=facts, plan=plan, position=0, round=0,
                initiator=actor, initiator_department=actor.primary_department,
            )
            log(instance, FlowAction.Action.START, actor=actor, opinion=opinion, step_name="发起")
            engine.enter(instance, 0, actor=actor, chosen=list(chosen or []))
    except IntegrityError:
        raise Conflict("该事项已在审批中。")
    return instance


# ---- claiming an item ------------------------------------------------------------------------------
def _claim(actor: User, item: WorkItem | int, *, kind: str | None = WorkItem.Kind.TODO,
           action: str | None = None) -> tuple[FlowInstance, WorkItem, User | None]:
    """Lock the instance, re-read the item, check the actor may act (assignee or 委托 delegate) and the step
    allows `action`. Returns (instance, item, principal) where principal is the assignee acted for."""
    pk = item if isinstance(item, int) else item.pk
    head = WorkItem.objects.filter(pk=pk).values_list("instance_id", flat=True).first()
    if head is None:
        raise NotFound()
    instance = lock_instance(head)
    claimed = WorkItem.objects.select_related("step", "assignee", "instance").get(pk=pk)
    if claimed.assignee_id not in acting_ids(actor):
        if claimed.instance.initiator_id == actor.pk or claimed.done_by_id == actor.pk:
            raise PermissionDenied("这不是您的待办事项。")
        raise NotFound()
    if kind is not None and claimed.kind != kind:
        raise ServiceError("该事项不支持此操作。")
    if claimed.status != WorkItem.Status.PENDING:
        if claimed.status in (WorkItem.Status.DONE, WorkItem.Status.TRANSFERRED, WorkItem.Status.CANCELLED):
            raise Conflict(TAKEN)
        raise Conflict("该事项还未轮到您办理。")
    if claimed.kind == WorkItem.Kind.TODO:
        require_running(instance)
    if action and claimed.step is not None and claimed.origin != WorkItem.Origin.INITIATOR and not claimed.step.allows(action):
        raise PermissionDenied(f"“{claimed.step_name}”不允许{StepAction(action).label}。")
    if action and claimed.origin == WorkItem.Origin.INITIATOR and action not in (StepAction.APPROVE, StepAction.TERMINATE):
        raise PermissionDenied("退回发起人的事项只能重新提交或终止。")
    if claimed.classification > actor.max_classification:
        raise NotFound()  # a delegate below the item's 密级 never learns of it (委托 under NOTIFY_UNCLEARED = "redact")
    name = ITEM_ACTION_NAMES.get(action or "", "read" if claimed.kind == WorkItem.Kind.READ else "approve")
    # resubmitting one's own returned draft (an initiator item) is not approving it
    if name in SIGN_ACTIONS and claimed.origin != WorkItem.Origin.INITIATOR and actor.pk in submitters(instance):
        raise PermissionDenied("不能审批自己提交的事项（无论本人办理还是受托代办），请交由他人审批。")
    WorkItemPolicy.require(actor, claimed, name, "您无权办理该事项。")
    principal = claimed.assignee if claimed.assignee_id != actor.pk else None
    return instance, claimed, principal


def _close(item: WorkItem, *, actor: User, action: str, opinion: str, status: str = WorkItem.Status.DONE) -> None:
    """The conditional update that makes double action impossible: only a still-pending row changes."""
    now = timezone.now()
    changed = WorkItem.objects.filter(pk=item.pk, status=WorkItem.Status.PENDING).update(
        status=status, done_at=now, done_by=actor, action=action, opinion=opinion
    )
    if changed != 1:
        raise Conflict(TAKEN)
    item.status, item.done_at, item.done_by, item.action, item.opinion = status, now, actor, action, opinion
    updated(item)


def _people(ids_or_users: Iterable[Any] | None) -> list[User]:
    out: list[User] = []
    ids = []
    for x in ids_or_users or []:
        if isinstance(x, User):
            out.append(x)
        else:
            try:
                ids.append(int(x))
            except (TypeError, ValueError):
                raise ServiceError("人员无效。", fields={"next_assignees": "人员无效。"})
    if ids:
        found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
        if len(found) != len(set(ids)):
            raise ServiceError("人员不存在。", fields={"next_assignees": "人员不存在。"})
        out += [found[i] for i in ids]
    return list(dict.fromkeys(out))


# ---- acting on a 待办 ----------------------------------------------------------------------------------
def _approve_refusal(instance: FlowInstance, item: WorkItem) -> str | None:
    """The subject's own check before a step is approved (FlowSubject.approve_refusal)."""
    adapter = subject_for(instance.business_type)
    if adapter is None:
        return None
    obj = engine.subject_of(instance)
    return adapter.approve_refusal(obj, item.step_name) if obj is not None else None


def work_item_approve(*, actor: User, item: WorkItem | int, opinion: str = "", next_assignees: Iterable[Any] | None = None,
                      circle: bool = False, subject_data: dict[str, Any] | None = None, signature: str | None = None) -> WorkItem:
    """提交/同意 (or 圈阅 when `circle`: one click, "已阅", counts as consent per the 条例).

    `subject_data`: the values of the adapter's extra fields (the page's and the API's 办理 form always pass it, even
    empty); the adapter saves them and may refuse, in this transaction (`FlowSubject.before_approve`).
    `signature`: the handwritten 签批 as a PNG data URL (`flow/signature.py`), kept with this opinion."""
    opinion = clean_opinion(opinion) or ("已阅" if circle else "")
    chosen = _people(next_assignees)
    png = parse_signature(signature)
    with transaction.atomic():
        instance, claimed, principal = _claim(actor, item, action=StepAction.CIRCLE if circle else StepAction.APPROVE)
        refusal = _approve_refusal(instance, claimed)
        if refusal:
            raise ServiceError(refusal)
        if claimed.origin == WorkItem.Origin.INITIATOR:
            action = FlowAction.Action.RESUBMIT
        else:
            action = FlowAction.Action.CIRCLE if circle else FlowAction.Action.APPROVE
        if subject_data is not None and claimed.origin != WorkItem.Origin.INITIATOR:
            adapter = subject_for(instance.business_type)
            obj = engine.subject_of(instance)
            if adapter is not None and obj is not None:
                adapter.before_approve(actor=actor, obj=obj, item=claimed, data=dict(subject_data),
                                       finishing=engine.would_finish(instance, claimed))
        stored = store_signature(actor=actor, instance=instance, png=png) if png else None
        _close(claimed, actor=actor, action=action, opinion=opinion)
        log(instance, action, actor=actor, on_behalf_of=principal, item=claimed, opinion=opinion, signature=stored)
        engine.after_done(instance, claimed, actor=actor, chosen=chosen)
    return claimed


def work_item_circle(*, actor: User, item: WorkItem | int, opinion: str = "", subject_data: dict[str, Any] | None = None,
                     signature: str | None = None) -> WorkItem:
    """圈阅: on a 待办 it is consent; on a 待阅 it marks the item read."""
    pk = item if isinstance(item, int) else item.pk
    kind = WorkItem.objects.filter(pk=pk).values_list("kind", flat=True).first()
    if kind == WorkItem.Kind.READ:
        return work_item_read(actor=actor, item=pk, opinion=opinion or "已阅")
    return work_item_approve(actor=actor, item=pk, opinion=opinion, circle=True, subject_data=subject_data, signature=signature)


def work_item_return(*, actor: User, item: WorkItem | int, reason: str, to_position: int | None = None) -> WorkItem:
    """退回: to the previous step (default), any earlier step, or the initiator (-1), with a reason."""
    reason = clean_opinion(reason, required=True, label="退回理由", field="reason")
    with transaction.atomic():
        instance, claimed, principal = _claim(actor, item, action=StepAction.RETURN)
        if claimed.origin in (WorkItem.Origin.INITIATOR, WorkItem.Origin.ADD_BEFORE, WorkItem.Origin.ADD_AFTER):
            raise ServiceError("加签人和发起人不能退回，请填写意见后提交。")
        targets = dict(engine.return_targets(instance))
        if to_position is None:
            earlier = [p for p in targets if p < instance.position]
            to_position = max(earlier) if earlier else -1
        try:
            to_position = int(to_position)
        except (TypeError, ValueError):
            to_position = -999
        if to_position not in targets:
            raise ServiceError("只能退回到已经过的步骤或发起人。", fields={"to_position": "只能退回到已经过的步骤或发起人。"})
        _close(claimed, actor=actor, action=FlowAction.Action.RETURN, opinion=reason)
        engine.cancel_open(instance)
        log(instance, FlowAction.Action.RETURN, actor=actor, on_behalf_of=principal, item=claimed, opinion=reason,
            targets=[instance.initiator] if to_position == -1 else [])
        if to_position == -1:
            engine.back_to_initiator(instance)
        else:
            step_id = instance.plan[to_position]
            engine.enter(instance, to_position, actor=actor, chosen=engine.last_assignees(instance, step_id))
        tell(instance, [instance.initiator], f"被退回：{instance.title}", body=f"{actor.display_name}：{reason}",
             level=Notification.Level.REMINDER)
    return claimed


def work_item_transfer(*, actor: User, item: WorkItem | int, to: User | int, opinion: str = "") -> WorkItem:
    """转办: hand the item to another person; the new item takes its place in the step."""
    opinion = clean_opinion(opinion)
    target = _people([to])[0] if to is not None else None
    if target is None:
        raise ServiceError("请选择转办给谁。", fields={"to": "请选择转办给谁。"})
    with transaction.atomic():
        instance, claimed, principal = _claim(actor, item, action=StepAction.TRANSFER)
        if claimed.origin == WorkItem.Origin.INITIATOR:
            raise ServiceError("退回发起人的事项不能转办。")
        engine.check_people(instance, [target], "to")
        if target.pk in (claimed.assignee_id, actor.pk):
            raise ServiceError("不能转办给自己。", fields={"to": "不能转办给自己。"})
        if WorkItem.objects.filter(instance=instance, round=instance.round, assignee=target, status__in=OPEN, kind=WorkItem.Kind.TODO).exists():
            raise ServiceError(f"{target.display_name}已有本步骤的待办。", fields={"to": "该人员已有本步骤的待办。"})
        _close(claimed, actor=actor, action=FlowAction.Action.TRANSFER, opinion=opinion, status=WorkItem.Status.TRANSFERRED)
        new = engine.new_item(instance, assignee=target, step=claimed.step, step_name=claimed.step_name, origin=claimed.origin,
                              sequence=claimed.sequence, parent=claimed.parent, due=(claimed.due_date, claimed.due_provisional))
        log(instance, FlowAction.Action.TRANSFER, actor=actor, on_behalf_of=principal, item=claimed, opinion=opinion, targets=[target])
        tell(instance, [target], f"转办：{instance.title}（{claimed.step_name}）", url=new.get_absolute_url())
    return new


def work_item_add_signers(*, actor: User, item: WorkItem | int, signers: Iterable[Any], position: str = "before",
                          opinion: str = "") -> list[WorkItem]:
    """加签: `before` — the signers act first and the item comes back to the actor; `after` — the actor agrees now
    and the step waits for the signers too."""
    if position not in ("before", "after"):
        raise ServiceError("加签方式无效。", fields={"position": "应为 before（前加签）或 after（后加签）。"})
    opinion = clean_opinion(opinion)
    people = _people(signers)
    if not people:
        raise ServiceError("请选择加签人。", fields={"signers": "请选择加签人。"})
    with transaction.atomic():
        instance, claimed, principal = _claim(actor, item, action=StepAction.ADD_SIGN)
        if claimed.origin == WorkItem.Origin.INITIATOR:
            raise ServiceError("退回发起人的事项不能加签。")
        engine.check_people(instance, people, "signers")
        busy = set(WorkItem.objects.filter(instance=instance, round=instance.round, status__in=OPEN, kind=WorkItem.Kind.TODO,
                                           assignee__in=people).values_list("assignee_id", flat=True))
        if claimed.assignee_id in {p.pk for p in people} or actor.pk in {p.pk for p in people}:
            raise ServiceError("不能给自己加签。", fields={"signers": "不能给自己加签。"})
        if busy:
            names = "、".join(p.display_name for p in people if p.pk in busy)
            raise ServiceError(f"{names}已有本步骤的待办。", fields={"signers": "所选人员已有本步骤的待办。"})
        if position == "before":
            held = WorkItem.objects.filter(pk=claimed.pk, status=WorkItem.Status.PENDING).update(status=WorkItem.Status.ON_HOLD)
            if held != 1:
                raise Conflict(TAKEN)
            updated(claimed)
            origin, action, parent = WorkItem.Origin.ADD_BEFORE, FlowAction.Action.ADD_BEFORE, claimed
        else:
            _close(claimed, actor=actor, action=FlowAction.Action.ADD_AFTER, opinion=opinion)
            origin, action, parent = WorkItem.Origin.ADD_AFTER, FlowAction.Action.ADD_AFTER, claimed
        new = [engine.new_item(instance, assignee=p, step=claimed.step, step_name=f"{claimed.step_name}（加签）", origin=origin,
                               parent=parent, due=engine.due_for(claimed.step, instance)) for p in people]
        log(instance, action, actor=actor, on_behalf_of=principal, item=claimed, opinion=opinion, targets=people)
        tell(instance, people, f"加签：{instance.title}（{claimed.step_name}）")
        if position == "after":
            engine.after_done(instance, claimed, actor=actor, chosen=None)
    return new


def work_item_read(*, actor: User, item: WorkItem | int, opinion: str = "已阅") -> WorkItem:
    """阅知 a 待阅 item (传阅/抄送)."""
    opinion = clean_opinion(opinion) or "已阅"
    with transaction.atomic():
        instance, claimed, principal = _claim(actor, item, kind=WorkItem.Kind.READ)
        _close(claimed, actor=actor, action=FlowAction.Action.READ, opinion=opinion)
        log(instance, FlowAction.Action.READ, actor=actor, on_behalf_of=principal, item=claimed, opinion=opinion)
    return claimed


def work_items_circle_bulk(*, actor: User, items: Iterable[Any]) -> int:
    """批量圈阅 of 待阅 items; items already read or not the actor's are skipped. Returns how many were read."""
    done = 0
    for raw in list(items)[:500]:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            continue
        try:
            work_item_read(actor=actor, item=pk, opinion="已阅")
        except (NotFound, Conflict, PermissionDenied, ServiceError):
            continue
        done += 1
    return done


# ---- the initiator and the office ------------------------------------------------------------------------
def _visible_instance(actor: User, instance: FlowInstance | int) -> FlowInstance:
    pk = instance if isinstance(instance, int) else instance.pk
    if not FlowInstance.objects.restrict(actor).filter(pk=pk).exists():
        raise NotFound()
    return lock_instance(pk)


def instance_withdraw(*, actor: User, instance: FlowInstance | int, reason: str = "") -> FlowInstance:
    """撤回: the initiator takes the flow back while the next step is untouched."""
    reason = clean_opinion(reason, label="撤回原因", field="reason")
    with transaction.atomic():
        instance = _visible_instance(actor, instance)
        if instance.initiator_id != actor.pk:
            raise PermissionDenied("只有发起人可以撤回。")
        require_running(instance)
        last = (
            FlowAction.objects.filter(instance=instance)
            .exclude(action__in=[FlowAction.Action.CHASE, FlowAction.Action.COPY, FlowAction.Action.READ, FlowAction.Action.SKIP,
                                 FlowAction.Action.REMIND, FlowAction.Action.ESCALATE])
            .order_by("-created_at", "-id").first()
        )
        touched = WorkItem.objects.filter(instance=instance, round=instance.round, kind=WorkItem.Kind.TODO).exclude(
            status__in=[WorkItem.Status.PENDING, WorkItem.Status.QUEUED]
        ).exists()
        if instance.position < 0 or last is None or last.actor_id != actor.pk or touched:
            raise Conflict("下一步已有人办理，不能撤回。")
        engine.cancel_open(instance)
        instance.status = FlowInstance.Status.WITHDRAWN
        instance.finished_at = timezone.now()
        instance.save(update_fields=["status", "finished_at"])
        log(instance, FlowAction.Action.WITHDRAW, actor=actor, opinion=reason)
        _ended(instance, actor)
    return instance


def instance_terminate(*, actor: User, instance: FlowInstance | int, reason: str, item: WorkItem | int | None = None) -> FlowInstance:
    """终止: by the handler of a step that allows it, the initiator, or the office (flow.supervise)."""
    reason = clean_opinion(reason, required=True, label="终止理由", field="reason")
    with transaction.atomic():
        principal = None
        if item is not None:
            instance, claimed, principal = _claim(actor, item, action=StepAction.TERMINATE)
            _close(claimed, actor=actor, action=FlowAction.Action.TERMINATE, opinion=reason)
        else:
            instance = _visible_instance(actor, instance)
            require_running(instance)
            office = has_perm(actor, "flow.supervise") and actor.organization_id == instance.organization_id
            if instance.initiator_id != actor.pk and not office:
                raise PermissionDenied("只有发起人、有权办理的步骤或办公室可以终止流程。")
        engine.cancel_open(instance)
        instance.status = FlowInstance.Status.TERMINATED
        instance.finished_at = timezone.now()
        instance.current_step_name = ""
        instance.save(update_fields=["status", "finished_at", "current_step_name"])
        log(instance, FlowAction.Action.TERMINATE, actor=actor, on_behalf_of=principal, opinion=reason, step_name="终止")
        tell(instance, [instance.initiator], f"已终止：{instance.title}", body=reason, level=Notification.Level.WARNING)
        _ended(instance, actor)
    return instance


def _ended(instance: FlowInstance, actor: User) -> None:
    adapter = subject_for(instance.business_type)
    obj = engine.subject_of(instance)
    if adapter is not None and obj is not None:
        adapter.on_ended(instance=instance, obj=obj, actor=actor)


def instance_chase(*, actor: User, instance: FlowInstance | int, message: str = "") -> FlowAction:
    """催办: the initiator or the office reminds whoever holds the flow now; recorded with the message."""
    message = clean_opinion(message, label="催办内容", field="message") or "请尽快办理。"
    with transaction.atomic():
        instance = _visible_instance(actor, instance)
        require_running(instance)
        office = has_perm(actor, "flow.supervise") and actor.organization_id == instance.organization_id
        if instance.initiator_id != actor.pk and not office:
            raise PermissionDenied("只有发起人或办公室可以催办。")
        holders = [i.assignee for i in WorkItem.objects.select_related("assignee").filter(
            instance=instance, kind=WorkItem.Kind.TODO, status=WorkItem.Status.PENDING)]
        if not holders:
            raise ServiceError("当前没有待办理的人员。")
        entry = log(instance, FlowAction.Action.CHASE, actor=actor, opinion=message, targets=holders)
        tell(instance, holders, f"催办：{instance.title}", body=f"{actor.display_name}：{message}", level=Notification.Level.URGENT)
    return entry


def instance_circulate(*, actor: User, instance: FlowInstance | int, recipients: Iterable[Any], opinion: str = "") -> list[WorkItem]:
    """传阅/抄送: give people a 待阅 item on the flow (those who can see the flow may do this)."""
    opinion = clean_opinion(opinion)
    people = _people(recipients)
    if not people:
        raise ServiceError("请选择传阅人员。", fields={"recipients": "请选择传阅人员。"})
    with transaction.atomic():
        instance = _visible_instance(actor, instance)
        FlowInstancePolicy.require(actor, instance, "circulate", "只有办公室或发起人可以传阅该事项：传阅会扩大其知悉范围。")
        engine.check_people(instance, people, "recipients")
        if not FlowInstancePolicy.may_widen(actor, instance):
            outside = FlowInstancePolicy.outside_scope(people, instance)
            if outside:
                msg = ("、".join(p.display_name for p in outside)
                       + "不在该事项的知悉范围内；只有办公室或发起人可以扩大知悉范围，您只能传给已能阅知的人员。")
                raise PermissionDenied(msg)
        unread = set(WorkItem.objects.filter(instance=instance, kind=WorkItem.Kind.READ, status=WorkItem.Status.PENDING,
                                             assignee__in=people).values_list("assignee_id", flat=True))
        people = [p for p in people if p.pk not in unread]
        new = [engine.new_item(instance, assignee=p, step=None, step_name="传阅", kind=WorkItem.Kind.READ, origin=WorkItem.Origin.COPY)
               for p in people]
        if new:
            log(instance, FlowAction.Action.COPY, actor=actor, opinion=opinion, targets=people, step_name="传阅")
            tell(instance, people, f"待阅：{instance.title}")
    return new


# ---- one entry point for modules and the API ---------------------------------------------------------------
ITEM_ACTIONS = {
    "approve": lambda actor, item, p: work_item_approve(actor=actor, item=item, opinion=p.get("opinion", ""),
                                                         next_assignees=p.get("next_assignees"), subject_data=p.get("subject_data"),
                                                         signature=p.get("signature")),
    "circle": lambda actor, item, p: work_item_circle(actor=actor, item=item, opinion=p.get("opinion", ""),
                                                      subject_data=p.get("subject_data"), signature=p.get("signature")),
    "read": lambda actor, item, p: work_item_read(actor=actor, item=item, opinion=p.get("opinion", "") or "已阅"),
    "return": lambda actor, item, p: work_item_return(actor=actor, item=item, reason=p.get("reason", ""),
                                                       to_position=p.get("to_position")),
    "transfer": lambda actor, item, p: work_item_transfer(actor=actor, item=item, to=p.get("to"), opinion=p.get("opinion", "")),
    "add_signers": lambda actor, item, p: work_item_add_signers(actor=actor, item=item, signers=p.get("signers") or [],
                                                                position=p.get("position", "before"), opinion=p.get("opinion", "")),
    "terminate": lambda actor, item, p: instance_terminate(actor=actor, instance=0, item=item, reason=p.get("reason", "")),
}


def flow_act(*, actor: User, item: WorkItem | int, action: str, **params: Any) -> Any:
    """Act on a work item by name: approve, circle, read, return, transfer, add_signers, terminate."""
    handler = ITEM_ACTIONS.get(action)
    if handler is None:
        raise ServiceError("未知的操作。", fields={"action": "未知的操作。"})
    return handler(actor, item, params)
