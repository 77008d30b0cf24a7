"""The shared calendar: meetings as an event source, the page, .ics parsed back with `icalendar`, the secret
subscription link (revocable), classified titles never in the file."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from tests.meetings.conftest import at
from zhongshu.agenda import services as agenda
from zhongshu.agenda.registry import Event, events_for
from zhongshu.core.classification import Classification
from zhongshu.meetings import services

pytestmark = pytest.mark.django_db


def _parse(text: str):
    cal = icalendar.Calendar.from_ical(text)
    return [c for c in cal.walk("VEVENT")]


def test_ics_round_trip_and_folding():
    start = datetime.datetime(2026, 12, 7, 1, 0, tzinfo=datetime.UTC)
    long_title = "关于" + "全县重点项目推进、冬季安全生产、年终考核；以及其他事项," * 3 + "的会议"
    events = [Event(uid="meeting-1@zhongshu", title=long_title, start=start, end=start + datetime.timedelta(hours=2), source="会议",
                    location="县政府大楼 3楼 常务会议室", url="/meetings/1/"),
              Event(uid="meeting-2@zhongshu", title="涉密议题", start=start, end=start + datetime.timedelta(hours=1), source="会议",
                    location="常务会议室", classification=Classification.SECRET)]
    text = agenda.to_ics(events, name="测试", base_url="https://zs.example/")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    first, second = _parse(text)
    assert str(first["SUMMARY"]) == long_title and str(first["LOCATION"]) == "县政府大楼 3楼 常务会议室"
    assert first.decoded("DTSTART") == start and first.decoded("DTEND") == start + datetime.timedelta(hours=2)
    assert str(first["URL"]) == "https://zs.example/meetings/1/"
    assert str(second["SUMMARY"]) == agenda.HIDDEN_TITLE and "LOCATION" not in second and "涉密议题" not in text


def test_my_meetings_on_the_calendar_page_export_and_feed(notified, who, web, client):
    m = notified(start=at(1, 9), end=at(1, 10), title="日程测试会议")
    services.reply(actor=who.xu, meeting=m, answer="leave", reason="出差")
    assert [e.title for e in events_for(who.deputy, at(1, 0), at(2, 0))] == ["日程测试会议"]
    assert events_for(who.xu, at(1, 0), at(2, 0)) == []  # on leave: not in his calendar
    assert "日程测试会议" in web(who.deputy).get(f"/agenda/?day={at(1, 0).date()}").content.decode()
    assert "日程测试会议" in web(who.deputy).get(f"/agenda/?view=month&day={at(1, 0).date()}").content.decode()
    export = web(who.deputy).get("/agenda/export.ics")
    assert export["Content-Type"].startswith("text/calendar")
    summaries = [str(e["SUMMARY"]) for e in _parse(export.content.decode())]
    assert "日程测试会议" in summaries
    assert agenda.HIDDEN_TITLE in summaries and "第12次常务会议" not in export.content.decode()  # the demo's 秘密 meeting
    token = agenda.token_create(actor=who.deputy)
    client.logout()
    feed = client.get(f"/agenda/feed/{token}.ics")
    assert feed.status_code == 200 and "日程测试会议" in feed.content.decode()
    again = agenda.token_create(actor=who.deputy)  # a new link: the old one stops working
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 404
    assert agenda.token_revoke(actor=who.deputy) == 1
    assert client.get(f"/agenda/feed/{again}.ics").status_code == 404
    assert client.get("/agenda/feed/guess.ics").status_code == 404


def test_workbench_cards(notified, who, web):
    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(minutes=30)
    if timezone.localtime(start).date() != timezone.localdate():
        pytest.skip("too close to midnight for a meeting today")
    m = notified(start=start, end=start + datetime.timedelta(minutes=20), title="今日卡片测试会议")
    html = web(who.deputy).get("/").content.decode()
    assert html.count("今日卡片测试会议") >= 1 and m.pk
