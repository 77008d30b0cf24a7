"""Automatic reminders (到期提醒) and escalation (超期督办), run once a day by `zhongshu.flow.jobs.scan`.

Working-day aware: nothing is sent on a rest day; "one working day before" is the working day preceding the
due date on the organization's calendar, so a deadline after National Day is announced before the holiday.
Idempotent: `ReminderLog` (unique per item and kind) means re-running the same day sends nothing twice.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongshu.notify.models import Notification
from zhongshu.org.models import User
from zhongshu.org.roles import Role
from zhongshu.workdays.calendar import deadline, is_workday

from ..models import FlowAction, ReminderLog, WorkItem
from .engine import log, tell


def office_directors(organization_id: int) -> list[User]:
    """办公室主任: the highest-ranked holders of the office-director role in the organization."""
    people = list(User.objects.filter(organization_id=organization_id, is_active=True, role_assignments__role=Role.OFFICE_DIRECTOR)
                  .select_related("position").order_by("position__rank", "id"))
    if not people:
        return []
    best = people[0].position.rank if people[0].position else None
    return [p for p in people if (p.position.rank if p.position else None) == best]


def _once(item: WorkItem, kind: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(work_item=item, kind=kind, sent_on=today)
    except IntegrityError:
        return False
    return True


def reminders_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"before": 0, "due": 0, "overdue": 0}

    @lru_cache(maxsize=256)
    def workday(org_id: int) -> bool:
        return is_workday(today, organization_id=org_id)

    @lru_cache(maxsize=4096)
    def day_before(due: datetime.date, org_id: int) -> datetime.date:
        return deadline(due, -1, organization_id=org_id).date

    horizon = today + datetime.timedelta(days=30)  # a working day before any due date lies well within this
    items = (
        WorkItem.objects.select_related("instance", "assignee")
        .filter(kind=WorkItem.Kind.TODO, status=WorkItem.Status.PENDING, due_date__isnull=False, due_date__lte=horizon)
        .order_by("due_date", "id")
    )
    for item in items.iterator(chunk_size=500):
        org = item.organization_id
        assert item.due_date is not None  # filtered on due_date__isnull=False above
        if not workday(org):
            continue
        if today > item.due_date:
            kind = ReminderLog.Kind.OVERDUE
        elif today == item.due_date:
            kind = ReminderLog.Kind.DUE
        elif today >= day_before(item.due_date, org):
            kind = ReminderLog.Kind.BEFORE
        else:
            continue
        if _once(item, kind, today):
            with transaction.atomic():
                _send(item, kind)
            counts[kind] += 1
    return counts


def _send(item: WorkItem, kind: str) -> None:
    instance = item.instance
    due = f"{item.due_date:%Y-%m-%d}"
    url = item.get_absolute_url()
    if kind == ReminderLog.Kind.OVERDUE:
        directors = office_directors(item.organization_id)
        text = f"{item.assignee.display_name}的“{item.step_name}”已超过办理时限（{due}）。"
        log(instance, FlowAction.Action.ESCALATE, item=item, targets=directors, opinion=text)
        tell(instance, directors, f"超期督办：{instance.title}", body=text, url=url, level=Notification.Level.WARNING)
        tell(instance, [item.assignee], f"已超期：{instance.title}（{item.step_name}）", url=url, level=Notification.Level.URGENT)
    elif kind == ReminderLog.Kind.DUE:
        log(instance, FlowAction.Action.REMIND, item=item, targets=[item.assignee], opinion=f"今日（{due}）到期。")
        tell(instance, [item.assignee], f"今日到期：{instance.title}（{item.step_name}）", url=url, level=Notification.Level.REMINDER)
    else:
        log(instance, FlowAction.Action.REMIND, item=item, targets=[item.assignee], opinion=f"将于 {due} 到期。")
        tell(instance, [item.assignee], f"即将到期：{instance.title}（{item.step_name}）", body=f"办理时限：{due}（下一个工作日）",
             url=url, level=Notification.Level.REMINDER)
