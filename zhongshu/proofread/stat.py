"""Statistical detector for misspellings that are not on the curated list.

Idea: a real word written with one wrong character is (a) absent or very rare in
jieba's dictionary, (b) one *confusable* character away from a frequent word, and
(c) much less probable, under a unigram word model, than that word.  We index such
variants ahead of time: for every frequent 2-4 character word and every position,
each confusable replacement (homophones and look-alikes from
``data/confusable_chars.txt`` plus the pairs implied by the curated list, and same or
near pronunciations from ``data/homophones.txt`` under stricter thresholds) that is
not itself a common word becomes a key pointing back to the right word.  Scanning a
text is then a dictionary lookup per position.  Precision is protected by
thresholds on the word's frequency, on the probability ratio, and by a context
guard that drops hits whose suspicious character forms a common word with a
neighbour outside the window.
"""
from __future__ import annotations

import contextlib
import hashlib
import marshal
import math
import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import lexicon
from .text import ZH_CHAR_SET

# Minimum frequency of the intended word, by length (2-char words are the riskiest).
MIN_FREQ = {2: 1000, 3: 200, 4: 30}
# Minimum log-ratio P(word) / P(best split of the variant).
MIN_LOG_RATIO = {2: math.log(1500), 3: math.log(500), 4: math.log(100)}
# Pronunciation-only candidates (data/homophones.txt, not on the curated confusable list) are
# many: they need a more frequent intended word and a larger probability ratio.
# Tuned on SIGHAN-2015 against the clean-corpus false-alarm budget: 1000/200/0 gives 3.0 false
# alarms per 10,000 clean characters, 2000/300/0.5 none (see docs/proofread.md).
HOMO_MIN_FREQ = {2: 2000, 3: 300, 4: 100}
HOMO_EXTRA_LOG_RATIO = 0.5
# Neighbour words at least this frequent explain the suspicious character away.
GUARD_FREQ = 30
# Kept for the guards and the confusion list: words of 2-4 characters this frequent.
KEEP_FREQ = 20

_LOCK = threading.Lock()


@dataclass
class Detector:
    variants: dict[str, tuple[str, int]]  # variant -> (intended word, position of the changed char)
    words: dict[str, int]  # frequent 2-4 character words
    auto_exceptions: dict[str, list[str]]
    prefixes: frozenset[str] = frozenset()  # first two characters of every variant

    def __post_init__(self):
        self.prefixes = frozenset(v[:2] for v in self.variants)

    def scan(self, t: str, skip: Sequence[tuple[int, int]] = ()):
        """Yield (start, end, intended word, replacement char, offset of changed char).

        ``skip`` holds spans not to look at (e.g. the organ code of a 发文字号).
        """
        variants = self.variants
        words = self.words
        prefixes = self.prefixes
        n = len(t)
        i = 0
        while i < n - 1:
            if t[i:i + 2] not in prefixes:
                i += 1
                continue
            if skip and any(x <= i < y for x, y in skip):
                i += 1
                continue
            hit = None
            for L in (4, 3, 2):
                v = t[i:i + L]
                r = variants.get(v)
                if r is not None:
                    hit = (L, v, r)
                    break
            if hit is None:
                i += 1
                continue
            L, v, (word, pos) = hit
            p = i + pos
            if self._explained(t, i, i + L, p, words) or (pos > 0 and _parallel(t, i, L)):
                i += 1
                continue
            yield p, p + 1, word, word[pos], pos
            i += L

    @staticmethod
    def _explained(t: str, a: int, b: int, p: int, words: dict[str, int]) -> bool:
        """True when the window [a, b) is unlikely to be one word as written.

        A common word that crosses the window's edge ("落实市人大": 落实 crosses the
        left edge of 实市) means the text segments differently, and a common word
        around the changed character ("在次日" = 在 + 次日) explains that character.
        """
        n = len(t)
        for L in (2, 3, 4):
            # words crossing the left edge: start before a, end inside (a, b]
            for s in range(max(0, a - L + 1), a):
                e = s + L
                if e > a and e <= n and words.get(t[s:e], 0) >= GUARD_FREQ:
                    return True
            # words crossing the right edge: start inside [a, b), end after b
            for s in range(max(a, b - L + 1), b):
                e = s + L
                if e > b and e <= n and words.get(t[s:e], 0) >= GUARD_FREQ:
                    return True
        # The whole window sits inside a longer common word.
        for s in range(max(0, a - 2), a + 1):
            for e in range(b, min(n, b + 2) + 1):
                if (s, e) != (a, b) and words.get(t[s:e], 0) >= GUARD_FREQ:
                    return True
        return False


def _parallel(t: str, i: int, L: int) -> bool:
    """An item of an enumeration whose items share their first character ("逐栋、逐层、逐间"):
    the window is one of a series, not a misspelt word."""
    c = t[i]
    if i >= 3 and t[i - 1] == "、" and c in t[max(0, i - 6):i - 1]:
        return True
    j = i + L
    return j + 1 < len(t) and t[j] == "、" and t[j + 1] == c


def _homophones() -> dict[str, set[str]]:
    """Same pronunciation (toneless pinyin; generated from pypinyin by tools/gen_homophones.py)."""
    conf: dict[str, set[str]] = {}
    homo = resources.files(__package__).joinpath("data/homophones.txt").read_text(encoding="utf-8")
    for raw in homo.splitlines():
        if raw.startswith("#") or "\t" not in raw:
            continue
        group = [c for c in raw.split("\t", 1)[1] if c in ZH_CHAR_SET]
        for c in group:
            conf.setdefault(c, set()).update(x for x in group if x != c)
    return conf


def _confusable_pairs(extra_pairs) -> dict[str, set[str]]:
    conf: dict[str, set[str]] = {}
    data = resources.files(__package__).joinpath("data/confusable_chars.txt").read_text(encoding="utf-8")
    for raw in data.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        group = [c for c in line if c in ZH_CHAR_SET]
        for c in group:
            conf.setdefault(c, set()).update(x for x in group if x != c)
    for a, b in extra_pairs:
        conf.setdefault(a, set()).add(b)
        conf.setdefault(b, set()).add(a)
    return conf


def _pairs_from_list(entries) -> list[tuple[str, str]]:
    pairs = []
    for wrong, right, _exc, _sure in entries:
        if len(wrong) == len(right):
            diff = [(a, b) for a, b in zip(wrong, right, strict=True) if a != b]
            if len(diff) == 1:
                pairs.append(diff[0])
    return pairs


def build() -> Detector:
    """Build the variant index from jieba's dictionary (about a second, once per process)."""
    from .typo import raw_confusions

    entries = raw_confusions()
    freqs, total = lexicon.full_freqs()
    log_total = math.log(total)
    conf = _confusable_pairs(_pairs_from_list(entries))
    homo = _homophones()
    listed = {w for w, *_ in entries}
    variants: dict[str, tuple[str, int]] = {}
    char_lp = {w: math.log(f) - log_total for w, f in freqs.items() if len(w) == 1 and f > 0}
    for w, f in freqs.items():
        L = len(w)
        if L < 2 or L > 4 or f < MIN_FREQ[L]:
            continue
        if not all(c in ZH_CHAR_SET for c in w):
            continue
        lp_word = math.log(f) - log_total
        homo_ok = f >= HOMO_MIN_FREQ[L]
        for pos, c in enumerate(w):
            strong = conf.get(c, set())
            subs = strong | homo.get(c, set()) if homo_ok else strong
            if not subs:
                continue
            if L > 2 and ((pos > 0 and w[pos - 1] == c) or (pos + 1 < L and w[pos + 1] == c)):
                continue  # 大大的 → 太大的 undoes a reduplication: a different expression, not a typo
            for s in subs:
                weak = s not in strong
                v = w[:pos] + s + w[pos + 1:]
                if v in listed:
                    continue  # the curated list reports it with a better message
                fv = freqs.get(v, 0)
                if fv * 30 > f or fv >= 200:
                    continue  # the variant is a word in its own right
                # Splitting into single characters is one segmentation, so it bounds the
                # best one from below: skip the DP when even that bound fails the test.
                if lp_word - sum(char_lp.get(ch, -log_total) for ch in v) < MIN_LOG_RATIO[L]:
                    continue
                ratio = lp_word - lexicon.best_segmentation_logp(v, freqs, log_total)
                if ratio < MIN_LOG_RATIO[L] + (HOMO_EXTRA_LOG_RATIO if weak else 0.0):
                    continue
                old = variants.get(v)
                if old is None or freqs.get(old[0], 0) < f:
                    variants[v] = (w, pos)
    words = {w: f for w, f in freqs.items() if 2 <= len(w) <= 4 and f >= KEEP_FREQ}
    # Frequent longer words that contain a listed wrong form are contexts where it is right.
    auto: dict[str, list[str]] = {}
    lens = sorted({len(w) for w in listed})
    for w, f in freqs.items():
        if f < 30 or len(w) < 3:
            continue
        for L in lens:
            if len(w) <= L:
                break
            for k in range(len(w) - L + 1):
                sub = w[k:k + L]
                if sub in listed:
                    auto.setdefault(sub, []).append(w)
    return Detector(variants, words, auto)


@lru_cache(maxsize=1)
def detector() -> Detector:
    """The process-wide detector: loaded from the on-disk cache, else built (and cached)."""
    with _LOCK:
        key = _cache_key()
        parts = cache_load("index", key, 3) if key else None
        if parts is not None:
            return Detector(*parts)
        d = build()
        lexicon.release()  # the full table is no longer needed
        if key:
            cache_store("index", key, (d.variants, d.words, d.auto_exceptions))
        return d


# ---- on-disk cache of the built index --------------------------------------------------------
# Building the index from jieba's dictionary takes seconds; loading it back takes a fraction of
# that, so CLI runs and new worker processes start fast.  The file is written with ``marshal``
# (plain dicts, tuples and strings only): unlike pickle, loading it cannot run code, and it is
# faster.  marshal's format depends on the Python version, which is therefore part of the key,
# with everything else the index depends on: jieba's dict.txt (size, mtime), the data files,
# the thresholds and a format version.  Anything unreadable or stale is rebuilt silently.
CACHE_FORMAT = 2


def cache_dir() -> str | None:
    """``$ZHONGSHU_CACHE_DIR`` (set it empty to switch the cache off), else ``~/.cache/zhongshu``."""
    env = os.environ.get("ZHONGSHU_CACHE_DIR")
    if env is not None:
        return env or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "zhongshu")


def _cache_key() -> str | None:
    try:
        st = os.stat(lexicon.dict_path())
        h = hashlib.sha256()
        for name in ("data/confusions.txt", "data/confusable_chars.txt", "data/homophones.txt"):
            h.update(resources.files(__package__).joinpath(name).read_bytes())
        h.update(repr((CACHE_FORMAT, sys.version_info[:2], st.st_size, st.st_mtime_ns, MIN_FREQ,
                       MIN_LOG_RATIO, KEEP_FREQ, HOMO_MIN_FREQ, HOMO_EXTRA_LOG_RATIO)).encode())
        return h.hexdigest()[:32]
    except (OSError, RuntimeError):
        return None


def _cache_prefix(kind: str) -> str:
    # Per Python version, so two interpreters sharing a cache directory do not evict each other.
    return f"proofread-{kind}-py{sys.version_info[0]}{sys.version_info[1]}-"


def cache_load(kind: str, key: str, parts: int) -> tuple | None:
    """The ``parts`` dicts stored for ``key`` under ``kind`` ("index", "context"), or None (missing, stale, truncated,
    foreign: the caller rebuilds). One scheme for every derived structure of the engine: marshal (cannot run code),
    keyed by every input, one file per kind and Python version."""
    d = cache_dir()
    if not d:
        return None
    try:
        with open(os.path.join(d, f"{_cache_prefix(kind)}{key}.bin"), "rb") as fh:
            data = marshal.loads(fh.read())  # noqa: S302 — our own file; marshal cannot run code
        if not (isinstance(data, tuple) and len(data) == parts + 1 and data[0] == key):
            return None
        if not all(isinstance(x, dict) for x in data[1:]):
            return None
        return data[1:]
    except Exception:  # a truncated or foreign file: rebuild
        return None


def cache_store(kind: str, key: str, parts: tuple) -> None:
    """Write ``parts`` atomically (a concurrent reader sees the old file or the whole new one) and drop the files of
    older inputs of the same kind. Failure is silent: the cache is only an optimisation."""
    d = cache_dir()
    if not d:
        return
    path = os.path.join(d, f"{_cache_prefix(kind)}{key}.bin")
    tmp = None
    try:
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".proofread-{kind}-", dir=d)
        with os.fdopen(fd, "wb") as fh:
            marshal.dump((key, *parts), fh)
        os.replace(tmp, path)
        tmp = None
        for old in os.listdir(d):
            if old.startswith(_cache_prefix(kind)) and old != os.path.basename(path):
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(d, old))
    except Exception:  # noqa: S110 — read-only home, full disk …
        pass
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.remove(tmp)
