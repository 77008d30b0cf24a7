"""Access-restricted lists at scale: the 通知公告 list, its API, the workbench and global search for one person
when the organization holds N notices (mixed 密级, half addressed to named recipients).

Usage:
    .venv/bin/python bench/access_bench.py --notices 100000          # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench .venv/bin/python bench/access_bench.py --notices 100000

Prints median and p95 server time (Django test client, in process) and the query count per page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / f"access-{args.notices}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    os.environ["QUEUE_SYNC"] = "1"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from zhongshu.demo.builder import already_built, build
    from zhongshu.notices.models import Notice
    from zhongshu.org.models import User

    if not already_built():
        build()
    clerk = User.objects.get(username="clerk")
    org = clerk.organization
    existing = Notice.objects.filter(organization=org).count()
    if existing < args.notices:
        rng = random.Random(42)
        people = list(User.objects.filter(organization=org, admin_role="").values_list("pk", flat=True))
        now = timezone.now()
        t0 = time.perf_counter()
        batch = []
        for i in range(existing, args.notices):
            level = rng.choices([0, 1, 2, 3], weights=[20, 60, 15, 5])[0]
            selected = level >= 2 or rng.random() < 0.3
            batch.append(Notice(
                organization=org, title=f"关于第{i}项工作的通知", body="各科室：现将有关事项通知如下。" * 5, classification=level,
                scope="selected" if selected else "organization", author_id=rng.choice(people), status="published",
                published_at=now - timezone.timedelta(minutes=i),
            ))
            if len(batch) == 5000:
                Notice.objects.bulk_create(batch)
                batch = []
        if batch:
            Notice.objects.bulk_create(batch)
        through = Notice.recipient_users.through
        ids = list(Notice.objects.filter(organization=org, scope="selected").values_list("pk", flat=True))
        rows = [through(notice_id=nid, user_id=rng.choice(people)) for nid in ids for _ in range(2)]
        through.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        print(f"generated {args.notices - existing} notices in {time.perf_counter() - t0:.1f}s")
    with connection.cursor() as cur:  # fresh planner statistics, as autovacuum would have after a bulk load
        cur.execute("ANALYZE")

    visible = Notice.objects.restrict(clerk).count()
    print(f"database={connection.vendor} notices={Notice.objects.count()} visible_to_clerk={visible}")
    client = Client()
    client.force_login(clerk)
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=clerk)
    pages = {
        "notices list (20 rows)": ("/notices/", {}),
        "notices list (100 rows)": ("/notices/?size=100", {}),
        "notices filtered + sorted": ("/notices/?classification=1&sort=-title", {}),
        "API /api/v1/notices/ (50 rows)": ("/api/v1/notices/", {"HTTP_AUTHORIZATION": f"Token {token.key}"}),
        "workbench": ("/", {}),
        "global search": ("/search/?q=第1234项", {}),
    }
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, (url, headers) in pages.items():
        for _ in range(3):
            client.get(url, **headers)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            resp = client.get(url, **headers)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200, (url, resp.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, **headers)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:34} {statistics.median(times):10.1f} {p95:8.1f} {len(ctx.captured_queries):8d}")


if __name__ == "__main__":
    main()
