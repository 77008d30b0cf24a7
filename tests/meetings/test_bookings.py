"""Rooms and bookings: conflicts (named holder), 涉密 rooms, weekly series with exceptions, day/week views, usage."""

from __future__ import annotations

import datetime

import pytest

from tests.meetings.conftest import at
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.meetings import selectors, services
from zhongshu.meetings.models import Booking

pytestmark = pytest.mark.django_db


def test_overlap_refused_naming_the_holder_adjacent_allowed(rooms, who):
    room = rooms["第二会议室"]
    services.booking_create(actor=who.clerk, room=room, start=at(4, 9), end=at(4, 11), title="秘书一科例会")
    with pytest.raises(Conflict) as exc:
        services.booking_create(actor=who.director, room=room, start=at(4, 10), end=at(4, 12), title="另一个会")
    assert "秘书一科例会" in exc.value.message and "秘书一科" in exc.value.message
    services.booking_create(actor=who.director, room=room, start=at(4, 11), end=at(4, 12), title="紧接着的会")  # [start, end)
    assert Booking.objects.filter(room=room, status="active", start__gte=at(4, 0), start__lt=at(5, 0)).count() == 2


def test_a_classified_meeting_holding_the_room_is_named_only_to_the_cleared(notified, rooms, who):
    m = notified(classification=Classification.SECRET, room="常务会议室", title="涉密专题会议", invitees=[who.leader])
    with pytest.raises(Conflict) as cleared:
        services.booking_create(actor=who.director, room=rooms["常务会议室"], start=m.start, end=m.end, title="撞车")
    assert "涉密专题会议" in cleared.value.message
    # the director is cleared; an uncleared person cannot book a 涉密 room at all
    with pytest.raises(ServiceError) as refused:
        services.booking_create(actor=who.sun, room=rooms["常务会议室"], start=at(9, 9), end=at(9, 10), title="培训")
    assert "涉密会议室" in refused.value.message


def test_classified_meeting_only_in_a_classified_room(plan, who):
    with pytest.raises(ServiceError) as exc:
        plan(classification=Classification.SECRET, room="第二会议室")
    assert exc.value.fields["room"] == ["涉密会议只能安排在涉密会议室。"]
    with pytest.raises(ServiceError):
        plan(classification=Classification.SECRET, room=None, venue="某宾馆")


@pytest.mark.parametrize("start,end,field", [((4, 11), (4, 10), "end"), ((-1, 9), (-1, 10), "start")])
def test_bad_times_refused(rooms, who, start, end, field):
    with pytest.raises(ServiceError) as exc:
        services.booking_create(actor=who.clerk, room=rooms["第二会议室"], start=at(*start), end=at(*end), title="x")
    assert field in exc.value.fields


def test_weekly_series_all_or_nothing_then_exceptions(rooms, who):
    room = rooms["第二会议室"]
    first = at(1, 0).date()
    monday = first + datetime.timedelta(days=(0 - first.weekday()) % 7)
    blocker = services.booking_create(actor=who.director, room=room, start=at((monday - at(0, 0).date()).days + 14, 9),
                                      end=at((monday - at(0, 0).date()).days + 14, 10), title="第三周的占用")
    with pytest.raises(Conflict) as exc:
        services.series_create(actor=who.clerk, room=room, title="周一例会", weekday=0, start_time=datetime.time(9),
                               end_time=datetime.time(10), first_day=first, last_day=first + datetime.timedelta(days=27))
    assert "第三周的占用" in exc.value.message
    assert not Booking.objects.filter(title="周一例会").exists()  # nothing half-made
    services.booking_cancel(actor=who.director, booking=blocker)
    series = services.series_create(actor=who.clerk, room=room, title="周一例会", weekday=0, start_time=datetime.time(9),
                                    end_time=datetime.time(10), first_day=first, last_day=first + datetime.timedelta(days=27))
    occ = list(series.occurrences.order_by("start"))
    assert len(occ) == 4 and all(b.start.weekday() == 0 or b.start.astimezone().weekday() == 0 for b in occ)
    services.booking_cancel(actor=who.clerk, booking=occ[1])  # one exception …
    moved = services.booking_move(actor=who.clerk, booking=occ[2], start=occ[2].start + datetime.timedelta(days=1),
                                  end=occ[2].end + datetime.timedelta(days=1))  # … and one moved to Tuesday
    assert series.occurrences.filter(status="active").count() == 3
    assert moved.series_id == series.pk
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=who.sun, booking=occ[0])  # not his booking


def test_day_and_week_views_and_usage(rooms, who, web):
    services.booking_create(actor=who.clerk, room=rooms["第二会议室"], start=at(1, 9), end=at(1, 12), title="视图测试")
    day = at(1, 0).date()
    grid = selectors.room_grid(who.clerk, [rooms["第二会议室"]], day, 1)
    assert any(s.label.startswith("视图测试") for s in grid[0]["cells"][0])
    stats = selectors.usage_stats(who.clerk, day.year)
    assert dict(stats["departments"]).get("秘书一科", 0) >= 3
    page = web(who.clerk).get(f"/meetings/rooms/?view=day&day={day}&building=县政府大楼")
    assert page.status_code == 200 and "视图测试" in page.content.decode()
    assert "视图测试" in web(who.clerk).get(f"/meetings/rooms/{rooms['第二会议室'].pk}/?day={day}").content.decode()
    assert web(who.clerk).get("/meetings/rooms/stats/").status_code == 200


def test_availability_lists_free_periods(rooms, who):
    day = at(2, 0).date()
    services.booking_create(actor=who.clerk, room=rooms["第二会议室"], start=at(2, 10), end=at(2, 11), title="占用")
    free = selectors.availability(who.clerk, day, 1)[rooms["第二会议室"].pk]
    assert [(s.hour, e.hour) for s, e in ((s.astimezone(at(0, 0).tzinfo), e.astimezone(at(0, 0).tzinfo)) for s, e in free)] == [(8, 10), (11, 18)]


def test_api_booking_conflict_is_409_with_the_holder(api, rooms, who):
    room = rooms["第二会议室"]
    body = {"room": room.pk, "start": at(6, 9).isoformat(), "end": at(6, 10).isoformat(), "title": "接口预订"}
    assert api(who.clerk).post("/api/v1/meetings/bookings/", body, format="json").status_code == 201
    r = api(who.director).post("/api/v1/meetings/bookings/", body, format="json")
    assert r.status_code == 409 and "接口预订" in r.json()["error"]
    week = api(who.sun).get(f"/api/v1/meetings/bookings/?day={at(6, 0).date()}&room={room.pk}").json()
    assert any(b["label"].startswith("接口预订") for b in week)


def test_the_database_refuses_an_overlap_written_past_the_services(rooms, who):
    """The constraint, not only the application (PostgreSQL): a row written directly, bypassing the service's check,
    is refused; touching slots and cancelled rows are not."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("排他约束只在 PostgreSQL 上；SQLite 由应用在 IMMEDIATE 事务内检查")
    room = rooms["第二会议室"]
    kw = {"organization_id": room.organization_id, "room": room, "booked_by": who.clerk, "title": "直接写入"}
    Booking.objects.create(start=at(30, 9), end=at(30, 11), **kw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(start=at(30, 10), end=at(30, 12), **kw)
    Booking.objects.create(start=at(30, 11), end=at(30, 12), **kw)  # touching is not overlapping
    Booking.objects.create(start=at(30, 10), end=at(30, 12), status="cancelled", **kw)  # a cancelled row holds nothing


def test_room_views_show_a_meeting_only_as_the_reader_may_see_it(notified, who, web, api, rooms):
    from django.utils import timezone

    m = notified(classification=Classification.SECRET, room="常务会议室", title="保密议题专题会议", invitees=[who.leader])
    day = timezone.localtime(m.start).date()
    room = rooms["常务会议室"]
    for user, sees in ((who.leader, True), (who.director, True), (who.sun, False), (who.archivist, False)):
        page = web(user).get(f"/meetings/rooms/{room.pk}/?day={day}").content.decode()
        week = api(user).get(f"/api/v1/meetings/bookings/?day={day}&room={room.pk}").content.decode()
        for text in (page, week):
            assert ("保密议题专题会议" in text) is sees, user
            assert ("秘密会议（无权查看）" in text) is not sees, user
