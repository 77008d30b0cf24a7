"""Context check for misspellings that the variant index (:mod:`.stat`) does not cover.

A misspelt character usually stands alone in its sentence: it forms no word with either
neighbour ("我跟我朋唷打算": 唷 is neither in "朋唷" nor in "唷打").  Such a character is
*suspicious*; every confusable replacement (same or near pinyin from ``data/homophones.txt``,
the hand-written look-alike/homophone groups and the pairs of the curated list) that forms a
frequent word with its neighbours is scored by a word language model over a window of up to
three characters each side: the best segmentation of the window into dictionary words
(unigram model) with the replacement against the window as written.  The replacement is
suggested when its log-probability gain reaches ``MARGIN`` (``MARGIN + WEAK_EXTRA`` for a pair
that comes only from pronunciation).

The word model combines two frequency lists shipped inside packages (nothing is downloaded):
jieba's ``dict.txt`` and wordfreq's Chinese list (``large``; built from Wikipedia, subtitles,
news, books …).  The frequency of a word is the geometric mean of the two (a list that lacks
the word counts 0.5), so a word must be common in both sources to drive a correction; when
wordfreq is not installed, jieba's counts are used alone.

Cheap by construction: two dictionary probes per character decide whether it is suspicious
(on clean official text about one character in ten), the candidates come from set
intersections with precomputed "characters that complete a word with this neighbour" tables,
and the window is scored only for the few candidates that form a word.

Thresholds were tuned on the even lines of the SIGHAN-2015 test set (the odd lines held out)
under the false-alarm budget on the project's clean documents (see docs/proofread.md).
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources

from . import lexicon, stat
from .text import ZH_CHAR_SET

# A bigram with a neighbour at least this frequent (combined count) explains the character.
GATE_FREQ = 5
# The word a replacement forms with its neighbours must be at least this frequent.
MIN_WORD_FREQ = 1000
# Required log-probability gain of the window; pronunciation-only pairs need WEAK_EXTRA more.
MARGIN = 4.0
WEAK_EXTRA = 1.0
# Characters of context on each side of the suspicious character.
WINDOW = 3
# Words kept in the model: combined count at least this.
KEEP = 2
# The run of Chinese characters around the suspicious one (window) must be at least this long.
MIN_RUN = 4
# Count given to each phrase of data/official_phrases.txt (common 公文 expressions and
# abbreviations such as 放管服, 提质增效, 风清气正, which the general lists lack).
PHRASE_COUNT = 3000

_ADMIN = frozenset("省市县区乡镇村州盟旗")
# A word at least this frequent after 市/县/区 … is taken for (the start of) an organ's name.
ADMIN_NAME_FREQ = 20
# In "0" + flags + "0" (see scan): a point between two "0" flags, i.e. a character whose left and
# right bigrams are both unknown (a missing bigram at either end of the text counts as unknown).
_SUSPECT_RE = re.compile(r"(?<=0)(?=0)")

_LOCK = threading.Lock()
CACHE_FORMAT = 2


class ContextModel:
    def __init__(self, freqs: dict[str, int], cands: dict[str, str], strong: dict[str, str]):
        self.freqs = freqs
        self.log_total = math.log(sum(freqs.values()) or 1)
        self.cands = {c: frozenset(s) for c, s in cands.items()}
        self.strong = {c: frozenset(s) for c, s in strong.items()}
        r2: dict[str, set[str]] = {}
        l2: dict[str, set[str]] = {}
        m3: dict[str, set[str]] = {}
        r3: dict[str, set[str]] = {}
        l3: dict[str, set[str]] = {}
        for w, f in freqs.items():
            if f < MIN_WORD_FREQ:
                continue
            if len(w) == 2:
                r2.setdefault(w[0], set()).add(w[1])
                l2.setdefault(w[1], set()).add(w[0])
            elif len(w) == 3:
                m3.setdefault(w[0] + w[2], set()).add(w[1])
                r3.setdefault(w[:2], set()).add(w[2])
                l3.setdefault(w[1:], set()).add(w[0])
        # Bigrams frequent enough to explain both their characters (the gate of scan()).
        self.bigrams = frozenset(w for w, f in freqs.items() if len(w) == 2 and f >= GATE_FREQ)
        self.r2 = {k: frozenset(v) for k, v in r2.items()}
        self.l2 = {k: frozenset(v) for k, v in l2.items()}
        self.m3 = {k: frozenset(v) for k, v in m3.items()}
        self.r3 = {k: frozenset(v) for k, v in r3.items()}
        self.l3 = {k: frozenset(v) for k, v in l3.items()}

    def logp(self, s: str) -> float:
        """Log-probability of the best split of ``s`` into words (unknown characters count 1)."""
        return self.segment(s)[0]

    def segment(self, s: str) -> tuple[float, list[int]]:
        """(log-probability, token end offsets) of the best split of ``s`` into words."""
        freqs = self.freqs
        lt = self.log_total
        n = len(s)
        best = [0.0] + [-math.inf] * n
        back = [0] * (n + 1)
        for j in range(1, n + 1):
            for i in range(max(0, j - 4), j):
                f = freqs.get(s[i:j], 0)
                if f == 0:
                    if j - i > 1:
                        continue
                    f = 1
                v = best[i] + math.log(f) - lt
                if v > best[j]:
                    best[j] = v
                    back[j] = i
        ends = []
        j = n
        while j > 0:
            ends.append(j)
            j = back[j]
        return best[n], ends[::-1]

    def _steals(self, w: str, w2: str, p: int) -> bool:
        """True when the word that the replacement forms takes a character from a frequent word
        that does not need the replaced one ("会同市数据局": 同时 would take 同 from 会同)."""
        _, ends = self.segment(w2)
        start = 0
        for end in ends:
            if start <= p < end:
                break
            start = end
        freqs = self.freqs
        for q in range(start, end):
            if q == p:
                continue
            for a in range(max(0, q - 3), q + 1):
                for b in range(q + 1, min(len(w), a + 4) + 1):
                    if b - a >= 2 and not (a <= p < b) and freqs.get(w[a:b], 0) >= MIN_WORD_FREQ:
                        return True
        return False

    def scan(self, t: str, skip: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[int, str, float]]:
        """Yield (offset, replacement character, log gain) for each suspicious character fixed."""
        freqs = self.freqs
        cands = self.cands
        empty: frozenset[str] = frozenset()
        r2, l2, m3, r3, l3 = self.r2, self.l2, self.m3, self.r3, self.l3
        n = len(t)
        if n < 2:
            return
        # One set probe per position: '1' where t[k:k+2] is a known bigram.  A character is
        # suspicious when neither the bigram on its left nor the one on its right is known.
        bigrams = self.bigrams
        flags = "".join(["1" if t[k:k + 2] in bigrams else "0" for k in range(n - 1)])
        for m in _SUSPECT_RE.finditer("0" + flags + "0"):
            i = m.start() - 1  # character i: its left bigram (flags[i-1]) and right one (flags[i]) unknown
            c = t[i]
            cs = cands.get(c)
            if cs is None:
                continue
            x = t[i - 1] if i > 0 and t[i - 1] in ZH_CHAR_SET else ""
            y = t[i + 1] if i + 1 < n and t[i + 1] in ZH_CHAR_SET else ""
            if not x and not y:
                continue
            if skip and any(a <= i < b for a, b in skip):
                continue
            found: set[str] = set()
            if x:
                found |= cs & r2.get(x, empty)
                if i > 1 and t[i - 2] in ZH_CHAR_SET:
                    found |= cs & r3.get(t[i - 2:i], empty)
            if y:
                found |= cs & l2.get(y, empty)
                if i + 2 < n and t[i + 2] in ZH_CHAR_SET:
                    found |= cs & l3.get(t[i + 1:i + 3], empty)
            if x and y:
                found |= cs & m3.get(x + y, empty)
            if not found:
                continue
            a = i
            while a > 0 and i - a < WINDOW and t[a - 1] in ZH_CHAR_SET:
                a -= 1
            b = i + 1
            while b < n and b - i <= WINDOW and t[b] in ZH_CHAR_SET:
                b += 1
            if b - a < MIN_RUN:
                continue  # too little context (table headers, short labels)
            if "联系人" in t[max(0, i - 6):i]:
                continue  # a person's name
            if (x and stat._parallel(t, i - 1, 2)) or (y and stat._parallel(t, i, 2)):
                continue  # an item of an enumeration sharing its first character (逐栋、逐层、逐间)
            if c in _ADMIN and y and any(freqs.get(t[i + 1:i + k], 0) >= ADMIN_NAME_FREQ for k in (3, 4, 5)):
                continue  # 市林业局, 县教育局: an administrative level before an organ's name
            w = t[a:b]
            p = i - a
            base = self.logp(w)
            strong = self.strong.get(c, empty)
            best = None
            for c2 in sorted(found):
                gain = self.logp(w[:p] + c2 + w[p + 1:]) - base
                need = MARGIN if c2 in strong else MARGIN + WEAK_EXTRA
                if gain >= need and (best is None or gain > best[1]):
                    best = (c2, gain)
            if best is not None and not self._steals(w, w[:p] + best[0] + w[p + 1:], p):
                yield i, best[0], best[1]


def _combined_freqs() -> dict[str, int]:
    jieba_freqs, total = lexicon.full_freqs()
    try:
        import wordfreq
        # Buckets of words by frequency in centibels (bucket i: 10 ** (-i / 100)); walking them
        # avoids a second 300,000-entry dictionary in memory.
        buckets = wordfreq.get_frequency_list("zh", wordlist="large")
        wordfreq.get_frequency_list.cache_clear()  # wordfreq would keep the whole list for the process
    except Exception:  # wordfreq missing or its data unreadable: jieba alone
        return {w: f for w, f in jieba_freqs.items() if len(w) <= 4 and f >= KEEP}
    out: dict[str, int] = {}
    for k, bucket in enumerate(buckets):
        fw = max(10 ** (-k / 100) * total, 0.5)
        for w in bucket:
            if len(w) > 4 or w in out or not all(ch in ZH_CHAR_SET for ch in w):
                continue
            v = int(math.sqrt(max(jieba_freqs.get(w, 0), 0.5) * fw))
            if v >= KEEP:
                out[w] = v
    # Words wordfreq lacks (or has below KEEP: then this smaller value is below KEEP too).
    for w, f in jieba_freqs.items():
        if len(w) > 4 or w in out or not all(ch in ZH_CHAR_SET for ch in w):
            continue
        v = int(math.sqrt(max(f, 0.5) * 0.5))
        if v >= KEEP:
            out[w] = v
    return out


def _official_phrases() -> list[str]:
    data = resources.files(__package__).joinpath("data/official_phrases.txt").read_text(encoding="utf-8")
    out: list[str] = []
    for raw in data.splitlines():
        line = raw.split("#", 1)[0].strip()
        out.extend(p for p in line.split() if p)
    return out


def _with_phrases(freqs: dict[str, int]) -> dict[str, int]:
    """Add the official phrases (and their 2-4 character pieces that are not words yet, so that
    a phrase longer than four characters still explains its characters)."""
    for ph in _official_phrases():
        for L in range(2, min(4, len(ph)) + 1):
            for k in range(len(ph) - L + 1):
                piece = ph[k:k + L]
                if len(ph) == L or piece not in freqs:
                    freqs[piece] = max(freqs.get(piece, 0), PHRASE_COUNT if len(ph) == L else GATE_FREQ)
    return freqs


def _candidates() -> tuple[dict[str, str], dict[str, str]]:
    from .typo import raw_confusions

    strong = stat._confusable_pairs(stat._pairs_from_list(raw_confusions()))
    homo = stat._homophones()
    cands = {c: "".join(sorted(strong.get(c, set()) | homo.get(c, set())))
             for c in set(strong) | set(homo)}
    return cands, {c: "".join(sorted(s)) for c, s in strong.items()}


def build_parts() -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """(word counts, candidates per character, curated candidates per character): seconds, once."""
    freqs = _with_phrases(_combined_freqs())
    cands, strong = _candidates()
    return freqs, cands, strong


@lru_cache(maxsize=1)
def model() -> ContextModel:
    """The process-wide model: loaded from the on-disk cache, else built (and cached)."""
    with _LOCK:
        key = _cache_key()
        cached = stat.cache_load("context", key, 3) if key else None
        if cached is not None:
            return ContextModel(*cached)
        parts = build_parts()
        lexicon.release()  # the full jieba table is no longer needed
        if key:
            stat.cache_store("context", key, parts)
        return ContextModel(*parts)


# ---- on-disk cache (stat.cache_load/cache_store: marshal, atomic rename, keyed by every input) ----

def _wordfreq_version() -> str:
    try:
        from importlib.metadata import version
        return version("wordfreq")
    except Exception:
        return "-"


def _cache_key() -> str | None:
    try:
        st = os.stat(lexicon.dict_path())
        h = hashlib.sha256()
        for name in ("data/confusions.txt", "data/confusable_chars.txt", "data/homophones.txt",
                     "data/official_phrases.txt"):
            h.update(resources.files(__package__).joinpath(name).read_bytes())
        h.update(repr((CACHE_FORMAT, sys.version_info[:2], st.st_size, st.st_mtime_ns, _wordfreq_version(),
                       KEEP, PHRASE_COUNT, GATE_FREQ)).encode())
        return h.hexdigest()[:32]
    except (OSError, RuntimeError):
        return None
