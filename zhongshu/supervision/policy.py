"""督查督办 policy: who reads an item or a task, what each person may do, what others may be shown.

Item actions (the office = 督查室/办公室 of the item's organization, with supervision.manage and clearance):
  assign (draft) · task_add (in progress) · reassign (some task pending or disputed) · review (a progress report
  awaits review) · verify (completion requested) · extension_decide (a pending extension) · milestone_add /
  milestone_done (not closed) · remind (assigned, not closed; also the system's daily scan) ·
  confirm (verified: the responsible leader, or his delegate via 委托, with supervision.confirm).
Task actions (the department's side): accept / dispute (pending: its 联络员 or 负责人) · hand_down (pending or
  accepted: same people) · report / extension / complete (accepted, item in progress: department members or the
  person it was handed to; complete only on the 主办 task; extension only when none is pending) · open (may work on
  it) · reassign / remind (the office, as above).
The 三员, other organizations' people (except the task's own department) and the system get nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, is_system, register
from zhongshu.org import units

from .models import ExtensionRequest, ProgressReport, SupervisionItem, SupervisionTask

Status = SupervisionItem.Status
TaskStatus = SupervisionTask.Status


def _delegators(user: Any) -> list[int]:
    """Whose work `user` handles today (委托 in force)."""
    from zhongshu.org.models import Delegation

    today = timezone.localdate()
    return list(
        Delegation.objects.filter(delegate_id=user.pk, revoked_at__isnull=True, start_date__lte=today, end_date__gte=today)
        .values_list("delegator_id", flat=True)
    )


def _person(user: Any) -> bool:
    return not is_system(user) and getattr(user, "is_authenticated", False) and user.is_active and not user.admin_role


class SupervisionItemPolicy(Policy):
    model = SupervisionItem
    area = "supervision"
    noun = "督办事项"
    number_field = "number"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The office (督查室/办公室) follows every item of its organization; a leader his own items (and those of a
        # leader who delegated to him); a department the items it has a live task in (or handed down to the person).
        if has_perm(user, "supervision.manage"):
            return Q(pk__isnull=False)
        # Two subqueries rather than one with an OR, so each uses its own index on the task table.
        live = SupervisionTask.objects.exclude(status=SupervisionTask.Status.REASSIGNED)
        q = Q(responsible_leader_id=user.pk) | Q(created_by_id=user.pk) | Q(pk__in=live.filter(assignee_id=user.pk).values("item_id"))
        if user.department_ids:
            q |= Q(pk__in=live.filter(department_id__in=user.department_ids).values("item_id"))
        if has_perm(user, "supervision.confirm"):
            principals = _delegators(user)
            if principals:
                q |= Q(responsible_leader_id__in=principals)
        return q

    @classmethod
    def is_office(cls, user: Any, item: SupervisionItem) -> bool:
        return (
            _person(user) and user.organization_id == item.organization_id and has_perm(user, "supervision.manage")
            and SupervisionItem.objects.filter(pk=item.pk).restrict(user, "manage").exists()
        )

    @classmethod
    def confirms_for(cls, user: Any, item: SupervisionItem) -> bool:
        """The responsible leader, or whoever he delegated his work to (委托), may confirm 销号."""
        if not _person(user) or not has_perm(user, "supervision.confirm") or not cls.readable(user, item):
            return False
        return item.responsible_leader_id == user.pk or item.responsible_leader_id in _delegators(user)

    @classmethod
    def allowed_actions(cls, user: Any, obj: SupervisionItem) -> set[str]:
        item = obj
        if is_system(user):
            return {"remind"} if item.status in SupervisionItem.OPEN else set()
        acts: set[str] = set()
        if cls.is_office(user, item):
            if item.status == Status.DRAFT:
                acts.add("assign")
            if item.status == Status.IN_PROGRESS:
                acts.add("task_add")
                if item.tasks.filter(status__in=[TaskStatus.PENDING, TaskStatus.DISPUTED]).exists():
                    acts.add("reassign")
            if item.status != Status.CLOSED:
                acts.add("milestone_add")
                if item.milestones.filter(done_on__isnull=True).exists():
                    acts.add("milestone_done")
            if item.reports.filter(kind=ProgressReport.Kind.PROGRESS, status=ProgressReport.Status.SUBMITTED).exists():
                acts.add("review")
            if item.status == Status.COMPLETION_REQUESTED:
                acts.add("verify")
            if item.status in SupervisionItem.OPEN:
                acts.add("remind")
                if item.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
                    acts.add("extension_decide")
        if item.status == Status.VERIFIED and cls.confirms_for(user, item):
            acts.add("confirm")
        return acts

    @classmethod
    def receivers(cls, task: SupervisionTask) -> list[Any]:
        """Who would be told about a task (its 承办人, else its department's 联络员 and 负责人)."""
        from .services import contacts

        return contacts(task)


class SupervisionTaskPolicy(Policy):
    model = SupervisionTask
    area = "supervision"
    noun = "督办任务"
    organization_field = "department_organization"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        q = Q(assignee_id=user.pk) | Q(item__responsible_leader_id=user.pk)
        if user.department_ids:
            q |= Q(department_id__in=user.department_ids)
        if has_perm(user, "supervision.manage"):
            q |= Q(item__organization_id=user.organization_id)
        return q

    @classmethod
    def title_of(cls, obj: SupervisionTask) -> str:
        return obj.item.title

    @classmethod
    def signs_for(cls, user: Any, task: SupervisionTask) -> bool:
        """签收/异议/转交: the department's 联络员 (supervision.accept) or its 负责人."""
        if task.department_id not in user.department_ids:
            return False
        return units.signs_for(user, department=task.department)  # the shared 承办单位 rule (head or 联络员)

    @classmethod
    def allowed_actions(cls, user: Any, obj: SupervisionTask) -> set[str]:
        task = obj
        item = task.item
        if is_system(user):
            return {"remind"} if item.status in SupervisionItem.OPEN and task.status in (TaskStatus.PENDING, TaskStatus.ACCEPTED) else set()
        if not _person(user):
            return set()
        acts: set[str] = set()
        if SupervisionItemPolicy.is_office(user, item):
            if item.status == Status.IN_PROGRESS and task.status in (TaskStatus.PENDING, TaskStatus.DISPUTED):
                acts.add("reassign")
            if item.status in SupervisionItem.OPEN and task.status in (TaskStatus.PENDING, TaskStatus.ACCEPTED):
                acts.add("remind")
        if task.status == TaskStatus.REASSIGNED or not cls.readable(user, task):
            return acts
        member = task.department_id in user.department_ids or task.assignee_id == user.pk
        if member and task.status != TaskStatus.DONE:
            acts.add("open")
        if cls.signs_for(user, task):
            if task.status == TaskStatus.PENDING:
                acts |= {"accept", "dispute"}
            if task.status in (TaskStatus.PENDING, TaskStatus.ACCEPTED):
                acts.add("hand_down")
        if member and has_perm(user, "supervision.report") and task.status == TaskStatus.ACCEPTED and item.status == Status.IN_PROGRESS:
            acts.add("report")
            if task.role == SupervisionTask.Role.LEAD:
                acts.add("complete")
            if not item.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
                acts.add("extension")
        return acts


def require_task_receivers(task: SupervisionTask, *, field: str, people: Iterable[Any] | None = None) -> None:
    """Refuse 分派/改派/转交 when anyone who would receive the item is below its classification (naming them)."""
    SupervisionItemPolicy.require_receivers(list(people) if people is not None else SupervisionItemPolicy.receivers(task),
                                            task.item, field=field)


register(SupervisionItemPolicy)
register(SupervisionTaskPolicy)
