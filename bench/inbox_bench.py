"""The one inbox at scale: N materialized tasks (every source: flow, 收文, 督办, 档案 …) across 2,000 people; the
工作台, the 待办/待阅/已办 pages and the API for one person, median and p95 server time and query counts.

Usage:
    .venv/bin/python bench/inbox_bench.py --tasks 20000              # quick run (SQLite file under var/bench/)
    .venv/bin/python bench/inbox_bench.py --tasks 20000 --profile    # … and each 工作台 card alone
    .venv/bin/python bench/inbox_bench.py --tasks 1000000            # the issue's figure
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_inbox_bench .venv/bin/python bench/inbox_bench.py --tasks 1000000

Data is generated once per database with bulk inserts (COPY on PostgreSQL, executemany on SQLite) and reused;
--regen throws it away. The measured person is the office director, who holds ~1% of all tasks (about 6% of them
open 待办, 2% open 待阅, the rest 已办), spread over every registered task kind. `--sources N` registers N extra
dummy kinds with tasks of the director to show that the 工作台's query count does not depend on them.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _timing import Timing, p95, print_table, time_pages  # noqa: E402
from flow_bench import PEOPLE, _ensure_pg_database, _insert  # noqa: E402

OBJECT_BASE = 10**9


def _setup(args) -> None:
    import os

    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'inbox-{args.tasks}.sqlite3'}"
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


def generate(n: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from zhongshu.inbox.models import Task
    from zhongshu.inbox.registry import KINDS
    from zhongshu.org.models import Organization, User

    org = Organization.objects.get(code="zfb")
    director = User.objects.get(username="director")
    now = timezone.now()
    existing = set(User.objects.filter(username__startswith="bench").values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=f"bench{i:04d}", real_name=f"测试人员{i:04d}", organization=org, password="!", clearance=2, password_changed_at=now)
        for i in range(PEOPLE) if f"bench{i:04d}" not in existing
    ], batch_size=1000)
    people = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))[: PEOPLE - 1] + [director.pk]
    weights = [1.0] * (len(people) - 1) + [20.0]
    kinds = list(KINDS.values())
    ct = ContentType.objects.get_for_model(User)  # the subject does not matter to the reads measured
    rng = random.Random(2026)
    t0 = time.perf_counter()

    def rows():
        assignees = rng.choices(people, weights=weights, k=n)
        for j in range(n):
            kind = kinds[j % len(kinds)]
            since = now - datetime.timedelta(minutes=3 * (n - j))
            roll = rng.random()
            if kind.box == "read":
                status = "open" if roll < 0.08 else "done"
            else:
                status = "open" if roll < 0.06 else "done"
            done = status == "done"
            deadline = (since + datetime.timedelta(days=rng.randint(-3, 10))).date() if kind.box == "todo" else None
            yield (kind.key, kind.box, "", assignees[j], kind.delegable, org.pk, rng.choice([0, 1]), f"关于第{j}项工作的请示",
                   "审核", "测试人员", since, deadline, False, f"/bench/{j}/", status, assignees[j] if done else None,
                   since + datetime.timedelta(hours=3) if done else None, ct.pk, OBJECT_BASE + j)

    _insert("inbox_task", ["kind", "box", "key", "assignee_id", "delegable", "organization_id", "classification", "title", "action",
                           "origin", "since", "deadline", "deadline_provisional", "url", "status", "done_by_id", "done_at",
                           "content_type_id", "object_id"], rows())
    with connection.cursor() as cur:
        cur.execute("ANALYZE inbox_task" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"generated {n} tasks across {len(people)} people in {time.perf_counter() - t0:.1f}s; total {Task.objects.count()}")


def measure(runs: int) -> list:
    from django.test import Client

    from zhongshu.org.models import User

    director = User.objects.get(username="director")
    client = Client()
    client.force_login(director)
    pages = [
        ("workbench (all cards)", "/"),
        ("待办 page, 20 rows", "/inbox/?size=20"),
        ("待办 page, 100 rows", "/inbox/?size=100"),
        ("待办 page, kind + overdue filter", "/inbox/?kind=flow.todo&urgency=red&size=20"),
        ("待阅 page, 20 rows", "/inbox/toread/?size=20"),
        ("已办 page, 20 rows (+ 办理记录)", "/inbox/done/?size=20"),
        ("API /api/v1/inbox/todo/, 20 rows", "/api/v1/inbox/todo/?size=20"),
        ("API /api/v1/inbox/summary/", "/api/v1/inbox/summary/"),
    ]
    return time_pages(client, pages, runs)


def profile_cards(runs: int) -> list:
    """Each 工作台 card alone (context + template) for the director: where the workbench's time goes."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from zhongshu.org.models import User
    from zhongshu.web.context import shell
    from zhongshu.web.registry import cards_for

    director = User.objects.get(username="director")
    out = []

    def new_request():
        request = RequestFactory().get("/")
        request.user = director
        shell(request)  # the shell's nav and counts are the page's, computed once per request
        return request

    for card in cards_for(director):
        times = []
        for i in range(runs + 3):
            request = new_request()
            t = time.perf_counter()
            render_to_string(card.template, card.context(request), request=request)
            if i >= 3:
                times.append((time.perf_counter() - t) * 1000)
        request = new_request()
        with CaptureQueriesContext(connection) as ctx:
            render_to_string(card.template, card.context(request), request=request)
        out.append(Timing(f"card {card.key}", statistics.median(times), p95(times), len(ctx.captured_queries), min(times)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=20000, help="tasks to generate (the issue asks for 1000000)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--regen", action="store_true", help="drop generated tasks and generate again")
    parser.add_argument("--profile", action="store_true", help="also time each 工作台 card alone")
    parser.add_argument("--sources", type=int, default=0, help="register N extra dummy task kinds (query count check)")
    args = parser.parse_args()
    _setup(args)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.inbox.models import Task
    from zhongshu.inbox.registry import TaskKind, register_kind
    from zhongshu.inbox.selectors import done_for, todo_for
    from zhongshu.org.models import User

    if not already_built():
        build()
    bench = Task.objects.filter(object_id__gte=OBJECT_BASE)
    if args.regen:
        bench.delete()
    if not bench.exists():
        generate(args.tasks)
    director = User.objects.get(username="director")
    if args.sources:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        ct = ContentType.objects.get_for_model(User)
        Task.objects.filter(kind__startswith="bench.extra").delete()
        for i in range(args.sources):
            register_kind(TaskKind(f"bench.extra{i}", f"附加来源{i}"))
            Task.objects.create(kind=f"bench.extra{i}", assignee=director, title=f"附加事项{i}", url=f"/x/{i}/", since=timezone.now(),
                                content_type=ct, object_id=OBJECT_BASE * 2 + i)
    print(f"database={connection.vendor} tasks={Task.objects.count()} people={User.objects.count()} "
          f"director: 待办={todo_for(director).count()} 已办={done_for(director).count()} extra sources={args.sources}")
    gc.collect()
    gc.freeze()
    print_table(measure(args.runs))
    if args.profile:
        print_table(profile_cards(args.runs))
    if args.sources:
        Task.objects.filter(kind__startswith="bench.extra").delete()


if __name__ == "__main__":
    main()
