"""Benchmark of the proofreading engine (single core).

Generates its own official-style text (with a sprinkling of errors), then prints:
- characters per second, median of several runs, with the rule checks alone (typo=False)
  and with the typo checks (confusion list + statistical detector);
- peak memory (tracemalloc peak of Python allocations, and the process's max RSS);
- the median end-to-end time for a 5,000-character document (warm: dictionary loaded);
- the one-off cold start of the typo detector (loading jieba's dictionary and wordfreq's list).

Run: python bench/proofread_bench.py [--chars 1000000] [--runs 5]
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongshu.proofread import proofread  # noqa: E402

SENTENCES = [
    "各区县、各部门要深入贯彻落实党中央、国务院决策部署，切实加强组织领导，确保各项任务落到实处。",
    "2026年上半年，全市地区生产总值同比增长5.6%，规模以上工业增加值增长6.8%。",
    "要坚持人民至上、生命至上，统筹发展和安全，全面排查整治各类安全隐患。",
    "市政府办公室要会同有关部门加强督促检查，于6月30日前将落实情况报送市政府。",
    "全县GDP同比增长5.2%，城乡居民人均可支配收入达到3.6万元，新建5G基站1200个。",
    "要深化“放管服”改革，持续优化营商环境，推动政务服务事项“一网通办”。",
    "严格执行《党政机关公文处理工作条例》，确保公文内容准确、格式规范。",
    "森林覆盖率稳定在63%～68%之间，2021—2025年累计完成造林面积12.6万亩。",
]
ERRORS = [
    "经研究,决定召开全市工作会议.", "定于2026年06月05号召开。", "全县ＧＤＰ增长１２％。",
    "各 单位要按时报送 。", "要一股作气完成任务。", "市政府做出重要部署。", "要认真的贯彻落实。",
]


def make_text(n_chars: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    parts, size = [], 0
    while size < n_chars:
        s = rnd.choice(ERRORS) if rnd.random() < 0.05 else rnd.choice(SENTENCES)
        if rnd.random() < 0.15:
            s += "\n"
        parts.append(s)
        size += len(s)
    return "".join(parts)[:n_chars]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cold_starts() -> tuple[float, float]:
    """First typo-enabled call: with an empty index cache (build + store), then loading the cache."""
    import os
    import tempfile

    from zhongshu.proofread import context, stat, typo

    saved = os.environ.get("ZHONGSHU_CACHE_DIR")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ZHONGSHU_CACHE_DIR"] = tmp
        try:
            for _ in range(2):
                stat.detector.cache_clear()
                context.model.cache_clear()
                typo.matcher.cache_clear()
                t0 = time.perf_counter()
                proofread("预热。", typo=True)
                out.append(time.perf_counter() - t0)
        finally:
            if saved is None:
                os.environ.pop("ZHONGSHU_CACHE_DIR", None)
            else:
                os.environ["ZHONGSHU_CACHE_DIR"] = saved
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    text = make_text(args.chars)
    doc = make_text(5000, seed=11)

    cold, cold_cached = cold_starts()

    # Timings without tracemalloc (it slows Python allocation down several times).
    t_rules = median_time(lambda: proofread(text, typo=False), args.runs)
    t_typo = median_time(lambda: proofread(text, typo=True), args.runs)
    t_doc = median_time(lambda: proofread(doc, typo=True), max(args.runs * 4, 20))

    # Memory: fresh detector and context-model builds plus one full run, traced.
    from zhongshu.proofread import context, stat, typo

    stat.detector.cache_clear()
    context.model.cache_clear()
    typo.matcher.cache_clear()
    tracemalloc.start()
    proofread(text, typo=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n = len(text)
    print(f"text: {n:,} characters (generated), runs: {args.runs}, median timings, single core")
    print(f"rules only (typo=False):   {n / t_rules:,.0f} chars/s   ({t_rules * 1000:.0f} ms)")
    print(f"with typo detector:        {n / t_typo:,.0f} chars/s   ({t_typo * 1000:.0f} ms)")
    print(f"5,000-char document, end to end (warm): {t_doc * 1000:.1f} ms")
    print(f"typo detector cold start (first call): {cold:.2f} s building from jieba's dictionary and wordfreq, "
          f"{cold_cached:.2f} s loading the on-disk index cache")
    print(f"peak memory: tracemalloc {peak / 2**20:.0f} MB, max RSS {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
