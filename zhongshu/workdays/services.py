"""Calendar administration: enter next year's official schedule and local holidays."""

from __future__ import annotations

import datetime

from django.db import transaction

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import PermissionDenied, ServiceError

from .calendar import PACKAGE_YEARS, invalidate
from .models import CalendarDay, CalendarYear


def calendar_day_set(
    *, actor, date: datetime.date, kind: str, name: str, organization=None
) -> CalendarDay:
    """登记一天放假或调休上班 (national when organization is None)."""
    if not has_perm(actor, "workdays.manage"):
        raise PermissionDenied()
    if kind not in CalendarDay.Kind.values:
        raise ServiceError("类型无效。", fields={"kind": "请选择“放假”或“调休上班”。"})
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写名称。", fields={"name": "请填写名称，如“春节”。"})
    if kind == CalendarDay.Kind.WORKDAY and date.weekday() < 5:
        raise ServiceError("调休上班日应为周末。", fields={"date": "调休上班日应为周六或周日。"})
    if kind == CalendarDay.Kind.HOLIDAY and date.weekday() >= 5 and organization is None and date.year not in PACKAGE_YEARS:
        # Weekend holidays need no entry: Mon–Fri already treats them as rest days.
        raise ServiceError("周末本来就不上班，无需登记为放假。", fields={"date": "周末无需登记。"})
    with transaction.atomic():
        day, created = CalendarDay.objects.update_or_create(
            date=date, organization=organization, defaults={"kind": kind, "name": name}
        )
        record(actor=actor, action="workdays.day_set", target=day, after={"date": date, "kind": kind, "name": name, "organization": getattr(organization, "pk", None)})
        invalidate()
        transaction.on_commit(invalidate)
    return day


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    if not has_perm(actor, "workdays.manage"):
        raise PermissionDenied()
    with transaction.atomic():
        record(actor=actor, action="workdays.day_delete", target=day, before={"date": day.date, "kind": day.kind, "name": day.name})
        day.delete()
        invalidate()
        transaction.on_commit(invalidate)


def calendar_year_publish(*, actor, year: int, source: str) -> CalendarYear:
    """标记某年放假安排已录入完毕: its dates stop being provisional."""
    if not has_perm(actor, "workdays.manage"):
        raise PermissionDenied()
    if year < 2000 or year > 2100:
        raise ServiceError("年份无效。", fields={"year": "年份应在 2000～2100 之间。"})
    source = (source or "").strip()
    if not source:
        raise ServiceError("请填写依据文件。", fields={"source": "请填写国务院办公厅通知的文号或标题。"})
    with transaction.atomic():
        obj, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source, "published": True})
        record(actor=actor, action="workdays.year_publish", target=obj, after={"year": year, "source": source})
        invalidate()
        transaction.on_commit(invalidate)
    return obj
