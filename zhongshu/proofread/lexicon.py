"""Word-frequency data from jieba's bundled dictionary, loaded lazily once per process.

jieba ships ``dict.txt`` (about 350,000 words with corpus frequencies) inside its
wheel, so nothing is downloaded at run time.  Only what the detectors need is kept
after loading: the full table is dropped once the variant index is built.
"""
from __future__ import annotations

import math
import os
import threading
from functools import lru_cache

_LOCK = threading.Lock()


def dict_path() -> str:
    """Path of jieba's bundled dict.txt (located without importing jieba's tokenizer)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.origin:
        raise RuntimeError("jieba is not installed")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


@lru_cache(maxsize=1)
def full_freqs() -> tuple[dict[str, int], int]:
    """All words of jieba's dictionary with their frequency, and the total count."""
    freqs: dict[str, int] = {}
    total = 0
    with open(dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) < 2:
                continue
            w = parts[0]
            try:
                f = int(parts[1])
            except ValueError:
                continue
            freqs[w] = f
            total += f
    return freqs, total


def best_segmentation_logp(s: str, freqs: dict[str, int], log_total: float) -> float:
    """Log-probability of the best split of ``s`` into dictionary words (unigram model).

    Characters missing from the dictionary get frequency 1, so an unknown string
    scores very low; this is what makes a one-character variant of a frequent word
    stand out.
    """
    n = len(s)
    best = [0.0] + [-math.inf] * n
    for j in range(1, n + 1):
        for i in range(max(0, j - 4), j):
            w = s[i:j]
            f = freqs.get(w, 0)
            if f == 0:
                if j - i > 1:
                    continue
                f = 1
            v = best[i] + math.log(f) - log_total
            if v > best[j]:
                best[j] = v
    return best[n]


def release() -> None:
    """Drop the full table (tests and the benchmark use this to measure cold start)."""
    with _LOCK:
        full_freqs.cache_clear()
