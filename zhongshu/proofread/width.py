"""Full-width digits and Latin letters (GB/T 15835: use half-width forms)."""
from __future__ import annotations

from .model import rule
from .text import Ctx, _rx

R_FW_DIGIT = rule("fullwidth-digit", "width", "使用了全角数字")
R_FW_LATIN = rule("fullwidth-latin", "width", "使用了全角拉丁字母")

_FW_RE = _rx(r"[０-９Ａ-Ｚａ-ｚ][０-９Ａ-Ｚａ-ｚ．，]*[０-９Ａ-Ｚａ-ｚ]|[０-９Ａ-Ｚａ-ｚ]")
# Full-width forms U+FF01..U+FF5E map to ASCII by subtracting 0xFEE0.
_TO_HALF = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)} | {
    c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)} | {0xFF0E: ord(".")}


def check(ctx: Ctx) -> None:
    """Flag runs of full-width digits/letters with their half-width replacement."""
    t = ctx.text
    if not any("\uff10" <= c <= "\uff5a" for c in _sample(t)):
        return
    for m in _FW_RE.finditer(t):
        s = m.group()
        if "，" in s:
            # A full-width comma between digits ends the run (it is Chinese punctuation).
            s = s.split("，")[0]
            if not s:
                continue
        a = m.start()
        b = a + len(s)
        digits = all("０" <= c <= "９" or c == "．" for c in s)
        info = R_FW_DIGIT if digits else R_FW_LATIN
        msg = "数字应使用半角形式" if digits else "拉丁字母应使用半角形式"
        ctx.add(info, a, b, msg, s.translate(_TO_HALF))


def _sample(t: str) -> str:
    # Cheap pre-check: a regex search is faster than scanning every char in Python.
    m = _FW_RE.search(t)
    return m.group() if m else ""
