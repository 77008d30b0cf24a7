"""流程 policy: who reads a flow instance or a work item, what each person may do, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, is_system, register
from zhongshu.core.classification import Classification

from .models import FlowInstance, StepAction, WorkItem, acting_ids

# Item actions (the names flow_act and the item page use). 圈阅 on a 待阅 marks it read.
TODO_ACTIONS = ("approve", "circle", "return", "transfer", "add_signers", "terminate")
SIGN_ACTIONS = frozenset({"approve", "circle"})  # what separation of duties withholds from the submitter
STEP_ACTION = {"approve": StepAction.APPROVE, "circle": StepAction.CIRCLE, "return": StepAction.RETURN,
               "transfer": StepAction.TRANSFER, "add_signers": StepAction.ADD_SIGN, "terminate": StepAction.TERMINATE}


def _person(user: Any) -> bool:
    """A signed-in business user (not the system, not one of the 三员)."""
    return (user is not None and not is_system(user) and getattr(user, "is_authenticated", False) and user.is_active
            and not user.admin_role and user.organization_id is not None)


def office_of(user: Any, organization_id: int) -> bool:
    """The office (文秘/办公室主任 — flow.supervise) of the organization: it holds the 知悉范围 decision."""
    return user.organization_id == organization_id and (has_perm(user, "flow.supervise") or has_perm(user, "incoming.register"))


def submitters(instance: FlowInstance) -> set[int]:
    """Whose submission the instance is: its initiator and the subject's authors (e.g. the 发文 drafter)."""
    from .registry import subject_for
    from .services.engine import subject_of

    ids = {instance.initiator_id}
    adapter = subject_for(instance.business_type)
    obj = subject_of(instance) if adapter is not None else None
    if adapter is not None and obj is not None:
        ids |= adapter.authors(obj)
    return ids


class FlowInstancePolicy(Policy):
    model = FlowInstance
    area = "flow"
    noun = "审批事项"

    @classmethod
    def title_of(cls, obj: FlowInstance) -> str:
        """The flow's title is its document's title (copied at start)."""
        return obj.title or str(obj)

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        mine = WorkItem.objects.filter(Q(assignee_id__in=acting_ids(user)) | Q(done_by_id=user.pk)).values("instance_id")
        q = Q(initiator_id=user.pk) | Q(pk__in=mine)
        if has_perm(user, "flow.supervise"):
            q |= Q(classification__lt=Classification.SECRET)
        return q

    @classmethod
    def allowed_actions(cls, user: Any, obj: FlowInstance) -> set[str]:
        """withdraw / terminate / chase (the initiator; terminate and chase also the office) and circulate (传阅:
        the office or the initiator — who hold the 知悉范围 decision — or, where the organization's
        circulation_scope is "in_scope", anyone who can read the flow, to people who can already read it)."""
        if not _person(user) or int(user.max_classification) < obj.classification or not cls.readable(user, obj):
            return set()
        acts: set[str] = set()
        mine = obj.initiator_id == user.pk
        office = office_of(user, obj.organization_id) and has_perm(user, "flow.supervise")
        if cls.may_widen(user, obj) or obj.organization.circulation_scope == "in_scope":
            acts.add("circulate")
        if obj.status == FlowInstance.Status.RUNNING:
            if mine:
                acts.add("withdraw")
            if mine or office:
                acts |= {"terminate", "chase"}
        return acts


    @classmethod
    def may_widen(cls, user: Any, obj: FlowInstance) -> bool:
        """Whether `user` holds the 知悉范围 decision for the flow's object: the office of its organization or the
        initiator. Others may only pass it to people who can read it already (circulation_scope "in_scope")."""
        return _person(user) and (obj.initiator_id == user.pk or office_of(user, obj.organization_id))

    @classmethod
    def outside_scope(cls, people: list[Any], obj: FlowInstance) -> list[Any]:
        """Those of `people` who cannot read the flow's object now (giving them a 待阅 would widen 知悉范围)."""
        from zhongshu.access.policy import policy_for

        from .services.engine import subject_of

        subject = subject_of(obj)
        policy = policy_for(subject) if subject is not None else None
        if subject is None or policy is None:
            return [p for p in people if not cls.readable(p, obj)]
        return [p for p in people if not policy.readable(p, subject)]


class WorkItemPolicy(Policy):
    model = WorkItem
    area = "flow"
    noun = "待办事项"

    @classmethod
    def title_of(cls, obj: WorkItem) -> str:
        """A work item is shown by its flow's (that is, its document's) title."""
        return obj.instance.title or str(obj)

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        q = Q(assignee_id__in=acting_ids(user)) | Q(initiator_id=user.pk) | Q(done_by_id=user.pk)
        if has_perm(user, "flow.supervise"):
            q |= Q(classification__lt=Classification.SECRET)
        return q

    @classmethod
    def allowed_actions(cls, user: Any, obj: WorkItem) -> set[str]:
        """What the person may do to a work item now: its assignee, or a delegate (委托) cleared for its 密级;
        the step's allowed actions; nobody approves (同意/圈阅) their own submission, directly or as a delegate."""
        if not _person(user) or obj.organization_id != user.organization_id:
            return set()
        if obj.classification > int(user.max_classification) or obj.assignee_id not in acting_ids(user):
            return set()
        if obj.status != WorkItem.Status.PENDING:
            return set()
        if obj.kind == WorkItem.Kind.READ:
            return {"read", "circle"}
        instance = obj.instance
        if instance.status != FlowInstance.Status.RUNNING:
            return set()
        if obj.origin == WorkItem.Origin.INITIATOR:
            return {"approve", "terminate"}  # 重新提交 or 终止 one's own returned submission
        step = obj.step
        acts = {name for name, step_action in STEP_ACTION.items() if step is not None and step.allows(step_action)}
        if obj.origin in (WorkItem.Origin.ADD_BEFORE, WorkItem.Origin.ADD_AFTER):
            acts.discard("return")
        if acts & SIGN_ACTIONS and user.pk in submitters(instance):
            acts -= SIGN_ACTIONS
        return acts


register(FlowInstancePolicy)
register(WorkItemPolicy)
