"""Format checks: 发文字号, heading ordinals, 附件说明, 文种 and routing rules (条例, GB/T 9704)."""
from __future__ import annotations

import re

from . import docrules
from .model import rule
from .text import BAD_DOC_TYPES, Ctx, _rx

R_DOCNO_DI = rule("docno-di", "format", "发文字号序号前不加“第”")
R_DOCNO_ZERO = rule("docno-zero", "format", "发文字号序号不编虚位（不加前导零）")
R_DOCNO_YEAR = rule("docno-year", "format", "发文字号年份应写全四位")
R_HEADING = rule("heading-ordinal", "format", "结构层次序数形式错误")
R_HEADING_SKIP = rule("heading-skip", "format", "结构层次跳级", "warning")
R_HEADING_MIXED = rule("heading-mixed", "format", "同一层级序数形式不统一", "warning")
R_HEADING_SEQ = rule("heading-sequence", "format", "结构层次序号不连续", "warning")
R_ATTACH_NUM = rule("attachment-numbering", "format", "附件说明序号不规范")
R_ATTACH_PUNCT = rule("attachment-punct", "format", "附件名称后不加标点")
R_BAD_TYPE = rule("invalid-doctype", "format", "文种使用错误")
R_SIGNER = rule("signer-missing", "format", "上行文应标注签发人")
R_MULTI_RECIPIENT = rule("multiple-recipients", "format", "上行文一般只主送一个上级机关", "warning")
# 行文规则 shared with 发文 submission (zhongshu.outgoing.routing): see docrules.py.
_DOC_RULE_INFO = {r.name: rule(r.name, "format", r.title_zh, "error" if r.blocking else "warning")
                  for r in docrules.DOC_RULES}
R_NO_TEXT_PAGE = rule("no-text-page", "format", "不应使用“此页无正文”")
R_URGENCY = rule("urgency-obsolete", "format", "紧急程度标注不规范", "warning")
R_CC_END = rule("cc-end", "format", "抄送机关最后一个名称后应加句号", "warning")

_CN = "一二三四五六七八九十"
_IND = r"^[ \t\u3000]*"
# (level, regex, is_wrong, suggestion builder)
_H1_OK = _rx(_IND + r"([一二三四五六七八九十]{1,3})、")
# The mark plus any spaces after it is one finding ("一. 提高" → "一、提高"), so the
# punctuation and space rules do not report the same characters with a different fix.
_H1_BAD = _rx(_IND + r"([一二三四五六七八九十]{1,3})([.．,，:：][ \t\u3000]*)(?=\S)")
_H2_OK = _rx(_IND + r"[（(]([一二三四五六七八九十]{1,3})[）)]")
_H2_BAD_CLOSE = _rx(_IND + r"([一二三四五六七八九十]{1,3})[）)]")
_H3_OK = _rx(_IND + r"(\d{1,2})([.．])(?!\d)")
_H3_BAD = _rx(_IND + r"(\d{1,2})([、,，:：][ \t\u3000]*+)(?!\d)")
_H4_OK = _rx(_IND + r"[（(](\d{1,2})[）)]")
_H4_BAD_CLOSE = _rx(_IND + r"(\d{1,2})[）)]")
_AFTER_BRACKET_MARK = _rx(r"[、.．,，][ \t\u3000]*")


def _cn_value(s: str) -> int:
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN.index(a) + 1 if a else 1) * 10 + (_CN.index(b) + 1 if b else 0)
    return _CN.index(s) + 1 if len(s) == 1 else 0


def _attachment_lines(ctx: Ctx) -> set[int]:
    """Offsets of the continuation lines of 附件说明 ("2.名称" under "附件：1.名称")."""
    out: set[int] = set()
    if "附件" not in ctx.text:
        return out
    lines = ctx.lines
    for idx, (_off, line) in enumerate(lines):
        if _ATTACH_RE.match(line):
            for off2, line2 in lines[idx + 1: idx + 30]:
                if not _ATTACH_CONT_RE.match(line2):
                    break
                out.add(off2)
    return out


def _headings(ctx: Ctx):
    """Yield (level, number, style, line offset, match, line) for each heading line."""
    skip = _attachment_lines(ctx)
    for off, line in ctx.lines:
        if not line or len(line) < 2 or off in skip:
            continue
        c = line.lstrip(" \t\u3000")[:1]
        if c in _CN:
            m = _H1_OK.match(line)
            if m:
                yield 1, _cn_value(m.group(1)), "、", off, m, line
                continue
            m = _H1_BAD.match(line)
            if m and not line[m.end():].startswith(("是", "要", "的")):
                ctx.add(R_HEADING, off + m.start(2), off + m.end(2), "一级标题序数应为“一、”", "、")
                yield 1, _cn_value(m.group(1)), "bad", off, m, line
                continue
            m = _H2_BAD_CLOSE.match(line)
            if m:
                a = off + m.start(1)
                ctx.add(R_HEADING, a, a, "二级标题序数应为“（一）”，缺少前括号", "（")
                yield 2, _cn_value(m.group(1)), "bad", off, m, line
        elif c in "（(":
            m = _H2_OK.match(line)
            lvl = 2
            if not m:
                m = _H4_OK.match(line)
                lvl = 4
            if m:
                mk = _AFTER_BRACKET_MARK.match(line, m.end())
                if mk:
                    ctx.add(R_HEADING, off + mk.start(), off + mk.end(), "括号序数后不加标点", "")
                num = _cn_value(m.group(1)) if lvl == 2 else int(m.group(1))
                yield lvl, num, "（" if "（" in m.group() else "(", off, m, line
        elif c.isdigit():
            m = _H3_OK.match(line)
            if m:
                yield 3, int(m.group(1)), m.group(2), off, m, line
                continue
            m = _H3_BAD.match(line)
            if m and not _looks_like_number(line, m):
                ctx.add(R_HEADING, off + m.start(2), off + m.end(2), "三级标题序数应为“1.”", ".")
                yield 3, int(m.group(1)), "bad", off, m, line
                continue
            m = _H4_BAD_CLOSE.match(line)
            if m:
                a = off + m.start(1)
                ctx.add(R_HEADING, a, a, "四级标题序数应为“（1）”，缺少前括号", "（")
                yield 4, int(m.group(1)), "bad", off, m, line


def _looks_like_number(line: str, m: re.Match) -> bool:
    # "3，5两项" or "1：500" are numbers, not ordinals.
    nxt = line[m.end():m.end() + 1]
    return nxt.isdigit() or (m.group(2)[:1] in ":：" and nxt.isdigit())


def _check_headings(ctx: Ctx) -> None:
    t = ctx.text
    if not any(s in t for s in ("、", "（", "(", ".", "．", "）", ")", "，", ",", ":", "：")):
        return
    last_at: dict[int, int] = {}
    counters: dict[int, int] = {}
    styles: dict[int, list[tuple[str, int, int]]] = {}
    prev_level = None
    for seq, (lvl, num, style, off, m, _line) in enumerate(_headings(ctx), start=1):
        # Skipped level: the nearest heading above this level is two or more levels up.
        lower = [(last_at[k], k) for k in last_at if k < lvl]
        entering = prev_level is None or prev_level < lvl
        if lower and entering:
            _, parent = max(lower)
            if parent < lvl - 1:
                names = {1: "“一、”", 2: "“（一）”", 3: "“1.”", 4: "“（1）”"}
                ctx.add(R_HEADING_SKIP, off + m.start(), off + m.end(), f"结构层次跳级：{names[parent]}之后应先用{names[parent + 1]}", None)
        # Sequence: numbers within a level restart after a higher-level heading.
        prev = counters.get(lvl)
        if prev is not None and num and num != prev + 1 and num != 1:
            ctx.add(R_HEADING_SEQ, off + m.start(), off + m.end(), f"序号不连续：上一个序号为{prev}", None)
        counters[lvl] = num
        for k in list(counters):
            if k > lvl:
                del counters[k]
        last_at[lvl] = seq
        for k in list(last_at):
            if k > lvl:
                del last_at[k]
        prev_level = lvl
        if style != "bad":
            styles.setdefault(lvl, []).append((style, off + m.start(), off + m.end()))
    for items in styles.values():
        kinds = {s for s, _, _ in items}
        if len(kinds) > 1:
            counts = {k: sum(1 for s, _, _ in items if s == k) for k in kinds}
            major = max(counts, key=lambda k: (counts[k], k in ("、", "（", ".")))
            for s, a, b in items:
                if s != major:
                    ctx.add(R_HEADING_MIXED, a, b, "同一层级的序数形式应统一", None)


def _check_docno(ctx: Ctx) -> None:
    for m in ctx.docnos:
        if m.group("di"):
            ctx.add(R_DOCNO_DI, m.start("di"), m.end("di"), "发文字号的序号前不加“第”", "")
        s = m.group("serial")
        if len(s) > 1 and s.startswith("0"):
            ctx.add(R_DOCNO_ZERO, m.start("serial"), m.end("serial"), "发文字号的序号不编虚位，不加“0”", s.lstrip("0") or "0")
        y = m.group("year")
        if len(y) != 4:
            ctx.add(R_DOCNO_YEAR, m.start("year"), m.end("year"), "发文字号中的年份应标全称（四位）",
                    "20" + y if len(y) == 2 else None)


_ATTACH_RE = _rx(r"^[ \t\u3000]*附件[：:][ \t\u3000]*(?:(?P<num>\d{1,2})(?P<mark>[.．、,，:：]?))?")
_ATTACH_CONT_RE = _rx(r"^[ \t\u3000]*(?P<num>\d{1,2})(?P<mark>[.．、,，:：])")


def _check_attachments(ctx: Ctx) -> None:
    if "附件" not in ctx.text:
        return
    lines = ctx.lines
    for idx, (off, line) in enumerate(lines):
        m = _ATTACH_RE.match(line)
        if not m:
            continue
        items = [(off, line, m)]
        for off2, line2 in lines[idx + 1: idx + 30]:
            m2 = _ATTACH_CONT_RE.match(line2)
            if not m2:
                break
            items.append((off2, line2, m2))
        numbered = [it for it in items if it[2].group("num")]
        if len(items) == 1 and numbered and m.group("mark") in (".", "．"):
            ctx.add(R_ATTACH_NUM, off + m.start("num"), off + m.end("mark"), "只有一个附件时不编序号", "")
        elif len(items) > 1 and not m.group("num"):
            a = off + m.end()
            ctx.add(R_ATTACH_NUM, a, a, "有多个附件时应使用阿拉伯数字标注序号", "1.")
        expected = 1
        for o, _ln, mm in items:
            if not mm.group("num"):
                expected += 1
                continue
            mark = mm.group("mark")
            if len(items) > 1 and mark not in (".", "．"):
                if mark:
                    ctx.add(R_ATTACH_NUM, o + mm.start("mark"), o + mm.end("mark"), "附件序号后应使用“.”", ".")
                else:
                    ctx.add(R_ATTACH_NUM, o + mm.end("num"), o + mm.end("num"), "附件序号后应使用“.”", ".")
            n = int(mm.group("num"))
            if len(items) > 1 and n != expected:
                ctx.add(R_ATTACH_NUM, o + mm.start("num"), o + mm.end("num"), f"附件序号不连续，应为{expected}", None)
            expected = n + 1
        for o, ln, _mm in items:
            s = ln.rstrip(" \t\u3000")
            if s and s[-1] in "。，；、.,;：:":
                ctx.add(R_ATTACH_PUNCT, o + len(s) - 1, o + len(s), "附件名称后不加标点符号", "")


_UPWARD = frozenset({"请示", "报告", "议案"})
_RECIPIENT_RE = _rx(r"^[ \t\u3000]*([^，。；\n]{2,80}?)[：:][ \t\u3000]*$")
_CC_RE = _rx(r"^[ \t\u3000]*抄送[：:](.+)$")


def _check_doctype(ctx: Ctx) -> None:
    t = ctx.text
    tl = ctx.title
    title_type = None
    if tl:
        off, m = tl
        title_type = m.group("type")
        if title_type in BAD_DOC_TYPES:
            ctx.add(R_BAD_TYPE, off + m.start("type"), off + m.end("type"),
                    f"“{title_type}”不是法定文种，应根据内容选用“请示”“报告”等规范文种", None)
    if "此页无正文" in t:
        i = t.find("此页无正文")
        while i >= 0:
            ctx.add(R_NO_TEXT_PAGE, i, i + 5, "GB/T 9704规定不得使用“此页无正文”，应调整行距、字距", None)
            i = t.find("此页无正文", i + 5)
    if "急件" in t:
        for off, line in ctx.lines[:12]:
            s = line.strip(" \t\u3000")
            if s == "急件":
                a = off + line.index("急件")
                ctx.add(R_URGENCY, a, a + 2, "紧急程度应标注为“特急”或“加急”", "加急")
    if "抄送" in t:
        for off, line in ctx.lines:
            cc = _CC_RE.match(line)
            if cc:
                s = line.rstrip(" \t\u3000")
                if s[-1] not in "。":
                    if s[-1] in "，、；.,;":
                        ctx.add(R_CC_END, off + len(s) - 1, off + len(s), "抄送机关最后一个名称后应标句号", "。")
                    else:
                        ctx.add(R_CC_END, off + len(s), off + len(s), "抄送机关最后一个名称后应标句号", "。")
    dt = ctx.doc_type
    if not dt:
        return
    if dt in _UPWARD:
        if ctx.docnos and "签发人" not in t:
            m = ctx.docnos[0]
            ctx.add(R_SIGNER, m.start(), m.end(), f"“{dt}”属上行文，应标注签发人", None)
        if tl:
            _check_recipients(ctx, tl[0], dt)
    _check_doc_rules(ctx, dt)


def _check_doc_rules(ctx: Ctx, dt: str) -> None:
    """The 行文规则 that 发文 submission applies, through the same implementation."""
    t = ctx.text
    found = docrules.split_title(t)
    if found:
        title_off, title, body_off = found
    else:
        title_off, title, body_off = 0, "", 0
    for issue in docrules.check_document(title, t[body_off:], dt):
        base = title_off if issue.part == "title" else body_off
        info = _DOC_RULE_INFO[issue.rule]
        ctx.add(info, base + issue.start, base + issue.end, issue.message, issue.suggestion)


def _check_recipients(ctx: Ctx, title_off: int, dt: str) -> None:
    lines = ctx.lines
    idx = next(i for i, (o, _) in enumerate(lines) if o == title_off)
    for off, line in lines[idx + 1: idx + 4]:
        if not line.strip(" \t\u3000"):
            continue
        m = _RECIPIENT_RE.match(line)
        if m and any(c in m.group(1) for c in "、，,"):
            ctx.add(R_MULTI_RECIPIENT, off + m.start(1), off + m.end(1),
                    f"“{dt}”一般只主送一个上级机关，其他机关可抄送", None)
        break


def check(ctx: Ctx) -> None:
    """Run every format check over ``ctx``."""
    _check_docno(ctx)
    _check_headings(ctx)
    _check_attachments(ctx)
    _check_doctype(ctx)
