"""The 收文 route of the demo county government office: 拟办 by the office director → 批示 by the leaders the
director names, in order (by default the 分管领导)."""

from __future__ import annotations

from zhongshu.access.policy import SYSTEM
from zhongshu.flow.models import AssigneeRule, FlowDefinition, StepAction, StepKind
from zhongshu.flow.services.definitions import definition_create, definition_publish, definition_save_steps

A = StepAction


def build_incoming_flow(organization, director) -> FlowDefinition:
    existing = FlowDefinition.objects.filter(organization=organization, business_type="incoming").first()
    if existing is not None:
        return existing
    d = definition_create(actor=SYSTEM, organization=organization, business_type="incoming", name="收文办理", description="拟办、批示")
    definition_save_steps(actor=SYSTEM, definition=d, steps=[
        {"name": "拟办", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.USERS, "users": [director], "deadline_days": 1,
         "actions": [A.APPROVE, A.RETURN, A.TRANSFER, A.ADD_SIGN]},
        # 由业务单据指定: the leaders 拟办 names, one after another (e.g. 分管副县长 then 县长); none named → 分管领导
        {"name": "领导批示", "kind": StepKind.SERIAL, "assignee_rule": AssigneeRule.SUBJECT, "deadline_days": 2,
         "actions": [A.APPROVE, A.CIRCLE, A.RETURN, A.TRANSFER, A.ADD_SIGN, A.TERMINATE]},
    ])
    return definition_publish(actor=SYSTEM, definition=d)
