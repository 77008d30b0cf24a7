"""Reads of the one inbox. Every list and count starts from `tasks_for(user)`: the person's own open tasks, plus
the delegable ones of people who delegated to him today (委托), never above his clearance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhongshu.workdays.calendar import add_workdays

from .models import Task


def _assignee_q(user) -> Q:
    from zhongshu.flow.models import acting_ids

    q = Q(assignee_id=user.pk)
    others = [i for i in acting_ids(user) if i != user.pk]
    if others:
        q |= Q(assignee_id__in=others, delegable=True)
    return q


def tasks_for(user, box: str | None = None) -> QuerySet[Task]:
    """Open tasks the user may act on: a task is never shown above the user's clearance (a delegate below the
    principal's clearance does not see the principal's classified work)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return Task.objects.none()
    qs = Task.objects.filter(_assignee_q(user), status=Task.Status.OPEN, classification__lte=int(user.max_classification))
    if box is not None:
        qs = qs.filter(box=box)
    return qs


def todo_for(user) -> QuerySet[Task]:
    return tasks_for(user, Task.Box.TODO).select_related("assignee")


def toread_for(user) -> QuerySet[Task]:
    return tasks_for(user, Task.Box.READ).select_related("assignee")


def done_for(user) -> QuerySet[Task]:
    """已办: tasks closed by what the user did (for himself or on someone's behalf)."""
    if user is None or user.pk is None:
        return Task.objects.none()
    return Task.objects.filter(done_by_id=user.pk, status=Task.Status.DONE, classification__lte=int(user.max_classification))


def urgency_bounds(organization_id: int | None) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, add_workdays(today, 1, organization_id=organization_id)


@dataclass
class Summary:
    todo: int = 0
    toread: int = 0
    overdue: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    latest_todo: list = field(default_factory=list)
    latest_toread: list = field(default_factory=list)

    def count(self, *kinds: str) -> int:
        return sum(self.by_kind.get(k, 0) for k in kinds)


def summary(user) -> Summary:
    """Counts per box and kind and the newest rows: three queries whatever the number of task sources."""
    today = timezone.localdate()
    s = Summary()
    for row in tasks_for(user).order_by().values("box", "kind").annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today))):
        s.by_kind[row["kind"]] = s.by_kind.get(row["kind"], 0) + row["n"]
        if row["box"] == Task.Box.TODO:
            s.todo += row["n"]
            s.overdue += row["late"]
        else:
            s.toread += row["n"]
    if s.todo:
        s.latest_todo = list(tasks_for(user, Task.Box.TODO).order_by("-since", "-id")[:6])
    if s.toread:
        s.latest_toread = list(tasks_for(user, Task.Box.READ).order_by("-since", "-id")[:6])
    return s


def summary_for_request(request) -> Summary:
    """One summary per request: the 工作台's cards all read it."""
    cached = getattr(request, "_inbox_summary", None)
    if cached is None:
        cached = request._inbox_summary = summary(request.user)
    return cached


def inbox_counts(user) -> dict[str, int]:
    s = summary(user)
    return {"todo": s.todo, "toread": s.toread, "overdue": s.overdue}


# ---- 办理记录: the person's business actions from the audit trail --------------------------------------------
BUSINESS_AREAS = ("notices.", "outgoing.", "incoming.", "flow.", "supervision.", "archives.", "file.attach")
NOT_ACTIONS = ("file.view", "file.download")


def actions_of(user):
    """The person's own business actions (登记, 编号, 印制, 分发, 签收 …) from the audit trail, newest first. Titles
    are never read from the trail: `describe()` asks each target's restrict() for the page shown."""
    from zhongshu.audit.models import AuditEntry

    q = Q()
    for area in BUSINESS_AREAS:
        q |= Q(action__startswith=area)
    return AuditEntry.objects.filter(q, actor_id=user.pk).exclude(action__in=NOT_ACTIONS)


def describe(user, entries) -> list[dict]:
    """Rows for the 办理记录 list: action label, time, and the target's title through restrict() (or a neutral line)."""
    from zhongshu.access.policy import label_for
    from zhongshu.audit.actions import LABELS

    by_type: dict[str, set[int]] = {}
    for e in entries:
        if e.target_type and e.target_id.isdigit():
            by_type.setdefault(e.target_type, set()).add(int(e.target_id))
    seen: dict[tuple[str, int], object] = {}
    for label, ids in by_type.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        restrict = getattr(model._default_manager, "restrict", None)
        if restrict is None:
            continue
        try:
            for obj in model._default_manager.restrict(user, "view").filter(pk__in=ids):
                seen[(label, obj.pk)] = obj
        except TypeError:  # a model without a registered policy
            continue
    rows = []
    for e in entries:
        obj = seen.get((e.target_type, int(e.target_id))) if e.target_id.isdigit() else None
        # fetched through restrict() above, so readable: the policy's title without asking the database again
        title = label_for(user, obj, readable=True) if obj is not None else "（对象不可查看）"
        url = obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else ""
        rows.append({"entry": e, "action": LABELS.get(e.action, e.action), "title": title, "url": url})
    return rows
