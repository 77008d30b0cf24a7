"""办会 writes: rooms, bookings (conflict-free), the meeting plan and its caps, notice, 回执, sign-in, numbered
copies and 清退, record and 纪要, 议定事项 → 督办, closing. Every write: validation, transaction, lock, policy, audit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import SYSTEM, label_for
from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.core.sequences import next_serial
from zhongshu.notify.services import notify
from zhongshu.org.models import Department, User
from zhongshu.workdays.calendar import deadline as workday_deadline

from .models import (
    AgendaItem,
    Attendee,
    Booking,
    BookingSeries,
    Category,
    CopySequence,
    Decision,
    Material,
    MaterialCopy,
    Meeting,
    Room,
)

MAX_BOOKING_HOURS = 24 * 7
MAX_SERIES_WEEKS = 53
CHECKIN_SALT = "zhongshu.meetings.checkin"
CHECKIN_EARLY = datetime.timedelta(hours=2)  # the QR code works from two hours before the start …
CHECKIN_LATE = datetime.timedelta(hours=1)  # … until an hour after the end


def _bad(field: str, message: str) -> ServiceError:
    return ServiceError(message, fields={field: message})


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ServiceError(next(iter(errors.values())), fields=dict(errors))


def _policy():
    from .policy import MeetingPolicy

    return MeetingPolicy


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- rooms


ROOM_FIELDS = ("name", "building", "floor", "capacity", "equipment", "is_classified", "is_active", "order")


def room_save(*, actor: User, room: Room | None = None, **values: Any) -> Room:
    """新增/修改会议室 (the office)."""
    if not has_perm(actor, "meetings.manage") or actor.organization_id is None:
        raise PermissionDenied("只有办公室可以管理会议室。")
    errors: dict[str, str] = {}
    for key in values:
        if key not in ROOM_FIELDS:
            errors[key] = "不能修改此字段。"
    name = (values.get("name", room.name if room else "") or "").strip()
    building = (values.get("building", room.building if room else "") or "").strip()
    if not name or len(name) > 60:
        errors["name"] = "请填写会议室名称（不超过 60 字）。"
    if not building or len(building) > 60:
        errors["building"] = "请填写所在楼宇（不超过 60 字）。"
    try:
        capacity = int(values.get("capacity", room.capacity if room else 0))
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 5000:
        errors["capacity"] = "容纳人数应在 1 到 5000 之间。"
    _raise(errors)
    with transaction.atomic():
        if room is None:
            room = Room(organization_id=actor.organization_id)
        elif room.organization_id != actor.organization_id:
            raise NotFound()
        else:
            room = Room.objects.select_for_update().get(pk=room.pk)
        for key, value in values.items():
            setattr(room, key, value.strip() if isinstance(value, str) else value)
        room.name, room.building, room.capacity = name, building, capacity
        try:
            with transaction.atomic():
                room.save()
        except IntegrityError:
            raise _bad("name", "同一楼宇已有同名会议室。")
        record(actor=actor, action="meetings.room_save", target=room, after={k: getattr(room, k) for k in ROOM_FIELDS})
    return room


# ---------------------------------------------------------------- bookings


def _holder_message(actor: User, holder: Booking) -> str:
    """Who holds the slot, as the loser may see it (a classified meeting's title only for those cleared for it)."""
    what = label_for(actor, holder.meeting) if holder.meeting_id else (holder.title or "其他用途")
    who = holder.department.name if holder.department is not None else holder.booked_by.display_name
    return (f"{holder.room}在 {_local(holder.start)}—{timezone.localtime(holder.end):%H:%M} 已被占用："
            f"“{what}”（{who}预订）。")


def overlapping(room: Room, start: datetime.datetime, end: datetime.datetime, *, exclude: Iterable[int] = ()) -> Booking | None:
    return (Booking.objects.filter(room=room, status=Booking.Status.ACTIVE, start__lt=end, end__gt=start)
            .exclude(pk__in=list(exclude)).select_related("meeting", "department", "booked_by", "room").order_by("start").first())


def _check_slot(actor: User, room: Room, start: Any, end: Any, *, classification: int = 0) -> None:
    errors: dict[str, str] = {}
    if not isinstance(start, datetime.datetime) or not isinstance(end, datetime.datetime):
        raise _bad("start", "请填写开始和结束时间。")
    if end <= start:
        errors["end"] = "结束时间应晚于开始时间。"
    elif end - start > datetime.timedelta(hours=MAX_BOOKING_HOURS):
        errors["end"] = "一次预订不能超过 7 天。"
    if start < timezone.now() - datetime.timedelta(minutes=5):
        errors["start"] = "不能预订已经过去的时间。"
    if room.organization_id != actor.organization_id or not room.is_active:
        errors["room"] = "请选择本机关启用中的会议室。"
    if room.is_classified and actor.max_classification < Classification.SECRET:
        errors["room"] = f"{room}为涉密会议室，只有涉密人员可以预订。"
    if classification >= Classification.SECRET and not room.is_classified:
        errors["room"] = "涉密会议只能安排在涉密会议室。"
    _raise(errors)


def _insert_booking(actor: User, booking: Booking) -> Booking:
    """The application check (SQLite's IMMEDIATE transaction serialises writers), then the insert; on PostgreSQL the
    exclusion constraint decides a race, and the loser is told who holds the slot."""
    holder = overlapping(booking.room, booking.start, booking.end, exclude=[booking.pk] if booking.pk else [])
    if holder is not None:
        raise Conflict(_holder_message(actor, holder), fields={"start": "时间冲突。"})
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        holder = overlapping(booking.room, booking.start, booking.end, exclude=[booking.pk] if booking.pk else [])
        if holder is None:
            raise
        raise Conflict(_holder_message(actor, holder), fields={"start": "时间冲突。"})
    return booking


def booking_create(
    *, actor: User, room: Room, start: datetime.datetime, end: datetime.datetime, title: str = "",
    meeting: Meeting | None = None, department: Department | None = None,
) -> Booking:
    """按小时预订会议室."""
    if not has_perm(actor, "meetings.book"):
        raise PermissionDenied("您没有预订会议室的权限。")
    title = (title or "").strip()
    if meeting is None and not title:
        raise _bad("title", "请填写用途。")
    if len(title) > 120:
        raise _bad("title", "用途不能超过 120 字。")
    _check_slot(actor, room, start, end, classification=meeting.classification if meeting else 0)
    department = department or actor.primary_department
    with transaction.atomic():
        booking = _insert_booking(actor, Booking(
            organization_id=room.organization_id, room=room, start=start, end=end, title="" if meeting else title,
            meeting=meeting, department=department, booked_by=actor,
        ))
        record(actor=actor, action="meetings.book", target=booking, after={
            "room": room.pk, "start": start, "end": end, "meeting": meeting.pk if meeting else None})
    return booking


def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    """取消预订 (one occurrence of a series is an exception: the others stay)."""
    from .policy import BookingPolicy

    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.ACTIVE:
            raise Conflict("该预订已取消。")
        BookingPolicy.require(actor, booking, "cancel", "只有预订人或办公室可以取消预订；会议的预订随会议取消。")
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
        record(actor=actor, action="meetings.booking_cancel", target=booking)
    return booking


def booking_move(*, actor: User, booking: Booking, start: datetime.datetime, end: datetime.datetime) -> Booking:
    """改期 one booking (for a series: this occurrence only)."""
    from .policy import BookingPolicy

    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)
        BookingPolicy.require(actor, booking, "move", "只有预订人或办公室可以调整预订。")
        _check_slot(actor, booking.room, start, end)
        before = {"start": booking.start, "end": booking.end}
        booking.start, booking.end = start, end
        _insert_booking(actor, booking)
        record(actor=actor, action="meetings.booking_move", target=booking, before=before, after={"start": start, "end": end})
    return booking


def series_create(
    *, actor: User, room: Room, title: str, weekday: int, start_time: datetime.time, end_time: datetime.time,
    first_day: datetime.date, last_day: datetime.date,
) -> BookingSeries:
    """每周固定预订: all occurrences or none — a conflict names the date and who holds it."""
    if not has_perm(actor, "meetings.book"):
        raise PermissionDenied("您没有预订会议室的权限。")
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title or len(title) > 120:
        errors["title"] = "请填写用途（不超过 120 字）。"
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        errors["weekday"] = "星期无效。"
    if last_day < first_day:
        errors["last_day"] = "截止日期不能早于起始日期。"
    elif (last_day - first_day).days > MAX_SERIES_WEEKS * 7:
        errors["last_day"] = "固定预订最长一年，到期后可续订。"
    if end_time <= start_time:
        errors["end_time"] = "结束时间应晚于开始时间。"
    _raise(errors)
    tz = timezone.get_current_timezone()
    day = first_day + datetime.timedelta(days=(weekday - first_day.weekday()) % 7)
    slots = []
    while day <= last_day:
        slots.append((datetime.datetime.combine(day, start_time, tz), datetime.datetime.combine(day, end_time, tz)))
        day += datetime.timedelta(days=7)
    if not slots:
        raise _bad("first_day", "所选期间内没有该星期的日期。")
    with transaction.atomic():
        series = BookingSeries.objects.create(
            organization_id=room.organization_id, room=room, title=title, weekday=weekday, start_time=start_time,
            end_time=end_time, first_day=first_day, last_day=last_day, department=actor.primary_department, booked_by=actor,
        )
        for start, end in slots:
            _check_slot(actor, room, start, end)
            _insert_booking(actor, Booking(organization_id=room.organization_id, room=room, start=start, end=end, title=title,
                                           series=series, department=series.department, booked_by=actor))
        record(actor=actor, action="meetings.series_create", target=series, after={
            "room": room.pk, "weekday": weekday, "first_day": first_day, "last_day": last_day, "count": len(slots)})
    return series


# ---------------------------------------------------------------- categories and caps


DEFAULT_CATEGORIES = [  # affairs.md §Meetings (sec); UNCONFIRMED locally — each organization may override them
    ("class2", "二类会议", 2, 300, 760, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 20),
    ("class3", "三类会议", 2, 150, 650, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 30),
    ("class4", "四类会议", 2, 50, 550, "（待确认）中央标准；地方标准不同时请在本机关覆盖", 40),
    ("internal", "机关内部工作会议", 1, None, None, "（待确认）在本机关会议室召开、不列会议费的工作会议", 50),
]


def ensure_default_categories() -> None:
    """The platform defaults (also written by migration 0002; the demo calls this after a test flush)."""
    for code, name, days, people, cap, note, order in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(organization=None, code=code, defaults={
            "name": name, "max_days": days, "max_attendees": people, "daily_cost_cap": cap, "note": note, "order": order})


def categories_for(organization_id: int | None) -> list[Category]:
    """The organization's table: its own rows, and the platform defaults for codes it has not set."""
    rows = list(Category.objects.filter(Q(organization_id=organization_id) | Q(organization__isnull=True)))
    own = {c.code for c in rows if c.organization_id is not None}
    return sorted([c for c in rows if c.organization_id is not None or c.code not in own], key=lambda c: (c.order, c.code))


def category_save(*, actor: User, code: str, name: str, max_days: int | None, max_attendees: int | None,
                  daily_cost_cap: Decimal | None, note: str = "", order: int = 100) -> Category:
    """本机关的会议分类和定额 (overrides the platform default of the same code)."""
    if not has_perm(actor, "meetings.manage") or actor.organization_id is None:
        raise PermissionDenied("只有办公室可以设置会议分类。")
    code, name = (code or "").strip(), (name or "").strip()
    errors: dict[str, str] = {}
    if not code or len(code) > 20:
        errors["code"] = "请填写代码（不超过 20 字）。"
    if not name or len(name) > 40:
        errors["name"] = "请填写名称（不超过 40 字）。"
    for field, value in (("max_days", max_days), ("max_attendees", max_attendees), ("daily_cost_cap", daily_cost_cap)):
        if value is not None and value <= 0:
            errors[field] = "定额应大于零（不限请留空）。"
    _raise(errors)
    with transaction.atomic():
        cat, _ = Category.objects.select_for_update().get_or_create(organization_id=actor.organization_id, code=code,
                                                                    defaults={"name": name})
        before = {"max_days": cat.max_days, "max_attendees": cat.max_attendees, "daily_cost_cap": cat.daily_cost_cap}
        cat.name, cat.max_days, cat.max_attendees, cat.daily_cost_cap = name, max_days, max_attendees, daily_cost_cap
        cat.note, cat.order = (note or "").strip()[:200], order
        cat.save()
        record(actor=actor, action="meetings.category_save", target=cat, before=before,
               after={"max_days": max_days, "max_attendees": max_attendees, "daily_cost_cap": daily_cost_cap})
    return cat


def meeting_days(start: datetime.datetime, end: datetime.datetime) -> int:
    return (timezone.localtime(end).date() - timezone.localtime(start).date()).days + 1


def cap_violations(*, category: Category, start: datetime.datetime, end: datetime.datetime, attendees: int,
                   budget: Decimal) -> list[str]:
    """Each 厉行节约 cap the plan breaks, named (empty: within the caps)."""
    out = []
    days = meeting_days(start, end)
    if category.max_days and days > category.max_days:
        out.append(f"会期 {days} 天，超过{category.name}上限 {category.max_days} 天")
    if category.max_attendees and attendees > category.max_attendees:
        out.append(f"参会 {attendees} 人，超过{category.name}上限 {category.max_attendees} 人")
    if category.daily_cost_cap and attendees and budget:
        per_day = (Decimal(budget) / attendees / days).quantize(Decimal("0.01"))
        if per_day > category.daily_cost_cap:
            out.append(f"人均每天 {per_day} 元，超过{category.name}综合定额 {category.daily_cost_cap} 元")
    return out


def plan_violations(meeting: Meeting) -> list[str]:
    return cap_violations(category=meeting.category, start=meeting.start, end=meeting.end,
                          attendees=max(meeting.planned_attendees, meeting.attendees.count()), budget=meeting.budget)


# ---------------------------------------------------------------- the meeting plan


def _validate_invitees(actor: User, meeting: Meeting, users: list[User], field: str = "invitees") -> None:
    if any(u.organization_id != actor.organization_id or not u.is_active or u.admin_role for u in users):
        raise _bad(field, "只能邀请本机关在职的业务人员。")
    _policy().require_receivers(users, meeting, field=field)


def meeting_create(
    *, actor: User, title: str, category: Category, start: datetime.datetime, end: datetime.datetime,
    classification: int = Classification.INTERNAL, room: Room | None = None, venue: str = "", scope: str = "",
    planned_attendees: int = 0, budget: Decimal | int | str = 0, purpose: str = "", contact: str = "",
    reply_workdays: int = 2, invitees: Iterable[User] = (),
) -> Meeting:
    """拟定会议方案 (a draft; the room is held at once). Cap violations are shown and block the submission."""
    if not has_perm(actor, "meetings.add") or actor.organization_id is None:
        raise PermissionDenied("只有办公室可以拟定会议方案。")
    errors: dict[str, str] = {}
    title, venue = (title or "").strip(), (venue or "").strip()
    if not title or len(title) > 120:
        errors["title"] = "请填写会议名称（不超过 120 字）。"
    if not isinstance(category, Category) or category.organization_id not in (None, actor.organization_id):
        errors["category"] = "请选择会议类别。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"], level = "密级无效。", Classification.INTERNAL
    if level > actor.max_classification:
        errors["classification"] = f"您的涉密等级只能处理{actor.max_classification.label}及以下的事项。"
    if not isinstance(start, datetime.datetime) or not isinstance(end, datetime.datetime):
        errors["start"] = "请填写会议开始和结束时间。"
    elif end <= start:
        errors["end"] = "结束时间应晚于开始时间。"
    if room is None and not venue:
        errors["room"] = "请选择会议室或填写会外地点。"
    if room is not None and venue:
        errors["venue"] = "已选会议室时不填会外地点。"
    if room is not None and level >= Classification.SECRET and not room.is_classified:
        errors["room"] = "涉密会议只能安排在涉密会议室。"
    if level >= Classification.SECRET and room is None:
        errors["room"] = "涉密会议只能安排在本机关的涉密会议室。"
    try:
        budget = Decimal(str(budget or 0))
        if budget < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["budget"], budget = "经费预算应为不小于零的金额。", Decimal(0)
    if not 0 <= int(planned_attendees or 0) <= 100000:
        errors["planned_attendees"] = "计划参会人数无效。"
    if not 1 <= int(reply_workdays or 0) <= 30:
        errors["reply_workdays"] = "回执期限应在 1 到 30 个工作日之间。"
    _raise(errors)
    people = list(dict.fromkeys(invitees))
    with transaction.atomic():
        meeting = Meeting(
            organization_id=actor.organization_id, title=title, category=category, classification=level, start=start, end=end,
            room=room, venue=venue, scope=(scope or "").strip()[:300], planned_attendees=int(planned_attendees or 0), budget=budget,
            purpose=(purpose or "").strip(), contact=(contact or "").strip()[:100], reply_workdays=int(reply_workdays),
            organizer=actor, department=actor.primary_department,
        )
        _validate_invitees(actor, meeting, people)
        if room is not None and room.capacity < max(len(people), meeting.planned_attendees):
            raise _bad("room", f"{room}只能容纳 {room.capacity} 人。")
        meeting.save()
        Attendee.objects.bulk_create([Attendee(meeting=meeting, user=u, order=i) for i, u in enumerate(people)])
        if room is not None:
            booking_create(actor=actor, room=room, start=start, end=end, meeting=meeting)
        record(actor=actor, action="meetings.create", target=meeting, after={
            "title": title, "category": category.code, "start": start, "end": end, "room": room.pk if room else None,
            "attendees": [u.pk for u in people]})
    return meeting


def attendees_add(*, actor: User, meeting: Meeting, users: Iterable[User]) -> list[Attendee]:
    """增加参会人员 (before the meeting; after the notice, the new ones are told at once)."""
    people = list(dict.fromkeys(users))
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "invite", "只有承办人或办公室可以调整参会人员。")
        if not people:
            raise _bad("users", "请选择参会人员。")
        _validate_invitees(actor, meeting, people, field="users")
        have = set(meeting.attendees.values_list("user_id", flat=True))
        new = [u for u in people if u.pk not in have]
        start = meeting.attendees.count()
        rows = Attendee.objects.bulk_create([Attendee(meeting=meeting, user=u, order=start + i) for i, u in enumerate(new)])
        record(actor=actor, action="meetings.invite", target=meeting, after={"added": [u.pk for u in new]})
        if meeting.status == Meeting.Status.NOTIFIED and new:
            _send_notice(meeting, new)
    return rows


def agenda_add(*, actor: User, meeting: Meeting, title: str, presenter: str = "", minutes: int = 15) -> AgendaItem:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise _bad("title", "请填写议题（不超过 200 字）。")
    if not 1 <= int(minutes or 0) <= 600:
        raise _bad("minutes", "时长应在 1 到 600 分钟之间。")
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "agenda", "只有承办人或办公室可以编排议程。")
        order = meeting.agenda.count() + 1
        item = AgendaItem.objects.create(meeting=meeting, order=order, title=title, presenter=(presenter or "").strip()[:60],
                                         minutes=int(minutes))
        record(actor=actor, action="meetings.agenda", target=meeting, after={"agenda": order})
    return item


def material_add(*, actor: User, meeting: Meeting, title: str, upload: Any = None, agenda_item: AgendaItem | None = None,
                 classification: int = Classification.INTERNAL) -> Material:
    """会议材料 (a file of the meeting, tied to an agenda item); a classified one is handed out in numbered copies."""
    from zhongshu.core.attachments import attachment_add

    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title or len(title) > 200:
        errors["title"] = "请填写材料名称（不超过 200 字）。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"], level = "密级无效。", Classification.INTERNAL
    if level > meeting.classification:
        errors["classification"] = "材料的密级不能高于会议的密级。"
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = "议题不属于本次会议。"
    _raise(errors)
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "materials", "只有承办人或办公室可以管理会议材料。")
        attachment = attachment_add(actor=actor, obj=meeting, upload=upload) if upload is not None else None
        material = Material.objects.create(meeting=meeting, agenda_item=agenda_item, title=title, classification=level,
                                           attachment=attachment)
        record(actor=actor, action="meetings.material", target=meeting, after={"material": material.pk, "classification": int(level)})
    return material


# ---------------------------------------------------------------- approval (flow engine), notice, replies


def meeting_approved(*, meeting: Meeting, actor: Any = SYSTEM) -> Meeting:
    """方案批准 — the flow's completion callback (inside the engine's transaction)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status != Meeting.Status.DRAFT:
            raise Conflict("会议方案不在草稿状态。")
        meeting.status = Meeting.Status.APPROVED
        meeting.save(update_fields=["status"])
        record(actor=actor, action="meetings.approve", target=meeting)
        notify(recipients=[meeting.organizer], title=f"会议方案已批准：{meeting.title}", url=meeting.get_absolute_url(), subject=meeting)
    return meeting


def _send_notice(meeting: Meeting, attendees: Iterable[User]) -> None:
    body = (f"时间：{_local(meeting.start)}—{_local(meeting.end)}\n地点：{meeting.place}\n"
            f"请于 {meeting.reply_deadline:%Y年%m月%d日} 前回执。联系人：{meeting.contact or meeting.organizer.display_name}")
    notify(recipients=list(attendees), title=f"会议通知：{meeting.title}", body=body, url=meeting.get_absolute_url(), subject=meeting)


def meeting_notify(*, actor: User, meeting: Meeting) -> Meeting:
    """发出会议通知 (in-app, to the invitees on the platform); the 回执 deadline counts working days from today."""
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status != Meeting.Status.APPROVED:
            raise Conflict("只有已批准的会议方案可以发通知。")
        _policy().require(actor, meeting, "notify", "只有承办人或办公室可以发会议通知。")
        people = [a.user for a in meeting.attendees.select_related("user")]
        if not people:
            raise _bad("users", "请先确定参会人员。")
        _policy().require_receivers(people, meeting, field="users")
        due = workday_deadline(timezone.localdate(), meeting.reply_workdays, organization_id=meeting.organization_id)
        latest = timezone.localtime(meeting.start).date()
        meeting.reply_deadline = min(due.date, latest)
        meeting.reply_deadline_provisional = due.provisional
        meeting.status, meeting.notified_at = Meeting.Status.NOTIFIED, timezone.now()
        meeting.save(update_fields=["reply_deadline", "reply_deadline_provisional", "status", "notified_at"])
        record(actor=actor, action="meetings.notify", target=meeting, after={"count": len(people), "reply_deadline": meeting.reply_deadline})
        _send_notice(meeting, people)
    return meeting


def reply(*, actor: User, meeting: Meeting, answer: str, reason: str = "", substitute: User | None = None) -> Attendee:
    """回执: 参加 / 请假（事由，由承办人批准）/ 代参（指定代参人员）."""
    reason = (reason or "").strip()
    if answer not in (Attendee.Reply.ATTEND, Attendee.Reply.LEAVE, Attendee.Reply.SUBSTITUTE):
        raise _bad("answer", "请选择参加、请假或代参。")
    if answer == Attendee.Reply.LEAVE and not reason:
        raise _bad("reason", "请假请填写事由。")
    if len(reason) > 200:
        raise _bad("reason", "事由不能超过 200 字。")
    if answer == Attendee.Reply.SUBSTITUTE and substitute is None:
        raise _bad("substitute", "代参请指定代参人员。")
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status != Meeting.Status.NOTIFIED or timezone.now() >= meeting.start:
            raise Conflict("会议已开始或不在回执阶段。")
        _policy().require(actor, meeting, "reply", "您不在本次会议的参会名单中。")
        row = Attendee.objects.select_for_update().get(meeting=meeting, user=actor)
        if answer == Attendee.Reply.SUBSTITUTE:
            assert substitute is not None
            if substitute.pk == actor.pk or substitute.organization_id != meeting.organization_id or not substitute.is_active or substitute.admin_role:
                raise _bad("substitute", "代参人员应为本机关其他在职人员。")
            if Attendee.objects.filter(meeting=meeting).filter(Q(user=substitute) | Q(substitute=substitute)).exclude(pk=row.pk).exists():
                raise _bad("substitute", f"{substitute.display_name}已在参会名单中。")
            _policy().require_receivers([substitute], meeting, field="substitute")
        before = {"reply": row.reply}
        row.reply = answer
        row.reason = reason if answer == Attendee.Reply.LEAVE else ""
        row.leave_status = Attendee.Leave.PENDING if answer == Attendee.Reply.LEAVE else ""
        row.substitute = substitute if answer == Attendee.Reply.SUBSTITUTE else None
        row.replied_at = timezone.now()
        row.save()
        record(actor=actor, action="meetings.reply", target=meeting, before=before,
               after={"reply": answer, "substitute": substitute.pk if substitute and answer == "substitute" else None})
        if answer == Attendee.Reply.SUBSTITUTE and substitute is not None:
            notify(recipients=[substitute], title=f"代{actor.display_name}参加会议：{meeting.title}",
                   url=meeting.get_absolute_url(), subject=meeting)
    return row


def leave_decide(*, actor: User, attendee: Attendee, approve: bool) -> Attendee:
    """批准/不批准请假 (the organizer or the office)."""
    with transaction.atomic():
        meeting = _lock(attendee.meeting)
        _policy().require(actor, meeting, "decide_leave", "只有承办人或办公室可以审批请假。")
        row = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if row.reply != Attendee.Reply.LEAVE or row.leave_status != Attendee.Leave.PENDING:
            raise Conflict("该请假已处理。")
        row.leave_status = Attendee.Leave.APPROVED if approve else Attendee.Leave.REFUSED
        row.save(update_fields=["leave_status"])
        record(actor=actor, action="meetings.leave_decide", target=meeting, after={"attendee": row.user_id, "approve": approve})
        notify(recipients=[row.user], title=("请假已批准：" if approve else "请假未获批准，请按时参会：") + meeting.title,
               url=meeting.get_absolute_url(), subject=meeting)
    return row


def _remind(meeting: Meeting, rows: list[Attendee]) -> int:
    now = timezone.now()
    sent = []
    for row in rows:
        # the conditional UPDATE makes the reminder once per person, whoever (or whichever job run) gets there first
        if Attendee.objects.filter(pk=row.pk, reply=Attendee.Reply.PENDING, reminded_at__isnull=True).update(reminded_at=now):
            sent.append(row.user)
    if sent:
        notify(recipients=sent, title=f"请尽快回执：{meeting.title}", body=f"回执截止：{meeting.reply_deadline:%Y-%m-%d}",
               url=meeting.get_absolute_url(), subject=meeting, level="warning")
    return len(sent)


def remind_nonresponders(*, actor: User, meeting: Meeting) -> int:
    """提醒未回执人员 (each once)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "remind", "只有承办人或办公室可以催回执。")
        n = _remind(meeting, list(meeting.attendees.select_related("user").filter(reply=Attendee.Reply.PENDING)))
        record(actor=actor, action="meetings.remind", target=meeting, after={"count": n})
    return n


def reply_reminders(today: datetime.date | None = None) -> int:
    """Daily job: on a working day, remind those who have not answered by the 回执 deadline's day (once each)."""
    from zhongshu.workdays.calendar import is_workday

    today = today or timezone.localdate()
    total = 0
    for meeting in Meeting.objects.filter(status=Meeting.Status.NOTIFIED, reply_deadline__lte=today, start__gt=timezone.now()):
        if not is_workday(today, organization_id=meeting.organization_id):
            continue
        with transaction.atomic():
            rows = list(meeting.attendees.select_related("user").filter(reply=Attendee.Reply.PENDING, reminded_at__isnull=True))
            n = _remind(meeting, rows)
            if n:
                record(actor=SYSTEM, action="meetings.remind", target=meeting, after={"count": n})
            total += n
    return total


# ---------------------------------------------------------------- sign-in


def checkin_token(meeting: Meeting) -> str:
    return signing.dumps({"m": meeting.pk}, salt=CHECKIN_SALT, compress=True)


def _signin(meeting: Meeting, row: Attendee, by: User) -> Attendee:
    if row.signed_in_at is not None:
        raise Conflict("已签到。")
    row.signed_in_at, row.signed_in_by = timezone.now(), by
    row.save(update_fields=["signed_in_at", "signed_in_by"])
    return row


def checkin_by_token(*, actor: User, token: str) -> Attendee:
    """扫码签到: a signed code, valid from two hours before the start to an hour after the end, only for an invited
    person (or his substitute) who is logged in."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再签到。")
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        meeting_id = int(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ServiceError("签到码无效。", code="invalid_token")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            raise ServiceError("签到码无效。", code="invalid_token")
        now = timezone.now()
        if meeting.status != Meeting.Status.NOTIFIED or not meeting.start - CHECKIN_EARLY <= now <= meeting.end + CHECKIN_LATE:
            raise ServiceError("签到码已过期或会议不在签到时间内。", code="expired")
        row = (Attendee.objects.select_for_update().filter(meeting=meeting)
               .filter(Q(user=actor, reply__in=["pending", "attend", "leave"]) | Q(substitute=actor, reply="substitute")).first())
        if row is None:
            raise PermissionDenied("您不在本次会议的参会名单中。")
        _signin(meeting, row, actor)
        record(actor=actor, action="meetings.checkin", target=meeting, after={"attendee": row.user_id})
    return row


def checkin_manual(*, actor: User, attendee: Attendee) -> Attendee:
    """工作人员代为签到."""
    with transaction.atomic():
        meeting = _lock(attendee.meeting)
        _policy().require(actor, meeting, "checkin_manual", "只有承办人或办公室可以代为签到。")
        row = Attendee.objects.select_for_update().get(pk=attendee.pk)
        _signin(meeting, row, actor)
        record(actor=actor, action="meetings.checkin", target=meeting, after={"attendee": row.user_id, "manual": True})
    return row


# ---------------------------------------------------------------- numbered copies and 清退


def copy_issue(*, actor: User, material: Material, holder: User) -> MaterialCopy:
    """发放一份涉密材料, numbered (份号) in its series; the holder must attend and be cleared."""
    if material.classification < Classification.SECRET:
        raise _bad("material", "非涉密材料不编份号。")
    with transaction.atomic():
        meeting = _lock(material.meeting)
        _policy().require(actor, meeting, "copies", "只有承办人或办公室可以发放涉密材料。")
        present = {a.present_user_id for a in meeting.attendees.all()} | {meeting.organizer_id}
        if holder.pk not in present:
            raise _bad("holder", f"{holder.display_name}不在本次会议的参会人员中。")
        if holder.max_classification < material.classification:
            raise _bad("holder", f"{holder.display_name}的涉密等级不足以知悉该材料。")
        number = next_serial(CopySequence, material=material)
        copy = MaterialCopy.objects.create(material=material, number=number, holder=holder)
        record(actor=actor, action="meetings.copy_issue", target=meeting, after={"material": material.pk, "number": number, "holder": holder.pk})
    return copy


def copy_return(*, actor: User, copy: MaterialCopy) -> MaterialCopy:
    """清退 one numbered copy."""
    with transaction.atomic():
        meeting = _lock(copy.material.meeting)
        _policy().require(actor, meeting, "copies", "只有承办人或办公室可以登记清退。")
        copy = MaterialCopy.objects.select_for_update().get(pk=copy.pk)
        if copy.status != MaterialCopy.Status.ISSUED:
            raise Conflict("该份材料已清退。")
        copy.status, copy.returned_at, copy.returned_to = MaterialCopy.Status.RETURNED, timezone.now(), actor
        copy.save(update_fields=["status", "returned_at", "returned_to"])
        record(actor=actor, action="meetings.copy_return", target=meeting, after={"material": copy.material_id, "number": copy.number})
    return copy


def outstanding_copies(meeting: Meeting):
    return MaterialCopy.objects.filter(material__meeting=meeting, status=MaterialCopy.Status.ISSUED).select_related("material", "holder")


# ---------------------------------------------------------------- record, 纪要, 议定事项 → 督办, closing


def record_save(*, actor: User, meeting: Meeting, record_text: str | None = None, minutes: str | None = None) -> Meeting:
    """会议记录 and 会议纪要 (draft)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "record", "只有承办人或办公室可以整理会议记录和纪要。")
        if record_text is not None:
            meeting.record = record_text.strip()
        if minutes is not None:
            meeting.minutes = minutes.strip()
        meeting.save(update_fields=["record", "minutes"])
        record(actor=actor, action="meetings.record", target=meeting, after={"record": meeting.record, "minutes": meeting.minutes})
    return meeting


def decision_add(*, actor: User, meeting: Meeting, text: str, lead_department: Department, deadline: datetime.date) -> Decision:
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text or len(text) > 300:
        errors["text"] = "请填写议定事项（不超过 300 字）。"
    if not isinstance(lead_department, Department) or not lead_department.is_active:
        errors["lead_department"] = "请选择主办单位。"
    if not isinstance(deadline, datetime.date) or deadline < timezone.localdate():
        errors["deadline"] = "办结时限不能早于今天。"
    _raise(errors)
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "decisions", "只有承办人或办公室可以登记议定事项。")
        d = Decision.objects.create(meeting=meeting, order=meeting.decisions.count() + 1, text=text,
                                    lead_department=lead_department, deadline=deadline)
        record(actor=actor, action="meetings.decision", target=meeting, after={"decision": d.pk, "text": text})
    return d


def decisions_to_supervision(*, actor: User, meeting: Meeting, responsible_leader: User) -> list[Decision]:
    """议定事项转督办, one step: every decision not yet supervised becomes a 督办事项 (source 会议议定, the meeting as
    its source object), and the decision keeps the item — linked both ways."""
    from zhongshu.supervision.models import Source
    from zhongshu.supervision.services import supervision_item_create

    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "to_supervision", "只有办公室（督查室）可以把议定事项转为督办。")
        todo = list(meeting.decisions.select_for_update().filter(supervision_item__isnull=True).select_related("lead_department"))
        if not todo:
            raise Conflict("没有待转督办的议定事项。")
        for d in todo:
            d.supervision_item = supervision_item_create(
                # the meeting's title stays out of the item: its readers are not the meeting's (need-to-know differs)
                actor=actor, title=d.text[:200], content=d.text, source=Source.MEETING,
                responsible_leader=responsible_leader, lead_department=d.lead_department, deadline=d.deadline,
                classification=meeting.classification, source_object=meeting,
                source_ref=f"{timezone.localtime(meeting.start):%Y年%m月%d日}会议议定事项",
            )
            d.save(update_fields=["supervision_item"])
        record(actor=actor, action="meetings.to_supervision", target=meeting, after={"items": [d.supervision_item_id for d in todo]})
    return todo


def _outgoing_draft(actor: User, meeting: Meeting, field: str, action: str, message: str, **values: Any) -> Any:
    from zhongshu.outgoing.services import outgoing_create

    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, action, message)
        doc = outgoing_create(actor=actor, classification=meeting.classification, **values)
        setattr(meeting, field, doc)
        meeting.save(update_fields=[field])
        record(actor=actor, action="meetings.to_outgoing", target=meeting, after={field: doc.pk})
    return doc


def notice_to_outgoing(*, actor: User, meeting: Meeting) -> Any:
    """会议通知 to other organs: a 发文 通知 draft prefilled with subject, time, place, attendees, agenda, materials,
    contact and reply deadline; the drafter adds the 主送 organs and sends it through 发文's own route."""
    agenda = "\n".join(f"{a.order}. {a.title}" + (f"（{a.presenter}）" if a.presenter else "") for a in meeting.agenda.all())
    materials = "、".join(m.title for m in meeting.materials.all())
    deadline = meeting.reply_deadline or workday_deadline(timezone.localdate(), meeting.reply_workdays,
                                                          organization_id=meeting.organization_id).date
    body = (f"经研究，决定召开{meeting.title}。现将有关事项通知如下：\n"
            f"一、会议时间\n{_local(meeting.start)}至{_local(meeting.end)}。\n"
            f"二、会议地点\n{meeting.place}。\n"
            f"三、参会人员\n{meeting.scope or '（请填写）'}。\n"
            f"四、会议议程\n{agenda or '（请填写）'}\n"
            + (f"五、会议材料\n{materials}。\n" if materials else "")
            + f"{'六' if materials else '五'}、有关要求\n请于{deadline:%Y年%m月%d日}前报送参会回执。联系人：{meeting.contact or meeting.organizer.display_name}。")
    return _outgoing_draft(actor, meeting, "notice_document", "outgoing_notice", "只有承办人或办公室可以起草会议通知。",
                           doc_type="通知", title=f"关于召开{meeting.title}的通知"[:200], body=body)


def minutes_to_outgoing(*, actor: User, meeting: Meeting) -> Any:
    """会议纪要 handed to 发文 as a 纪要 draft in the 纪要 format (GB/T 9704)."""
    if not meeting.minutes.strip():
        raise _bad("minutes", "请先起草会议纪要。")
    title = meeting.title if meeting.title.endswith("纪要") else f"{meeting.title}纪要"
    return _outgoing_draft(actor, meeting, "minutes_document", "outgoing_minutes", "只有承办人或办公室可以把纪要转发文。",
                           doc_type="纪要", format="minutes", title=title[:200], body=meeting.minutes)


def meeting_close(*, actor: User, meeting: Meeting, note: str = "") -> Meeting:
    """结束会议. Refused while a numbered copy is outstanding, unless the office records why (note)."""
    note = (note or "").strip()
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status != Meeting.Status.NOTIFIED:
            raise Conflict("会议不在进行阶段，不能结束。")
        _policy().require(actor, meeting, "close", "只有承办人或办公室可以结束会议。")
        out = list(outstanding_copies(meeting))
        if out:
            names = "、".join(f"{c.material.title}第{c.label}份（{c.holder.display_name}）" for c in out[:10])
            if not note:
                raise _bad("note", f"尚有 {len(out)} 份涉密材料未清退：{names}。请清退，或由办公室说明原因后结束。")
            if not has_perm(actor, "meetings.manage"):
                raise PermissionDenied("有未清退的涉密材料时，只有办公室可以说明原因后结束会议。")
        if len(note) > 300:
            raise _bad("note", "说明不能超过 300 字。")
        meeting.status, meeting.closed_at, meeting.close_note = Meeting.Status.CLOSED, timezone.now(), note
        meeting.save(update_fields=["status", "closed_at", "close_note"])
        record(actor=actor, action="meetings.close", target=meeting, after={"outstanding": [c.pk for c in out]}, note=note)
    return meeting


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """取消会议: frees the room; those notified are told."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise _bad("reason", "请填写取消原因（不超过 300 字）。")
    with transaction.atomic():
        meeting = _lock(meeting)
        _policy().require(actor, meeting, "cancel", "只有承办人或办公室可以取消会议。")
        was_notified = meeting.status == Meeting.Status.NOTIFIED
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        for b in meeting.bookings.select_for_update().filter(status=Booking.Status.ACTIVE):
            b.status = Booking.Status.CANCELLED
            b.save(update_fields=["status"])
        record(actor=actor, action="meetings.cancel", target=meeting, note=reason)
        if was_notified:
            notify(recipients=[a.user for a in meeting.attendees.select_related("user")], title=f"会议取消：{meeting.title}",
                   body=reason, url=meeting.get_absolute_url(), subject=meeting)
    return meeting

