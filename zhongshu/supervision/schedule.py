"""Cycle periods, report due dates and the red/yellow/green light — working-day aware, no writes here."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from zhongshu.workdays.calendar import add_workdays, is_workday, workdays_between

from .models import Cycle, Light, ProgressReport, SupervisionItem

OPEN_WORKDAYS_BEFORE = 2  # the report form opens this many working days before the period's due date
BEFORE_WORKDAYS = 3  # “before” reminders and the yellow light start this many working days before a deadline
LIVE_SLOTS = (ProgressReport.Status.OPEN, ProgressReport.Status.RETURNED)


def period_of(cycle: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The reporting period containing `day`: Monday–Sunday, 1–15 / 16–end, or the calendar month."""
    if cycle == Cycle.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    if cycle == Cycle.HALF_MONTH:
        if day.day <= 15:
            return day.replace(day=1), day.replace(day=15)
        return day.replace(day=16), day.replace(day=last)
    if cycle == Cycle.MONTHLY:
        return day.replace(day=1), day.replace(day=last)
    raise ValueError("不定期事项没有报送周期")


def report_due(start: datetime.date, end: datetime.date, *, organization_id: int | None = None) -> datetime.date:
    """The last working day of the period (a make-up Saturday counts); after a period that is all holiday,
    the first working day after it."""
    day = end
    while day >= start:
        if is_workday(day, organization_id=organization_id):
            return day
        day -= datetime.timedelta(days=1)
    return add_workdays(end, 1, organization_id=organization_id)


def opens_on(due: datetime.date, *, organization_id: int | None = None) -> datetime.date:
    return add_workdays(due, -OPEN_WORKDAYS_BEFORE, organization_id=organization_id)


def before_day(deadline: datetime.date, *, organization_id: int | None = None) -> datetime.date:
    return add_workdays(deadline, -BEFORE_WORKDAYS, organization_id=organization_id)


def light_for(
    item: SupervisionItem,
    today: datetime.date,
    slots: Iterable[ProgressReport] = (),
    milestones_late: bool = False,
) -> str:
    """Red: past the deadline, or a report slot past its due date. Yellow: the deadline within
    BEFORE_WORKDAYS working days, a slot due today or returned, or a 分阶段目标 missed. Green otherwise."""
    if item.status in (SupervisionItem.Status.CLOSED, SupervisionItem.Status.DRAFT):
        return Light.GREEN
    open_work = item.status == SupervisionItem.Status.IN_PROGRESS
    if open_work and today > item.deadline:
        return Light.RED
    live = [s for s in slots if s.status in LIVE_SLOTS]
    dues = [s.due_date for s in live if s.due_date is not None]
    if open_work and any(d < today for d in dues):
        return Light.RED
    if not open_work:
        return Light.GREEN
    near = workdays_between(today, item.deadline, organization_id=item.organization_id) <= BEFORE_WORKDAYS
    returned = any(s.status == ProgressReport.Status.RETURNED for s in live)
    if near or milestones_late or returned or today in dues:
        return Light.YELLOW
    return Light.GREEN
