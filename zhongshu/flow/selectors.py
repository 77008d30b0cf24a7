"""Reads users see: the inbox (待办/待阅/已办/我发起的), an item with its history, definitions. All through
`restrict()` (organization, 密级 ceiling, need-to-know) — a filtered-out item answers 404."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhongshu.core.errors import NotFound
from zhongshu.workdays.calendar import add_workdays

from .models import FlowAction, FlowDefinition, FlowInstance, WorkItem, acting_ids
from .services.definitions import can_manage

ITEM_RELATED = ("instance", "assignee")


def _items(user) -> QuerySet[WorkItem]:
    return WorkItem.objects.restrict(user).select_related(*ITEM_RELATED)


def todo_for(user) -> QuerySet[WorkItem]:
    """待办: pending items of the user and of those the user acts for today (委托)."""
    return _items(user).filter(assignee_id__in=acting_ids(user), status=WorkItem.Status.PENDING, kind=WorkItem.Kind.TODO)


def toread_for(user) -> QuerySet[WorkItem]:
    """待阅: circulation and copies not yet read."""
    return _items(user).filter(assignee_id__in=acting_ids(user), status=WorkItem.Status.PENDING, kind=WorkItem.Kind.READ)


def done_for(user) -> QuerySet[WorkItem]:
    """已办: what the user did (including on someone's behalf)."""
    return _items(user).filter(done_by_id=user.pk, status__in=[WorkItem.Status.DONE, WorkItem.Status.TRANSFERRED])


def started_by(user) -> QuerySet[FlowInstance]:
    """我发起的."""
    return FlowInstance.objects.restrict(user).filter(initiator_id=user.pk).select_related("initiator")


def inbox_counts(user) -> dict[str, int]:
    """Workbench numbers in one query: 待办, 待阅 and overdue 待办."""
    today = timezone.localdate()
    row = WorkItem.objects.restrict(user).filter(assignee_id__in=acting_ids(user), status=WorkItem.Status.PENDING).aggregate(
        todo=Count("pk", filter=Q(kind=WorkItem.Kind.TODO)),
        toread=Count("pk", filter=Q(kind=WorkItem.Kind.READ)),
        overdue=Count("pk", filter=Q(kind=WorkItem.Kind.TODO, due_date__lt=today)),
    )
    return {k: v or 0 for k, v in row.items()}


def urgency_bounds(organization_id: int | None) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, add_workdays(today, 1, organization_id=organization_id)


def item_get(user, pk) -> WorkItem:
    try:
        return _items(user).select_related("step", "done_by", "instance__initiator", "instance__definition").get(pk=int(pk))
    except (WorkItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()


def instance_get(user, pk) -> FlowInstance:
    try:
        return FlowInstance.objects.restrict(user).select_related("initiator", "definition", "content_type").get(pk=int(pk))
    except (FlowInstance.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()


def history_of(instance: FlowInstance) -> QuerySet[FlowAction]:
    return instance.history.select_related("actor", "on_behalf_of").order_by("created_at", "id")


def open_items_of(instance: FlowInstance) -> QuerySet[WorkItem]:
    return instance.items.select_related("assignee").filter(
        status__in=[WorkItem.Status.PENDING, WorkItem.Status.QUEUED, WorkItem.Status.ON_HOLD]
    ).order_by("kind", "sequence", "id")


def my_open_item(user, instance: FlowInstance) -> WorkItem | None:
    """The user's own actionable item on an instance (for the instance page)."""
    return instance.items.filter(assignee_id__in=acting_ids(user), status=WorkItem.Status.PENDING).order_by("kind", "id").first()


def definitions_for(user) -> QuerySet[FlowDefinition]:
    qs = FlowDefinition.objects.select_related("organization").annotate(step_count=Count("steps"))
    from zhongshu.access.permissions import has_perm

    if not has_perm(user, "flow.manage"):
        return qs.none()
    if has_perm(user, "org.manage"):
        return qs
    return qs.filter(organization_id=user.organization_id)


def definition_get(user, pk) -> FlowDefinition:
    try:
        d = definitions_for(user).get(pk=int(pk))
    except (FlowDefinition.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()
    if not can_manage(user, d.organization_id):
        raise NotFound()
    return d
