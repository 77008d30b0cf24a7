"""Text rules: heading levels, Chinese line breaking (避头尾) on a character grid, title wrapping."""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence

NO_START = set("。，、；：？！）》”’〕】〉」』…—·%.,;:?!)]}℃")   # never at the start of a line
NO_END = set("（《“‘〔【〈「『([{")                              # never at the end of a line
_WORD = re.compile(r"[0-9A-Za-z.%\-/@_]")

HEADING_RE = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
)
HEADING_ROLE = {1: "hei", 2: "kai", 3: "fang", 4: "fang"}


def heading_level(par: str) -> int:
    for level, rx in HEADING_RE:
        if rx.match(par):
            return level
    return 0


def paragraph_runs(par: str) -> list[tuple[str, str]]:
    """(text, font role) runs of a body paragraph: a heading sentence gets its level's font."""
    level = heading_level(par)
    role = HEADING_ROLE.get(level, "fang")
    if role == "fang":
        return [(par, "fang")]
    end = par.find("。")
    if end < 0 or end == len(par) - 1:
        return [(par, role)]
    return [(par[: end + 1], role), (par[end + 1:], "fang")]


OPENING = set("（《“‘〔【〈「『")          # blank left half: squeezed by moving the glyph left
CLOSING = set("。，、；：）》”’〕】〉」』")   # blank right half: squeezed by shortening the advance
MAX_TIGHTEN = 0.06                     # at most this fraction of the type size taken from each gap


def _breakable(chars: Sequence[str], k: int) -> bool:
    """May a line end before ``chars[k]`` (避头尾, whole numbers/words, unbroken ——/……)?"""
    a, b = chars[k - 1], chars[k]
    if b in NO_START or a in NO_END:
        return False
    if _WORD.match(a) and _WORD.match(b):
        return False
    return not (a == b and b in "—…")


def set_lines(chars: Sequence[str], widths: Sequence[float], squeeze: Sequence[float], first: float,
              rest: float, size: float) -> list[tuple[int, int, list[float]]]:
    """Break and justify a paragraph like Word's document grid: ``(start, end, xs)`` per line.

    ``widths`` are the advances of ``chars`` on the grid, ``squeeze`` how much each may give up
    (half a full-width mark); ``xs`` are the glyph origins from the line's start.  Every line but
    the last is flush on both sides.  避头尾 is met first by pulling the next characters in and
    squeezing marks (then, a little, every gap), and only when that is not enough by pushing
    characters out and spreading the rest; a full line of Chinese text never holds fewer than
    the 28 characters of the grid on account of a mark.
    """
    n = len(chars)
    out: list[tuple[int, int, list[float]]] = []
    start, avail = 0, first
    while start < n:
        w, k = 0.0, start
        while k < n and w + widths[k] <= avail + 0.01:
            w += widths[k]
            k += 1
        if k >= n:
            xs, x = [], 0.0
            for i in range(start, n):
                xs.append(x)
                x += widths[i]
            out.append((start, n, xs))
            break
        end = k if k > start and _breakable(chars, k) else None
        if end is None:
            for kk in range(k + 1, min(n, k + 3) + 1):
                if kk < n and not _breakable(chars, kk):
                    continue
                need = sum(widths[start:kk]) - avail
                room = sum(squeeze[i] for i in range(start + 1, kk - 1)) + MAX_TIGHTEN * size * (kk - start - 1)
                if need <= room:
                    end = kk
                break
        if end is None:
            end = next((kk for kk in range(k - 1, start, -1) if _breakable(chars, kk)), max(k, start + 1))
        out.append((start, end, _justify(chars, widths, squeeze, start, end, avail)))
        start, avail = end, rest
    return out


def _justify(chars: Sequence[str], widths: Sequence[float], squeeze: Sequence[float], a: int, b: int,
             avail: float) -> list[float]:
    natural = sum(widths[a:b])
    gaps = max(b - a - 1, 1)
    adv = list(widths[a:b])
    shift = [0.0] * (b - a)
    extra = avail - natural
    if extra < 0:                                   # squeeze the marks inside the line, then the gaps
        inner = range(1, b - a - 1)
        total = sum(squeeze[a + i] for i in inner)
        r = min(1.0, -extra / total) if total else 0.0
        for i in inner:
            cut = squeeze[a + i] * r
            adv[i] -= cut
            if chars[a + i] in OPENING:
                shift[i] = -cut
        extra += total * r
    per = extra / gaps if b - a > 1 else 0.0
    xs, x = [], 0.0
    for i in range(b - a):
        xs.append(x + shift[i])
        x += adv[i] + per
    return xs


def title_lines(title: str, doc_type: str, width: Callable[[str], float], max_w: float) -> list[str]:
    """Wrap the 标题 into balanced lines that form a trapezoid (longer lines at the bottom).

    An explicit "\\n" in the title is kept as the author's break.  Otherwise breaks are chosen
    at natural joints (before/after 关于, before 的+文种, after 、，》, before 《) and never
    inside a number or against 避头尾.
    """
    if "\n" in title:
        return [p for p in (s.strip() for s in title.split("\n")) if p]
    if width(title) <= max_w:
        return [title]
    n = len(title)
    cost = [_break_cost(title, p, doc_type) for p in range(n + 1)]
    lines = max(2, math.ceil(width(title) / max_w))
    for count in range(lines, lines + 3):
        best: tuple[float, tuple[int, ...]] | None = None
        cands = [p for p in range(1, n) if cost[p] < math.inf]
        for breaks in itertools.combinations(cands, count - 1):
            bounds = (0, *breaks, n)
            parts = [title[a:b] for a, b in itertools.pairwise(bounds)]
            ws = [width(p) for p in parts]
            if max(ws) > max_w:
                continue
            c = sum(cost[p] for p in breaks)
            mean = sum(ws) / len(ws)
            c += sum(((w - mean) / max_w) ** 2 for w in ws) * 40
            if any(b < a - 1 for a, b in itertools.pairwise(ws)):   # not a 正梯形 / 菱形
                c += 3
            if best is None or c < best[0]:
                best = (c, breaks)
        if best is not None:
            bounds = (0, *best[1], n)
            return [title[a:b] for a, b in itertools.pairwise(bounds)]
    return [title]


def _break_cost(t: str, p: int, doc_type: str) -> float:
    if p <= 0 or p >= len(t):
        return 0.0
    a, b = t[p - 1], t[p]
    if b in NO_START or a in NO_END or (_WORD.match(a) and _WORD.match(b)):
        return math.inf
    if t.startswith("关于", p) or t[:p].endswith("关于"):
        return 0.0
    suffix = doc_type.replace("（令）", "")
    if t[p:] in (f"的{suffix}", suffix) or t[p:].startswith("的") and t.endswith(suffix) and len(t) - p <= 6:
        return 0.5
    if a in "、，》" or b == "《":
        return 0.3
    if t.startswith(("印发", "转发", "批转"), p):
        return 0.5
    return 4.0
