"""Benchmark of the seating library (single core).

Issue 17 targets: seating for a 500-person 会场 plus a 15-person 主席台 ≤ 50 ms in the library; the chart PDF
≤ 300 ms.  Prints median and p95 over warm runs (fonts loaded once, as in a long-running server) for:
the two generators together; the 500-person hall chart PDF (A3, the heaviest chart); the podium chart PDF;
the 15 tent cards; the DOCX of the hall.

Run: python bench/seating_bench.py [--runs 51]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongshu.seating import chart_for  # noqa: E402
from zhongshu.seating.docx_out import chart_docx  # noqa: E402
from zhongshu.seating.pdf import chart_pdf, tent_cards_pdf  # noqa: E402

UNITS = [{"name": f"第{u}单位", "people": [f"代表{u:02d}{i:02d}" for i in range(1, 26)]} for u in range(1, 21)]
PODIUM = [f"领导{i:02d}" for i in range(1, 16)]


def stats(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def seat_both():
    hall = chart_for("hall", [], units=UNITS, blocks=3, seats_per_block=[8, 12, 8])
    podium = chart_for("podium", PODIUM, per_row=8)
    return hall, podium


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=51)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # one core
    hall, podium = seat_both()
    t0 = time.perf_counter()
    chart_pdf(podium)
    print(f"first PDF (font loading, cache present): {(time.perf_counter() - t0) * 1000:.0f} ms")
    rows = [
        ("library: 500-person 会场 + 15-person 主席台", stats(seat_both, args.runs), 50),
        ("chart PDF: 500-person 会场 (A3)", stats(lambda: chart_pdf(hall), args.runs), 300),
        ("chart PDF: 15-person 主席台 (A4)", stats(lambda: chart_pdf(podium), args.runs), 300),
        ("tent cards PDF: 15 people", stats(lambda: tent_cards_pdf(PODIUM), args.runs), None),
        ("chart DOCX: 500-person 会场", stats(lambda: chart_docx(hall, paper="A3"), max(5, args.runs // 5)), None),
    ]
    for label, (med, p95), target in rows:
        goal = f"  (target ≤ {target} ms)" if target else ""
        print(f"{label}: median {med:.1f} ms, p95 {p95:.1f} ms{goal}")


if __name__ == "__main__":
    main()
