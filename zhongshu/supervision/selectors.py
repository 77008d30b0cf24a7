"""督查督办 reads: every list, count and ranking goes through restrict()."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from zhongshu.core.errors import NotFound

from .models import (
    ExtensionRequest,
    Milestone,
    ProgressReport,
    ReminderNotice,
    Source,
    SupervisionItem,
    SupervisionTask,
    department_label,
)


def items_for(user, action: str = "view") -> QuerySet[SupervisionItem]:
    return SupervisionItem.objects.restrict(user, action).select_related("responsible_leader", "lead_department__organization")


def item_get(user, pk, action: str = "view") -> SupervisionItem:
    try:
        return items_for(user, action).get(pk=int(pk))
    except (SupervisionItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()


def tasks_for(user, action: str = "view") -> QuerySet[SupervisionTask]:
    return SupervisionTask.objects.restrict(user, action).select_related("item", "department__organization", "assignee", "item__responsible_leader")


def task_get(user, pk) -> SupervisionTask:
    try:
        return tasks_for(user).get(pk=int(pk))
    except (SupervisionTask.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()


def my_tasks(user) -> QuerySet[SupervisionTask]:
    """The tasks of the user's departments (or handed to him) — what a department works on."""
    mine = Q(assignee_id=user.pk)
    if user.department_ids:
        mine |= Q(department_id__in=user.department_ids)
    return tasks_for(user).filter(mine).exclude(status=SupervisionTask.Status.REASSIGNED)


def report_get(user, pk) -> ProgressReport:
    """A report, visible when its item or its task is visible."""
    try:
        report = ProgressReport.objects.select_related("task", "item").get(pk=int(pk))
    except (ProgressReport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()
    if not (items_for(user).filter(pk=report.item_id).exists() or tasks_for(user).filter(pk=report.task_id).exists()):
        raise NotFound()
    return report


def extension_get(user, pk) -> ExtensionRequest:
    try:
        ext = ExtensionRequest.objects.get(pk=int(pk))
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()
    item_get(user, ext.item_id)
    return ext


def milestone_get(user, pk) -> Milestone:
    try:
        stage = Milestone.objects.get(pk=int(pk))
    except (Milestone.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()
    item_get(user, stage.item_id)
    return stage


def reminder_get(user, pk) -> ReminderNotice:
    try:
        notice = ReminderNotice.objects.select_related("item", "task__department").get(pk=int(pk))
    except (ReminderNotice.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound()
    visible = items_for(user).filter(pk=notice.item_id).exists()
    if not visible and notice.task_id:
        visible = tasks_for(user).filter(pk=notice.task_id).exists()
    if not visible and not notice.task_id:
        visible = my_tasks(user).filter(item_id=notice.item_id).exists()
    if not visible:
        raise NotFound()
    return notice


# ---------------------------------------------------------------- statistics (督办看板, 督办通报)


@dataclass
class Stats:
    start: datetime.date
    end: datetime.date
    total: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    lights: dict[str, int] = field(default_factory=dict)
    by_source: list[dict] = field(default_factory=list)
    by_department: list[dict] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    overdue_items: list[SupervisionItem] = field(default_factory=list)

    @property
    def close_rate(self) -> float:
        """办结率 = 已销号 / 已交办."""
        return round(100 * self.closed / self.total, 1) if self.total else 0.0

    @property
    def on_time_rate(self) -> float:
        """按时办结率 = 在（经批准的）办结时限内销号 / 已销号."""
        return round(100 * self.on_time / self.closed, 1) if self.closed else 0.0


def _rate(a: int, b: int) -> float:
    return round(100 * a / b, 1) if b else 0.0


def statistics(user, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None, overdue_limit: int = 20) -> Stats:
    """The figures of the dashboard and the bulletin for items assigned (立项) in the months from `start` to `end`
    (whole months: the period is matched on the denormalised `created_month`), as `user` may see them.

    One grouped pass over the denormalised item table (by source × 主办单位 × month) gives the totals, the
    breakdowns and the trend; one more gives the closing months, one the overdue list. Everything starts
    from restrict(), so nothing is counted that the user could not open."""
    from zhongshu.org.models import Department

    today = today or timezone.localdate()
    base = (
        SupervisionItem.objects.restrict(user)
        .filter(created_month__gte=start.year * 100 + start.month, created_month__lte=end.year * 100 + end.month)
        .exclude(status=SupervisionItem.Status.DRAFT)
        .order_by()
    )
    closed_q = Q(status=SupervisionItem.Status.CLOSED)
    overdue_q = Q(status__in=SupervisionItem.OPEN, deadline__lt=today)
    grouped = base.values_list("created_month", "source", "lead_department").annotate(
        total=Count("pk"), closed=Count("pk", filter=closed_q), on_time=Count("pk", filter=closed_q & Q(closed_on__lte=F("deadline"))),
        overdue=Count("pk", filter=overdue_q), red=Count("pk", filter=Q(light="red") & ~closed_q),
        yellow=Count("pk", filter=Q(light="yellow") & ~closed_q), green=Count("pk", filter=Q(light="green") & ~closed_q),
    )
    # Thousands of small groups over a long period: read them as plain tuples (the SQL is the ORM's, restrict() included).
    names = ("created_month", "source", "lead_department", "total", "closed", "on_time", "overdue", "red", "yellow", "green")
    try:
        sql, params = grouped.query.sql_with_params()
    except EmptyResultSet:  # restrict() gave nothing (e.g. 三员)
        rows: list[dict] = []
    else:
        with connections[grouped.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    keys = ("total", "closed", "on_time", "overdue")
    s = Stats(start=start.replace(day=1), end=end.replace(day=calendar.monthrange(end.year, end.month)[1]))
    by_source: dict[str, dict[str, int]] = {}
    by_dep: dict[int, dict[str, int]] = {}
    months: dict[int, dict[str, int]] = {}
    s.lights = {"red": 0, "yellow": 0, "green": 0}
    for r in rows:
        for bucket in (by_source.setdefault(r["source"], dict.fromkeys(keys, 0)), by_dep.setdefault(r["lead_department"], dict.fromkeys(keys, 0))):
            for k in keys:
                bucket[k] += r[k]
        months.setdefault(r["created_month"], {"new": 0, "closed": 0})["new"] += r["total"]
        for k in s.lights:
            s.lights[k] += r[k]
    s.total, s.closed, s.on_time, s.overdue = (sum(b[k] for b in by_source.values()) for k in keys)
    labels = dict(Source.choices)
    for key in sorted(by_source):
        b = by_source[key]
        s.by_source.append({"key": key, "label": str(labels.get(key, key)), "total": b["total"], "closed": b["closed"],
                            "overdue": b["overdue"], "close_rate": _rate(b["closed"], b["total"])})
    deps = {d.pk: d for d in Department.objects.filter(pk__in=list(by_dep)).select_related("organization")}
    for pk, b in by_dep.items():
        dep = deps.get(pk)
        s.by_department.append({"department": pk, "name": department_label(dep, user.organization_id) if dep else "", **b,
                                "close_rate": _rate(b["closed"], b["total"]), "on_time_rate": _rate(b["on_time"], b["closed"])})
    # Ranking: 办结率 first, then fewer overdue, then more items.
    s.by_department.sort(key=lambda d: (-d["close_rate"], d["overdue"], -d["total"], d["name"]))
    for r in base.filter(closed_q).values("closed_month").annotate(n=Count("pk")):
        months.setdefault(r["closed_month"], {"new": 0, "closed": 0})["closed"] += r["n"]
    s.trend = [{"month": f"{m // 100}-{m % 100:02d}", **months[m]} for m in sorted(months)]
    # The ids first (answered from the covering index), then the few rows to show.
    ids = list(base.filter(overdue_q).order_by("deadline", "pk").values_list("pk", flat=True)[:overdue_limit])
    rows_by_pk = SupervisionItem.objects.select_related("lead_department__organization", "responsible_leader").in_bulk(ids)
    s.overdue_items = [rows_by_pk[pk] for pk in ids]
    return s


def leader_items(user, limit: int = 8) -> list[SupervisionItem]:
    """The workbench: open items, red first, then yellow, then green, each by deadline — the responsible
    leader's own items for a leader, all visible ones for the office. One small indexed query per colour."""
    qs = items_for(user).filter(status__in=SupervisionItem.OPEN)
    if not user.role_set & {"clerk", "office_director"}:
        qs = qs.filter(responsible_leader_id=user.pk)
    out: list[SupervisionItem] = []
    for light in ("red", "yellow", "green"):
        if len(out) >= limit:
            break
        out += list(qs.filter(light=light).order_by("deadline", "pk")[: limit - len(out)])
    return out
