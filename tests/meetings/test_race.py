"""Two people book the same slot at the same instant: on PostgreSQL exactly one wins — the exclusion constraint
decides even when both passed the application check — and the loser is told which meeting holds the room."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.meetings.conftest import at
from zhongshu.core.errors import Conflict
from zhongshu.meetings import services
from zhongshu.meetings.models import Booking, Room
from zhongshu.org.models import User

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("竞争测试需要 PostgreSQL（排他约束）；SQLite 以 IMMEDIATE 事务串行化写入")


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # the loser's Conflict is the expected outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_same_slot_exactly_one_wins(county):
    clerk, director = User.objects.get(username="clerk"), User.objects.get(username="director")
    room = Room.objects.get(organization__code="zfb", name="第二会议室")
    for n in range(4):
        start, end = at(20 + n, 9), at(20 + n, 10)
        results = _race([
            lambda: services.booking_create(actor=clerk, room=room, start=start, end=end, title=f"甲的会{n}"),
            lambda: services.booking_create(actor=director, room=room, start=start, end=end, title=f"乙的会{n}"),
        ])
        wins = [r for r in results if isinstance(r, Booking)]
        losses = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert wins[0].title in losses[0].message and "已被占用" in losses[0].message
        assert Booking.objects.filter(room=room, start=start, status="active").count() == 1


