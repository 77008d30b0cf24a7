"""The flow engine's API for modules, views and the API: start a flow, act on an item, query the state.

Modules call only these; they never write flow tables themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from ..models import FlowAction, FlowInstance, WorkItem
from .actions import (
    flow_act,
    flow_start,
    instance_chase,
    instance_circulate,
    instance_terminate,
    instance_withdraw,
    work_item_add_signers,
    work_item_approve,
    work_item_circle,
    work_item_read,
    work_item_return,
    work_item_transfer,
    work_items_circle_bulk,
)
from .reminders import reminders_scan

__all__ = [
    "FlowState", "flow_act", "flow_start", "flow_state", "instance_chase", "instance_circulate", "instance_terminate",
    "instance_withdraw", "reminders_scan", "work_item_add_signers", "work_item_approve", "work_item_circle", "work_item_read",
    "work_item_return", "work_item_transfer", "work_items_circle_bulk",
]


@dataclass
class FlowState:
    """Where an object stands in its latest flow (for a module's own pages)."""

    instance: FlowInstance | None
    status: str = ""
    status_label: str = "未送审"
    step_name: str = ""
    holders: list[str] = field(default_factory=list)
    history: list[FlowAction] = field(default_factory=list)
    holder_ids: list[int] = field(default_factory=list)

    def held_by(self, user: Any) -> bool:
        """Whether `user` (or the person they act for under a 委托) holds an open 待办 of the running flow."""
        from ..models import acting_ids

        return self.running and bool(set(acting_ids(user)) & set(self.holder_ids))

    @property
    def running(self) -> bool:
        return self.status == FlowInstance.Status.RUNNING


def flow_state(subject: Any) -> FlowState:
    ct = ContentType.objects.get_for_model(subject)
    instance = FlowInstance.objects.filter(content_type=ct, object_id=subject.pk).order_by("-created_at", "-id").first()
    if instance is None:
        return FlowState(None)
    open_items = list(WorkItem.objects.select_related("assignee").filter(
        instance=instance, kind=WorkItem.Kind.TODO, status=WorkItem.Status.PENDING).order_by("id"))
    history = list(instance.history.select_related("actor", "on_behalf_of"))
    return FlowState(instance, instance.status, instance.get_status_display(), instance.current_step_name,
                     [i.assignee.display_name for i in open_items], history, [i.assignee_id for i in open_items])
