"""Flow work items at scale: N historical work items across 2,000 people; the flow's own lists for one person
(/api/v1/flow/todo/ and done/, kept for compatibility, and 我发起的), median and p95 server time, and the query count
for 20 vs 100 rows (it must not change). The 待办/待阅/已办 pages are the one inbox's: bench/inbox_bench.py.

Usage:
    .venv/bin/python bench/flow_bench.py --items 20000             # quick run (SQLite file under var/bench/)
    .venv/bin/python bench/flow_bench.py --items 1000000           # the issue's figure
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_flow_bench .venv/bin/python bench/flow_bench.py --items 1000000

Data is generated once per database with bulk inserts (COPY on PostgreSQL, executemany on SQLite) and reused;
--regen throws it away. Timing uses Django's test client in process ("server time": routing, middleware,
queries, templates). The measured person is the office director, who receives ~1% of all items.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _timing import print_table, time_pages  # noqa: E402

PEOPLE = 2000
ITEMS_PER_INSTANCE = 5


def _setup(args) -> None:
    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'flow-{args.items}.sqlite3'}"
    elif os.environ["DATABASE_URL"].startswith("postgres"):
        _ensure_pg_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    os.environ["QUEUE_SYNC"] = "1"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _ensure_pg_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _insert(table: str, cols: list[str], rows) -> None:
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    batch: list = []
    with transaction.atomic(), connection.cursor() as cur:
        for row in rows:
            batch.append([_sqlite(v) for v in row])
            if len(batch) == 20000:
                cur.executemany(sql, batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)


def _sqlite(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def generate(n_items: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from zhongshu.flow.models import FlowDefinition, FlowInstance, WorkItem
    from zhongshu.notices.models import Notice
    from zhongshu.org.models import Organization, User

    org = Organization.objects.get(code="zfb")
    director = User.objects.get(username="director")
    now = timezone.now()
    existing = set(User.objects.filter(username__startswith="bench").values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=f"bench{i:04d}", real_name=f"测试人员{i:04d}", organization=org, password="!", clearance=2,
             password_changed_at=now)
        for i in range(PEOPLE) if f"bench{i:04d}" not in existing
    ], batch_size=1000)
    people = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))[: PEOPLE - 1] + [director.pk]
    weights = [1.0] * (len(people) - 1) + [20.0]  # the director gets ~1% of everything
    definition = FlowDefinition.objects.get(organization=org, business_type="notice", status="active")
    step_ids = list(definition.steps.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(Notice)
    rng = random.Random(2026)
    n_instances = n_items // ITEMS_PER_INSTANCE
    first_id = (FlowInstance.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_object = 10**9
    t0 = time.perf_counter()
    statuses = ["running"] * 6 + ["approved"] * 90 + ["terminated"] * 4

    def instances():
        for k in range(n_instances):
            created = now - datetime.timedelta(minutes=5 * (n_instances - k))
            status = rng.choice(statuses)
            yield (first_id + k, definition.pk, org.pk, "notice", ct.pk, first_object + k, f"关于第{k}项工作的请示", rng.choice([0, 1]),
                   "{}", json.dumps(step_ids), 1, 1, status, rng.choice(people), None, "部门负责人审核" if status == "running" else "",
                   created, None if status == "running" else created + datetime.timedelta(days=2))

    _insert("flow_flowinstance", ["id", "definition_id", "organization_id", "business_type", "content_type_id", "object_id", "title",
                                  "classification", "facts", "plan", "position", "round", "status", "initiator_id",
                                  "initiator_department_id", "current_step_name", "created_at", "finished_at"], instances())

    def items():
        assignees = rng.choices(people, weights=weights, k=n_items)
        for j in range(n_items):
            k = j // ITEMS_PER_INSTANCE
            created = now - datetime.timedelta(minutes=5 * (n_instances - k) - j % ITEMS_PER_INSTANCE)
            roll = rng.random()
            kind, status = ("todo", "pending") if roll < 0.06 else (("read", "pending") if roll < 0.08 else ("todo", "done"))
            done = status == "done"
            due = (created + datetime.timedelta(days=rng.randint(-3, 10))).date()
            yield (first_id + k, org.pk, rng.choice([0, 1]), people[k % len(people)], step_ids[j % len(step_ids)], "部门负责人审核", kind, 1,
                   0, "normal", None, assignees[j], status, due if kind == "todo" else None, False, created,
                   created + datetime.timedelta(hours=3) if done else None, assignees[j] if done else None, "approve" if done else "",
                   "同意。" if done else "")

    _insert("flow_workitem", ["instance_id", "organization_id", "classification", "initiator_id", "step_id", "step_name", "kind",
                              "round", "sequence", "origin", "parent_id", "assignee_id", "status", "due_date", "due_provisional",
                              "created_at", "done_at", "done_by_id", "action", "opinion"], items())
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT setval(pg_get_serial_sequence('flow_flowinstance', 'id'), (SELECT max(id) FROM flow_flowinstance))")
            cur.execute("ANALYZE flow_workitem")
            cur.execute("ANALYZE flow_flowinstance")
        else:
            cur.execute("ANALYZE")
    print(f"generated {n_instances} instances and {n_items} work items across {len(people)} people in "
          f"{time.perf_counter() - t0:.1f}s; total work items {WorkItem.objects.count()}")


def measure(runs: int) -> list:
    """The flow's own lists: /api/v1/flow/… (kept, deprecated in favour of /api/v1/inbox/) and 我发起的. The flow's
    待办/待阅/已办 pages redirect to the one inbox (bench/inbox_bench.py measures those)."""
    from django.test import Client

    from zhongshu.org.models import User

    director = User.objects.get(username="director")
    client = Client()
    client.force_login(director)
    pages = [
        ("API /api/v1/flow/todo/, 20 rows", "/api/v1/flow/todo/?size=20"),
        ("API /api/v1/flow/todo/, 100 rows", "/api/v1/flow/todo/?size=100"),
        ("API flow todo, search + overdue", "/api/v1/flow/todo/?q=%E8%AF%B7%E7%A4%BA&urgency=red&size=20"),
        ("API /api/v1/flow/done/, 20 rows", "/api/v1/flow/done/?size=20"),
        ("API /api/v1/flow/done/, 100 rows", "/api/v1/flow/done/?size=100"),
        ("我发起的 page, 20 rows", "/flow/started/?size=20"),
        ("workbench (all cards)", "/"),
    ]
    return time_pages(client, pages, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20000, help="work items to generate (the issue asks for 1000000)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--regen", action="store_true", help="drop generated items and generate again")
    args = parser.parse_args()
    _setup(args)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.flow.models import FlowInstance, WorkItem
    from zhongshu.org.models import User

    if not already_built():
        build()
    bench = FlowInstance.objects.filter(object_id__gte=10**9)
    if args.regen:
        WorkItem.objects.filter(instance__in=bench).delete()
        bench.delete()
    if not bench.exists():
        generate(args.items)
    director = User.objects.get(username="director")
    from zhongshu.flow.selectors import done_for, todo_for

    print(f"database={connection.vendor} work_items={WorkItem.objects.count()} people={User.objects.count()} "
          f"director: 待办={todo_for(director).count()} 已办={done_for(director).count()}")
    # Like a freshly forked server worker: the generator's garbage must not land in the timings as GC pauses.
    gc.collect()
    gc.freeze()
    print_table(measure(args.runs))


if __name__ == "__main__":
    main()
