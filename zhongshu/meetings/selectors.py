"""办会 reads: meetings through Meeting.objects.restrict(); rooms and bookings through theirs (times and rooms only —
a meeting's booking is labelled through the meeting's policy)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhongshu.access.policy import label_for
from zhongshu.core.errors import NotFound

from .models import Attendee, Booking, Meeting, Room


def meetings_for(user, action: str = "view") -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, action).select_related("room", "category", "organizer", "department")


def meeting_get(user, pk, action: str = "view") -> Meeting:
    try:
        return meetings_for(user, action).get(pk=int(pk))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def rooms_for(user) -> QuerySet[Room]:
    return Room.objects.restrict(user).filter(is_active=True)


def room_get(user, pk) -> Room:
    try:
        return Room.objects.restrict(user).get(pk=int(pk))
    except (Room.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def booking_get(user, pk) -> Booking:
    try:
        return Booking.objects.restrict(user).select_related("room").get(pk=int(pk))
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise NotFound()


@dataclass
class Slot:
    booking: Booking
    label: str
    start: datetime.datetime
    end: datetime.datetime


def bookings_between(user, start: datetime.datetime, end: datetime.datetime, rooms: Any = None) -> list[Slot]:
    """Active bookings overlapping [start, end) of the user's rooms, each labelled as the user may see it."""
    qs = (Booking.objects.restrict(user).filter(status=Booking.Status.ACTIVE, start__lt=end, end__gt=start)
          .select_related("meeting", "department", "room").order_by("room_id", "start"))
    if rooms is not None:
        qs = qs.filter(room__in=rooms)
    readable = set(Meeting.objects.restrict(user).filter(pk__in=[b.meeting_id for b in qs if b.meeting_id]).values_list("pk", flat=True))
    out = []
    for b in qs:
        if b.meeting_id:
            label = b.meeting.title if b.meeting_id in readable else label_for(user, b.meeting)
        else:
            label = b.title
        who = b.department.name if b.department_id else ""
        out.append(Slot(b, f"{label}（{who}）" if who else label, b.start, b.end))
    return out


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _bounds(first: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tz)
    return start, start + datetime.timedelta(days=days)


def room_grid(user, rooms: list[Room], first: datetime.date, days: int) -> list[dict]:
    """Day or week view: per room, per day, the bookings (labelled)."""
    start, end = _bounds(first, days)
    by_room: dict[int, list[Slot]] = defaultdict(list)
    for slot in bookings_between(user, start, end, rooms=rooms):
        by_room[slot.booking.room_id].append(slot)
    dates = [first + datetime.timedelta(days=i) for i in range(days)]
    rows = []
    for room in rooms:
        cells = []
        for d in dates:
            cells.append([s for s in by_room[room.pk] if timezone.localtime(s.start).date() <= d <= timezone.localtime(s.end - datetime.timedelta(seconds=1)).date()])
        rows.append({"room": room, "cells": cells})
    return rows


def availability(user, first: datetime.date, days: int = 7, *, hours: tuple[int, int] = (8, 18)) -> dict[int, list[tuple[datetime.datetime, datetime.datetime]]]:
    """Free periods per room within working hours for `days` days: one query over the (room, start) index, then one
    linear pass per room over its sorted bookings (in epoch seconds: no time-zone arithmetic in the loop)."""
    start, end = _bounds(first, days)
    rooms = list(Room.objects.restrict(user).filter(is_active=True).values_list("pk", flat=True))
    busy: dict[int, list[tuple[float, float]]] = defaultdict(list)
    # the (room, start) index bounds the scan: a booking overlapping the period starts less than 7 days before it
    rows = (Booking.objects.filter(room_id__in=rooms, status=Booking.Status.ACTIVE, start__lt=end,
                                   start__gte=start - datetime.timedelta(days=7), end__gt=start)
            .values_list("room_id", "start", "end").order_by("room_id", "start"))
    for room_id, s, e in rows:
        busy[room_id].append((s.timestamp(), e.timestamp()))
    tz = timezone.get_current_timezone()
    bounds = [(datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(hours[0]), tz).timestamp(),
               datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(hours[1]), tz).timestamp())
              for i in range(days)]
    stamps: dict[float, datetime.datetime] = {}

    def at(ts: float) -> datetime.datetime:
        value = stamps.get(ts)
        if value is None:
            value = stamps[ts] = datetime.datetime.fromtimestamp(ts, datetime.UTC)  # UTC: no zone lookup per call
        return value

    free: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    for room_id in rooms:
        held = busy.get(room_id, [])
        periods = []
        i = 0
        for day_start, day_end in bounds:
            while i < len(held) and held[i][1] <= day_start:
                i += 1
            cursor = day_start
            j = i
            while j < len(held) and held[j][0] < day_end:
                s, e = held[j]
                if s > cursor:
                    periods.append((at(cursor), at(s)))
                if e > cursor:
                    cursor = e
                j += 1
            if cursor < day_end:
                periods.append((at(cursor), at(day_end)))
        free[room_id] = periods
    return free


def usage_stats(user, year: int) -> dict[str, Any]:
    """Hours booked by department and by month (active bookings of the user's organization)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    by_dept: dict[str, float] = defaultdict(float)
    by_month: dict[int, float] = defaultdict(float)
    rows = (Booking.objects.restrict(user).filter(status=Booking.Status.ACTIVE, start__gte=start, start__lt=end)
            .values_list("start", "end", "department__name"))
    for s, e, dept in rows:
        hours = (e - s).total_seconds() / 3600
        by_dept[dept or "未注明部门"] += hours
        by_month[timezone.localtime(s).month] += hours
    return {
        "departments": sorted(((k, round(v, 1)) for k, v in by_dept.items()), key=lambda kv: -kv[1]),
        "months": [(m, round(by_month.get(m, 0.0), 1)) for m in range(1, 13)],
        "total": round(sum(by_dept.values()), 1),
    }


# ---------------------------------------------------------------- replies, sign-in, seating hook


def tally(meeting: Meeting) -> dict[str, int]:
    counts = {k: 0 for k in Attendee.Reply.values}
    for r in meeting.attendees.values_list("reply", flat=True):
        counts[r] += 1
    counts["total"] = sum(counts[k] for k in Attendee.Reply.values)
    counts["leave_pending"] = meeting.attendees.filter(reply="leave", leave_status="pending").count()
    counts["signed_in"] = meeting.attendees.filter(signed_in_at__isnull=False).count()
    return counts


def expected(meeting: Meeting) -> list[Attendee]:
    """Those expected in the room: not on approved leave."""
    return [a for a in meeting.attendees.select_related("user", "substitute") if a.present_user_id is not None]


def late_and_absent(meeting: Meeting, now: datetime.datetime | None = None) -> tuple[list[Attendee], list[Attendee]]:
    now = now or timezone.now()
    rows = expected(meeting)
    late = [a for a in rows if a.signed_in_at is not None and a.signed_in_at > meeting.start]
    absent = [a for a in rows if a.signed_in_at is None and now > meeting.start]
    return late, absent


def meeting_attendees_ranked(meeting: Meeting) -> list[Any]:
    """The people attending after the 回执, in protocol rank order (position rank, then the invitation order);
    a substitute (代参) takes the seat of whom he replaces, a person on leave is left out. The seating library
    (座次) takes this list."""
    from zhongshu.org.models import User

    rows = list(meeting.attendees.select_related("user__position", "substitute"))
    present = [(a, a.present_user_id) for a in rows if a.present_user_id is not None]
    people = {u.pk: u for u in User.objects.filter(pk__in=[pid for _, pid in present])}

    def rank(a: Attendee) -> tuple[int, int, int]:
        position = a.user.position
        return (position.rank if position is not None else 10_000, a.order, a.pk)

    return [people[pid] for a, pid in sorted(present, key=lambda ap: rank(ap[0]))]


def my_meetings(user, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Meeting]:
    """The person's meetings between two times: those he organizes or is expected at (not those he asked leave for)."""
    mine = Attendee.objects.filter(Q(user_id=user.pk) & ~Q(reply__in=["leave", "substitute"]) | Q(substitute_id=user.pk, reply="substitute"))
    return (meetings_for(user).filter(start__lt=end, end__gt=start)
            .exclude(status=Meeting.Status.CANCELLED)
            .filter(Q(organizer_id=user.pk, status__in=[Meeting.Status.APPROVED, Meeting.Status.NOTIFIED, Meeting.Status.CLOSED])
                    | Q(pk__in=mine.values("meeting_id"), status__in=[Meeting.Status.NOTIFIED, Meeting.Status.CLOSED]))
            .order_by("start"))
