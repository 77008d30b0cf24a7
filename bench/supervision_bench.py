"""督查督办 at scale: the 督办看板 (dashboard) and the 督办台账 (ledger) for non-admin users when the county
government office holds N supervision items with ~10 progress reports each (default 100,000 / 1,000,000).

Usage:
    .venv/bin/python bench/supervision_bench.py --items 100000 --reports 1000000      # SQLite (var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_supbench .venv/bin/python bench/supervision_bench.py --items 100000

Data are generated with multi-row INSERTs (executemany) straight into the tables — not through the services —
because the point is reading at scale. Prints median and p95 server time (Django test client, in process)
and the query count per page.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def insert(connection, model, fields: list[str], rows: list[tuple]) -> None:
    table = model._meta.db_table
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})", rows)


def generate(n_items: int, n_reports: int) -> None:
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from zhongshu.org.models import Department, Organization, User
    from zhongshu.supervision.models import ProgressReport, Source, SupervisionItem, SupervisionTask

    rng = random.Random(2026)
    org = Organization.objects.get(code="zfb")
    leaders = list(User.objects.filter(organization=org, role_assignments__role="leader").values_list("pk", flat=True))
    clerk = User.objects.get(username="clerk").pk
    offices = list(Department.objects.filter(code="BGS").exclude(organization=org).values_list("pk", "organization_id"))
    submitters = {dep: list(User.objects.filter(memberships__department_id=dep).values_list("pk", flat=True))[:1] or [clerk] for dep, _ in offices}
    today = timezone.localdate()
    first = datetime.date(2024, 1, 1)
    span = (today - first).days
    item0 = (SupervisionItem.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    task0 = (SupervisionTask.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    report0 = (ProgressReport.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    d = connection.ops.adapt_datefield_value
    dt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    sources = Source.values
    per_item = max(1, n_reports // n_items)
    item_fields = ["id", "organization", "number_year", "number_serial", "source", "title", "content", "responsible_leader",
                   "lead_department", "deadline", "original_deadline", "cycle", "classification", "status", "light", "last_report_on",
                   "created_on", "created_month", "assigned_on", "closed_on", "closed_month", "created_by", "created_at", "source_ref"]
    task_fields = ["id", "item", "department", "department_organization", "classification", "role", "requirement", "status", "light",
                   "last_report_on", "created_at", "dispute_reason"]
    report_fields = ["id", "task", "item", "kind", "period_start", "period_end", "due_date", "content", "status", "submitted_by",
                     "submitted_at", "office_comment", "created_at"]
    t0 = time.perf_counter()
    items, tasks, reports = [], [], []
    serial = {}
    reports_made = 0
    task_id, report_id = task0, report0

    def flush(force: bool = False) -> None:
        nonlocal items, tasks, reports
        if force or len(reports) >= 50000:
            with transaction.atomic():
                insert(connection, SupervisionItem, item_fields, items)
                insert(connection, SupervisionTask, task_fields, tasks)
                insert(connection, ProgressReport, report_fields, reports)
            items, tasks, reports = [], [], []

    for i in range(n_items):
        pk = item0 + i
        created = first + datetime.timedelta(days=rng.randrange(span))
        deadline = created + datetime.timedelta(days=rng.randint(10, 150))
        roll = rng.random()
        status, closed = "in_progress", None
        if deadline < today and roll < 0.85 or roll < 0.45:
            status = "closed"
            closed = min(today, created + datetime.timedelta(days=rng.randint(5, 170)))
        elif roll > 0.97:
            status = "completion_requested"
        light = "green"
        if status != "closed":
            left = (deadline - today).days
            light = "red" if left < 0 else "yellow" if left <= 4 else "green"
        serial[created.year] = serial.get(created.year, 100000) + 1
        dep, dep_org = offices[rng.randrange(len(offices))]
        level = rng.choices([0, 1, 2, 3], weights=[20, 60, 15, 5])[0]
        last = min(today, created + datetime.timedelta(days=7 * per_item))
        items.append((pk, org.pk, created.year, serial[created.year], rng.choice(sources), f"第{i}项督办事项：推进重点工作落实",
                      "请按要求抓紧办理并按期报送进展。", rng.choice(leaders), dep, d(deadline), d(deadline), "weekly", level, status,
                      light, d(last), d(created), created.year * 100 + created.month, d(created), d(closed),
                      closed.year * 100 + closed.month if closed else None, clerk, dt(now), ""))
        n_tasks = 2 if rng.random() < 0.3 else 1
        for t in range(n_tasks):
            tdep, tdep_org = (dep, dep_org) if t == 0 else offices[rng.randrange(len(offices))]
            if t and tdep == dep:
                continue
            tasks.append((task_id, pk, tdep, tdep_org, level, "lead" if t == 0 else "co", "", "done" if status == "closed" else "accepted",
                          light, d(last), dt(now), ""))
            share = per_item if t == 0 else 0
            if t == 0 and i < n_reports - per_item * n_items:  # spread the remainder
                share += 1
            for k in range(share):
                start = created + datetime.timedelta(days=7 * k)
                reports.append((report_id, task_id, pk, "progress", d(start), d(start + datetime.timedelta(days=6)),
                                d(start + datetime.timedelta(days=4)), "本周按计划推进，完成阶段工作。", "accepted",
                                submitters[tdep][0], dt(now), "", dt(now)))
                report_id += 1
                reports_made += 1
            task_id += 1
        flush()
    flush(force=True)
    print(f"generated {n_items} items, {task_id - task0} tasks, {reports_made} reports in {time.perf_counter() - t0:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--reports", type=int, default=None, help="default: 10 per item")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    reports = args.reports if args.reports is not None else args.items * 10

    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'supervision-{args.items}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    os.environ["QUEUE_SYNC"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.org.models import User
    from zhongshu.supervision.models import ProgressReport, SupervisionItem

    if not already_built():
        build()
    existing = SupervisionItem.objects.count()
    if existing < args.items:
        generate(args.items, reports)
        with connection.cursor() as cur:  # fresh planner statistics and visibility map, as autovacuum would give
            if connection.vendor == "postgresql":
                for table in (SupervisionItem._meta.db_table, "supervision_supervisiontask", ProgressReport._meta.db_table):
                    cur.execute(f"VACUUM ANALYZE {table}")  # needs autocommit: Django's default outside atomic()
            else:
                cur.execute("ANALYZE")
    people = {login: User.objects.get(username=login) for login in ("director", "deputy", "liaison")}
    print(f"database={connection.vendor} items={SupervisionItem.objects.count()} reports={ProgressReport.objects.count()} "
          f"visible: director={SupervisionItem.objects.restrict(people['director']).count()} "
          f"deputy={SupervisionItem.objects.restrict(people['deputy']).count()}")
    pages = [
        ("director", "dashboard (this year)", "/supervision/dashboard/"),
        ("director", "dashboard (2024-01 → this month)", "/supervision/dashboard/?start=2024-01"),
        ("director", "ledger (20 rows)", "/supervision/ledger/"),
        ("director", "ledger red, by deadline", "/supervision/ledger/?light=red&sort=deadline"),
        ("director", "ledger keyword", "/supervision/ledger/?q=第4242项"),
        ("director", "workbench", "/"),
        ("deputy", "dashboard (leader, this year)", "/supervision/dashboard/"),
        ("deputy", "ledger (leader)", "/supervision/ledger/"),
        ("liaison", "tasks (department)", "/supervision/tasks/"),
    ]
    client = Client()
    print(f"{'user':9} {'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for login, name, url in pages:
        client.force_login(people[login])
        for _ in range(3):
            client.get(url)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200, (url, resp.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{login:9} {name:34} {statistics.median(times):10.1f} {p95:8.1f} {len(ctx.captured_queries):8d}")


if __name__ == "__main__":
    main()
