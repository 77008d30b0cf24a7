"""办会 at scale: room availability for one week across 50 rooms when the rooms hold 100,000 historical bookings.

Usage:
    .venv/bin/python bench/meetings_bench.py                       # SQLite (var/bench/meetings-100000.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_meetbench .venv/bin/python bench/meetings_bench.py

Rooms and bookings are generated with multi-row INSERTs straight into the tables (not through the services: the point
is reading at scale; the bookings never overlap, so the PostgreSQL exclusion constraint accepts them). Prints the
median and p95 of `selectors.availability` (the free periods 08:00–18:00 of every room for 7 days: one query over the
(room, start) index) and of the same through the API, `GET /api/v1/meetings/rooms/availability/`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(n_rooms: int, n_bookings: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhongshu.meetings.models import Booking, Room
    from zhongshu.org.models import Organization, User

    org = Organization.objects.get(code="zfb")
    clerk = User.objects.get(username="clerk")
    dept = clerk.primary_department
    with transaction.atomic():
        have = Room.objects.filter(organization=org).count()
        Room.objects.bulk_create([
            Room(organization=org, name=f"基准会议室{i:03d}", building=f"{1 + i % 4}号楼", floor=f"{1 + i % 6}楼", capacity=10 + i % 50)
            for i in range(have, n_rooms)
        ])
        rooms = list(Room.objects.filter(organization=org).values_list("pk", flat=True))[:n_rooms]
        per_room = n_bookings // len(rooms)
        tz = timezone.get_current_timezone()
        today = timezone.localdate()
        dt = connection.ops.adapt_datetimefield_value
        now = timezone.now()
        taken: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
        for room_id, s, e in Booking.objects.filter(room_id__in=rooms, status="active").values_list("room_id", "start", "end"):
            taken.setdefault(room_id, []).append((s, e))  # the demo's own bookings: the generated ones go around them
        rows = []
        for r in rooms:
            for k in range(per_room):  # two a day going back: 09–11 and 14–16
                day = today - datetime.timedelta(days=1 + k // 2)
                hour = 9 if k % 2 == 0 else 14
                start = datetime.datetime.combine(day, datetime.time(hour), tz)
                if any(s < start + datetime.timedelta(hours=2) and e > start for s, e in taken.get(r, ())):
                    continue
                rows.append((org.pk, r, dt(start), dt(start + datetime.timedelta(hours=2)), "历史预订", clerk.pk, dept.pk if dept else None, "active", 0, dt(now)))
        table = Booking._meta.db_table
        cols = "organization_id, room_id, start, \"end\", title, booked_by_id, department_id, status, classification, created_at"
        with connection.cursor() as cur:
            for i in range(0, len(rows), 5000):
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows[i:i + 5000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'meetings-{args.bookings}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    os.environ["QUEUE_SYNC"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.meetings import selectors
    from zhongshu.meetings.models import Booking, Room
    from zhongshu.org.models import User

    if not already_built():
        build()
    if Booking.objects.count() < args.bookings:
        generate(args.rooms, args.bookings)
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(f"VACUUM ANALYZE {Booking._meta.db_table}")
            else:
                cur.execute("ANALYZE")
    director = User.objects.get(username="director")
    week = selectors.week_start(timezone.localdate())
    print(f"database={connection.vendor} rooms={Room.objects.count()} bookings={Booking.objects.count()} week={week}")

    def measure(name, fn):
        for _ in range(3):
            fn()
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            fn()
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(f"{name:44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   queries {len(ctx.captured_queries)}")

    free = selectors.availability(director, week, 7)
    assert len(free) >= args.rooms, len(free)
    measure("availability, 7 days × all rooms (selector)", lambda: selectors.availability(director, week, 7))
    client = APIClient()
    client.force_authenticate(director)
    measure("GET /api/v1/meetings/rooms/availability/", lambda: client.get(f"/api/v1/meetings/rooms/availability/?day={week}"))


if __name__ == "__main__":
    main()
