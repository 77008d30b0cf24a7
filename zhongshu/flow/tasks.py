"""The flow's task source for the one inbox: each pending work item is a 待办 (todo) or 待阅 (read) of its assignee;
a 委托 delegate sees it too (delegable)."""

from __future__ import annotations

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source

from .models import FlowInstance, WorkItem
from .registry import business_type_label

register_kind(
    TaskKind("flow.todo", "流程审批", box="todo", delegable=True, order=10),
    TaskKind("flow.read", "传阅抄送", box="read", delegable=True, order=10),
)


def item_tasks(item: WorkItem) -> list[Spec]:
    if item.status != WorkItem.Status.PENDING:
        return []
    instance = item.instance
    if item.kind == WorkItem.Kind.TODO and instance.status != FlowInstance.Status.RUNNING:
        return []
    label = business_type_label(instance.business_type)
    return [Spec(kind="flow.todo" if item.kind == WorkItem.Kind.TODO else "flow.read", assignee_id=item.assignee_id,
                 title=instance.title, url=item.get_absolute_url(), since=item.created_at, organization_id=item.organization_id,
                 classification=item.classification, action=f"{label} · {item.step_name}" if label else item.step_name,
                 origin=instance.initiator.display_name, deadline=item.due_date, deadline_provisional=item.due_provisional)]


register_source(WorkItem, item_tasks, actor=lambda i: i.done_by_id, select=("instance", "instance__initiator"),
                related={FlowInstance: lambda inst: inst.items.all()},
                all=lambda: WorkItem.objects.filter(status=WorkItem.Status.PENDING))
