"""The 用印审批 definition of an organization (editable by its administrators like any flow definition) and the
default approval rules: every request → 办公室主任; 合同专用章 → the legal adviser (a named person) and the 分管领导."""

from __future__ import annotations

from zhongshu.flow.models import AssigneeRule, FlowDefinition, StepAction, StepKind
from zhongshu.flow.services.definitions import definition_create, definition_publish, definition_save_steps
from zhongshu.org.models import Organization

A = StepAction


def build_seal_flow(organization: Organization) -> FlowDefinition:
    existing = FlowDefinition.objects.filter(organization=organization, business_type="seal_use").first()
    if existing is not None:
        return existing
    d = definition_create(actor=None, organization=organization, business_type="seal_use", name="用印审批", description="按用印审批规则依次审批")
    definition_save_steps(actor=None, definition=d, steps=[
        {"name": "用印审批", "kind": StepKind.SERIAL, "assignee_rule": AssigneeRule.SUBJECT, "deadline_days": 1,
         "actions": [A.APPROVE, A.RETURN, A.TERMINATE]},
    ])
    return definition_publish(actor=None, definition=d)
