"""Shared timing for the page benches (inbox_bench.py, flow_bench.py): warm up, time N requests, report the median,
the p95 (nearest rank) and the query count of one more request."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    median: float
    p95: float
    queries: int
    best: float = 0.0  # the fastest run: on a busy machine the least disturbed figure, for A/B comparisons


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile: the smallest value with at least 95 % of the samples at or below it."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_pages(client, pages: Iterable[tuple[str, str]], runs: int, *, warmup: int = 3, expect: int = 200) -> list[Timing]:
    """GET each (name, url) `warmup` times, then `runs` times timed (ms); the query count of one more request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = []
    for name, url in pages:
        for _ in range(warmup):
            status = client.get(url).status_code
            assert status == expect, (url, status)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == expect, (url, resp.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        out.append(Timing(name, statistics.median(times), p95(times), len(ctx.captured_queries), min(times)))
    return out


def print_table(rows: Iterable[Timing]) -> None:
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'best ms':>8}")
    for r in rows:
        print(f"{r.name:40} {r.median:10.1f} {r.p95:8.1f} {r.queries:8d} {r.best:8.1f}")
