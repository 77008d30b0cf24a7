"""公文校对 API end to end: POST /api/v1/proofread with a 5,000-character document.

Requirement (issue 8): under 60 ms end to end from the API. Measured in process with Django's test
Client (URL routing, middleware, authentication, JSON parsing, the organization's settings query,
the engine with typo checks, JSON rendering), for a real user of the demo county authenticated by
an API token and by a session, with the organization's settings (a rule off, banned terms) in force.

Usage:
    .venv/bin/python bench/proofread_api_bench.py [--runs 100] [--chars 5000]         # SQLite under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench .venv/bin/python bench/proofread_api_bench.py

Prints the first (cold) request, then median and p95 over --runs requests after warm-up, and the
engine alone for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _stats(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--chars", type=int, default=5000)
    args = parser.parse_args()
    if args.runs < 50:
        parser.error("--runs must be at least 50")

    if "DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / 'proofread-api.sqlite3'}"
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

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the demo build sends mail
    call_command("migrate", verbosity=0)
    from proofread_bench import make_text
    from rest_framework.authtoken.models import Token

    from zhongshu.demo.builder import already_built, build
    from zhongshu.org.models import User
    from zhongshu.proofing.selectors import config_for
    from zhongshu.proofing.services import proofread_settings_update
    from zhongshu.proofread import proofread

    if not already_built():
        build()
    clerk = User.objects.get(username="clerk")
    director = User.objects.get(username="director")
    proofread_settings_update(
        actor=director, organization=director.organization, disabled_rules=["dunhao-quoted"],
        banned_terms="据不完全统计\n有关领导=>分管副县长\n" + "\n".join(f"禁用词{i}" for i in range(50)),
    )
    token, _ = Token.objects.get_or_create(user=clerk)
    text = make_text(args.chars, seed=11)
    body = json.dumps({"text": text, "doc_type": "通知"}, ensure_ascii=False)
    print(f"database={connection.vendor} text={len(text):,} characters, JSON body {len(body.encode()):,} bytes")

    token_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    session_client = Client()
    session_client.force_login(clerk)

    def call(client, payload=body):
        t = time.perf_counter()
        resp = client.post("/api/v1/proofread", data=payload, content_type="application/json")
        ms = (time.perf_counter() - t) * 1000
        assert resp.status_code == 200, resp.content[:300]
        return ms, resp

    cold, resp = call(token_client)
    data = resp.json()
    print(f"first request in this process (loads the typo index): {cold:.1f} ms, {len(data['findings'])} findings")

    first = data["findings"][0]
    with_ignores = json.dumps({
        "text": text, "doc_type": "通知",
        "ignored": [[f["rule"], text[f["start"]:f["end"]]] for f in data["findings"][1:20]],
        "ignored_spans": [[first["rule"], first["start"], first["end"]]],
    }, ensure_ascii=False)
    cases = {
        "API token auth": (token_client, body),
        "session auth (web page)": (session_client, body),
        "token auth + ignore sets": (token_client, with_ignores),
    }
    print(f"{'case':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}   (runs={args.runs}, after 10 warm-up)")
    for name, (client, payload) in cases.items():
        for _ in range(10):
            call(client, payload)
        times = [call(client, payload)[0] for _ in range(args.runs)]
        with CaptureQueriesContext(connection) as ctx:
            call(client, payload)
        med, p95 = _stats(times)
        print(f"{name:28} {med:10.1f} {p95:8.1f} {len(ctx.captured_queries):8d}")

    cfg = config_for(clerk.organization)
    engine = []
    for _ in range(args.runs):
        t = time.perf_counter()
        proofread(text, doc_type="通知", config=cfg)
        engine.append((time.perf_counter() - t) * 1000)
    med, p95 = _stats(engine)
    print(f"{'engine alone (same text)':28} {med:10.1f} {p95:8.1f}")
    print("requirement: < 60 ms end to end")


if __name__ == "__main__":
    main()
