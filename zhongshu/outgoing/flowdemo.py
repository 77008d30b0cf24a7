"""The 发文 route of the demo county government office, as a flow definition administrators can edit."""

from __future__ import annotations

from zhongshu.flow.models import AssigneeRule, Completion, FlowDefinition, StepAction, StepKind
from zhongshu.flow.services.definitions import definition_create, definition_publish, definition_save_steps
from zhongshu.org.models import Organization, User

A = StepAction
REVIEW = [A.APPROVE, A.CIRCLE, A.RETURN, A.TRANSFER, A.ADD_SIGN]
SIGN = [A.APPROVE, A.CIRCLE, A.RETURN, A.TRANSFER, A.ADD_SIGN, A.TERMINATE]


def outgoing_steps(director: User) -> list[dict]:
    """拟稿 → 部门负责人核稿 → 办公室审核 → 会签 (the 会签单位 on the 稿纸, in parallel; skipped when none) →
    签发 (分管领导; upward documents by the principal)."""
    return [
        {"name": "部门负责人核稿", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.INITIATOR_HEAD, "deadline_days": 1, "actions": REVIEW},
        {"name": "办公室审核", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.USERS, "users": [director], "deadline_days": 2, "actions": REVIEW},
        {"name": "会签", "kind": StepKind.PARALLEL, "completion": Completion.ALL, "assignee_rule": AssigneeRule.SUBJECT, "deadline_days": 2,
         "actions": [A.APPROVE, A.RETURN], "condition_fact": "countersign", "condition_op": "eq", "condition_value": "true"},
        {"name": "分管领导签发", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.INITIATOR_LEADER, "deadline_days": 2, "actions": SIGN,
         "condition_fact": "upward", "condition_op": "eq", "condition_value": "false"},
        {"name": "主要负责人签发", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.PRINCIPAL, "deadline_days": 2, "actions": SIGN,
         "condition_fact": "upward", "condition_op": "eq", "condition_value": "true"},
    ]


def build_outgoing_flow(organization: Organization, director: User) -> FlowDefinition:
    existing = FlowDefinition.objects.filter(organization=organization, business_type="outgoing").first()
    if existing is not None:
        return existing
    d = definition_create(actor=None, organization=organization, business_type="outgoing", name="发文审核签发", description="发文稿送审至签发")
    definition_save_steps(actor=None, definition=d, steps=outgoing_steps(director))
    return definition_publish(actor=None, definition=d)
