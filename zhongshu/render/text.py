"""Text rules: heading levels, Chinese line breaking (避头尾) on a character grid, title wrapping."""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence

NO_START = set("。，、；：？！）》”’〕】〉」』…—·%.,;:?!)]}℃")   # never at the start of a line
NO_END = set("（《“‘〔【〈「『([{")                              # never at the end of a line
_WORD = re.compile(r"[0-9A-Za-z.%\-/]")

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


def break_lines(chars: Sequence[str], widths: Sequence[float], first: float, rest: float) -> list[tuple[int, int]]:
    """Greedy line breaking with 避头尾: ``(start, end)`` index pairs of each line.

    ``widths`` are the advances of ``chars``; ``first``/``rest`` the available widths.
    """
    n = len(chars)
    out: list[tuple[int, int]] = []
    start = 0
    avail = first
    while start < n:
        w = 0.0
        k = start
        while k < n and w + widths[k] <= avail + 0.01:
            w += widths[k]
            k += 1
        if k < n:
            k = _adjust(chars, start, k)
        out.append((start, k))
        start = k
        avail = rest
    return out


def _adjust(chars: Sequence[str], start: int, k: int) -> int:
    orig = k
    for _ in range(4):
        moved = False
        if k - 1 > start and chars[k] in NO_START:
            k -= 1
            moved = True
        if k - 1 > start and chars[k - 1] in NO_END:
            k -= 1
            moved = True
        if k - 1 > start and chars[k - 1] == chars[k] and chars[k] in "—…":
            k -= 1
            moved = True
        if not moved:
            break
    # keep numbers and Latin words whole (unless the word fills the line)
    j = k
    while j > start and _WORD.match(chars[j - 1]) and _WORD.match(chars[k]):
        j -= 1
    if start < j < k:
        k = j
    return k if k > start else orig


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
