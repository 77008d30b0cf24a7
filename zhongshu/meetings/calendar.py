"""Meetings in the shared calendar (zhongshu/agenda): the person's own meetings, through the selectors."""

from __future__ import annotations

from zhongshu.agenda.registry import Event, EventSource, register_event_source


def _events(user, start, end) -> list[Event]:
    from .selectors import my_meetings

    return [
        Event(uid=f"meeting-{m.pk}@zhongshu", title=m.title, start=m.start, end=m.end, source="会议", location=m.place,
              url=m.get_absolute_url(), classification=m.classification)
        for m in my_meetings(user, start, end)
    ]


register_event_source(EventSource("meetings", "会议", _events))
