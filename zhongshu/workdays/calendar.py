"""Working days on the official calendar (工作日).

Precedence for a date: an organization's local day → a national day entered by an administrator → the
`chinesecalendar` package (2004–2026) → plain Mon–Fri, flagged provisional (国务院 has not published it,
or no one has entered it yet).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

# The package's own coverage; `chinese_calendar` raises NotImplementedError outside it.
PACKAGE_YEARS = range(2004, 2027)
MAX_SPAN_DAYS = 3660
FESTIVAL_NAMES = {
    "new_years_day": "元旦", "spring_festival": "春节", "tomb_sweeping_day": "清明节", "labour_day": "劳动节",
    "dragon_boat_festival": "端午节", "national_day": "国庆节", "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "抗战胜利纪念日",
}  # refuse absurd spans instead of looping for ever


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    is_workday: bool
    name: str
    provisional: bool


@dataclass(frozen=True)
class Deadline:
    """A computed date and whether it rests on Mon–Fri guesses (shown as 暂定 in the UI)."""

    date: datetime.date
    provisional: bool


def _db_days(organization_id: int | None) -> tuple[dict[datetime.date, tuple[str, str]], frozenset[int]]:
    return _cached_db_days(organization_id, _version())


def _version() -> int:
    # Other server processes pick up calendar edits within a minute; this process at once (invalidate()).
    return int(time.time() // 60)


def invalidate() -> None:
    """Called by the calendar services after any change."""
    _cached_db_days.cache_clear()


@lru_cache(maxsize=64)
def _cached_db_days(organization_id: int | None, version: int) -> tuple[dict[datetime.date, tuple[str, str]], frozenset[int]]:
    from .models import CalendarDay, CalendarYear

    days: dict[datetime.date, tuple[str, str]] = {}
    for d in CalendarDay.objects.filter(organization__isnull=True):
        days[d.date] = (d.kind, d.name)
    if organization_id is not None:
        for d in CalendarDay.objects.filter(organization_id=organization_id):
            days[d.date] = (d.kind, d.name)
    years = frozenset(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    return days, years


def day_info(day: datetime.date, *, organization_id: int | None = None) -> DayInfo:
    days, years = _db_days(organization_id)
    if day in days:
        kind, name = days[day]
        return DayInfo(day, kind == "workday", name, provisional=day.year not in years and day.year not in PACKAGE_YEARS)
    if day.year in years:
        return DayInfo(day, day.weekday() < 5, "", provisional=False)
    if day.year in PACKAGE_YEARS:
        workday = chinese_calendar.is_workday(day)
        _, festival = chinese_calendar.get_holiday_detail(day)
        name = ""
        if festival is not None:
            name = FESTIVAL_NAMES.get(getattr(festival, "name", ""), str(festival))
            if workday:
                name = f"{name}调休上班"
        return DayInfo(day, workday, name, provisional=False)
    return DayInfo(day, day.weekday() < 5, "", provisional=True)


def is_workday(day: datetime.date, *, organization_id: int | None = None) -> bool:
    return day_info(day, organization_id=organization_id).is_workday


def is_provisional(day: datetime.date, *, organization_id: int | None = None) -> bool:
    return day_info(day, organization_id=organization_id).provisional


def add_workdays(day: datetime.date, n: int, *, organization_id: int | None = None) -> datetime.date:
    """The n-th working day after `day` (n > 0), before it (n < 0), or `day` itself (n = 0).

    Example (spec): add_workdays(2025-09-26, 5) == 2025-10-10, across the National Day holiday.
    """
    return deadline(day, n, organization_id=organization_id).date


def deadline(day: datetime.date, n: int, *, organization_id: int | None = None) -> Deadline:
    if abs(n) > MAX_SPAN_DAYS:
        raise ValueError("工作日数过大")
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    provisional = False
    guard = 0
    while remaining:
        current += datetime.timedelta(days=step)
        info = day_info(current, organization_id=organization_id)
        provisional |= info.provisional
        if info.is_workday:
            remaining -= 1
        guard += 1
        if guard > MAX_SPAN_DAYS * 2:
            raise ValueError("日历数据异常：找不到足够的工作日")
    return Deadline(current, provisional)


def workdays_between(a: datetime.date, b: datetime.date, *, organization_id: int | None = None) -> int:
    """Working days after `a` up to and including `b` (negative when b < a); 0 when equal.

    So add_workdays(a, workdays_between(a, b)) == b whenever b is a working day.
    """
    if (b - a).days > MAX_SPAN_DAYS or (a - b).days > MAX_SPAN_DAYS:
        raise ValueError("日期跨度过大")
    if b == a:
        return 0
    sign = 1 if b > a else -1
    lo, hi = (a, b) if b > a else (b, a)
    count = 0
    current = lo
    while current < hi:
        current += datetime.timedelta(days=1)
        # counting (lo, hi]; for the negative direction count (b, a] symmetric
        if day_info(current, organization_id=organization_id).is_workday:
            count += 1
    return sign * count
