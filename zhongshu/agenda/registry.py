"""The shared calendar (日程): modules register event sources, like task sources of the one inbox.

A module's `calendar.py` (imported from its `AppConfig.ready()`) calls

    register_event_source(EventSource("meetings", "会议", events=my_meeting_events))

`events(user, start, end) -> list[Event]` gives the person's own events overlapping [start, end), read through
the module's selectors (so through restrict()). The calendar page, the 工作台 card, the .ics export and the
subscription feed read `events_for(user, start, end)`; the leaders' schedule will be one more source.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    uid: str  # stable across exports, e.g. "meeting-12@zhongshu"
    title: str
    start: datetime.datetime
    end: datetime.datetime
    source: str
    location: str = ""
    url: str = ""
    classification: int = 1
    note: str = ""


@dataclass(frozen=True)
class EventSource:
    key: str
    label: str
    events: Callable[[Any, datetime.datetime, datetime.datetime], list[Event]]


SOURCES: dict[str, EventSource] = {}


def register_event_source(source: EventSource) -> None:
    SOURCES[source.key] = source


def events_for(user: Any, start: datetime.datetime, end: datetime.datetime) -> list[Event]:
    out: list[Event] = []
    for source in SOURCES.values():
        out.extend(source.events(user, start, end))
    return sorted(out, key=lambda e: (e.start, e.end, e.uid))
