"""Stray spaces in Chinese text.

Official documents put no spaces between Chinese and Latin letters or digits
("全县GDP同比增长5.2%"), so this module only ever suggests *removing* spaces;
it never suggests inserting one.
"""
from __future__ import annotations

import re

from .model import rule
from .text import HAN, Ctx, _rx

R_SPACE_ZH = rule("space-in-chinese", "space", "汉字之间有多余空格")
R_SPACE_PUNCT = rule("space-around-punct", "space", "标点符号前后有多余空格")
R_SPACE_MIXED = rule("space-zh-latin", "space", "汉字与字母、数字之间不加空格")

_SP = "[ \u3000\u00a0]+"
# Four or more spaces (or two full-width ones) align header and signature parts: layout.
_LAYOUT_GAP = re.compile("[ \u00a0]{4,}|\u3000{2,}")
_ZH_ZH_RE = _rx(r"(?<=[" + HAN + r"])" + _SP + r"(?=[" + HAN + r"])")
_PUNCT_RE = _rx(
    r"(?<=[" + HAN + r"A-Za-z0-9%])" + _SP + r"(?=[，。；：、？！）》”’])|(?<=[，。；：、？！（《“‘])" + _SP + r"(?=\S)"
)
_MIXED_RE = _rx(
    r"(?<=[" + HAN + r"])" + _SP + r"(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])" + _SP + r"(?=[" + HAN + r"])"
)
# Lines whose spaces are layout (lists of names, signatures, headers).
_LABEL_RE = _rx(r"^[ \t\u3000]*(出席|列席|请假|签发人|主持|记录|参加|缺席|抄送|分送|联系人|发文机关|印发)")


def _layout_line(line: str, is_title: bool) -> bool:
    if "\t" in line or _LABEL_RE.match(line):
        return True
    if is_title:
        return False
    # Without punctuation a line is a header, signature or table row: its spaces are layout.
    return not any(c in line for c in "，。；：？！、,;")


def check(ctx: Ctx) -> None:
    """Flag spaces between Chinese characters, around Chinese punctuation, and between Chinese and Latin/digits."""
    t = ctx.text
    if " " not in t and "\u3000" not in t and "\u00a0" not in t:
        return
    for off, line in ctx.lines:
        core = line.strip(" \u3000\u00a0\t")
        if " " not in core and "\u3000" not in core and "\u00a0" not in core:
            continue
        is_title = bool(ctx.title and ctx.title[0] == off)
        if _layout_line(line, is_title):
            continue
        lead = len(line) - len(line.lstrip(" \u3000\u00a0\t"))
        seen: set[int] = set()
        for m in _PUNCT_RE.finditer(line, lead):
            seen.add(m.start())
            if _LAYOUT_GAP.fullmatch(m.group()):
                continue
            ctx.add(R_SPACE_PUNCT, off + m.start(), off + m.end(), "标点符号前后不应有空格", "")
        for m in _ZH_ZH_RE.finditer(line, lead):
            if m.start() in seen or _LAYOUT_GAP.fullmatch(m.group()):
                continue
            ctx.add(R_SPACE_ZH, off + m.start(), off + m.end(), "汉字之间不应有空格", "")
        if is_title or any(c in line for c in "，。；"):
            for m in _MIXED_RE.finditer(line, lead):
                if m.start() in seen or _LAYOUT_GAP.fullmatch(m.group()):
                    continue
                ctx.add(R_SPACE_MIXED, off + m.start(), off + m.end(),
                        "公文中汉字与字母、数字之间不加空格", "")
