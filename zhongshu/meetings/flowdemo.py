"""The demo 会议方案 approval: 办公室审核 → 分管领导审批, as an editable flow definition."""

from __future__ import annotations

from zhongshu.flow.models import AssigneeRule, FlowDefinition, StepAction, StepKind
from zhongshu.flow.services.definitions import definition_create, definition_publish, definition_save_steps
from zhongshu.org.models import Organization, User

A = StepAction


def build_meeting_flow(organization: Organization, director: User, leader: User) -> FlowDefinition:
    existing = FlowDefinition.objects.filter(organization=organization, business_type="meeting").first()
    if existing is not None:
        return existing
    d = definition_create(actor=None, organization=organization, business_type="meeting", name="会议方案审批",
                          description="办公室审核后报领导审批")
    definition_save_steps(actor=None, definition=d, steps=[
        {"name": "办公室审核", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.USERS, "users": [director], "deadline_days": 1,
         "actions": [A.APPROVE, A.RETURN]},
        {"name": "领导审批", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.USERS, "users": [leader], "deadline_days": 1,
         "actions": [A.APPROVE, A.RETURN, A.TERMINATE]},
    ])
    return definition_publish(actor=None, definition=d)
