"""Shared text helpers and the per-call context handed to every check module."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

from .model import Finding, RuleInfo


def _rx(pattern: str) -> re.Pattern:
    """Compile with ASCII semantics: \\d is 0-9 and \\w is [A-Za-z0-9_], so full-width
    digits and Han characters never match them by accident."""
    return re.compile(pattern, re.ASCII)

# Han ideographs (BMP blocks that occur in official text).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation that belongs to Chinese text.
ZH_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕…—～·「」『』"
ZH_OPEN = "“‘（《〈【〔「『"
ZH_CLOSE = "”’）》〉】〕」』"
ZH_CHAR_SET = frozenset(chr(c) for c in range(0x4E00, 0xA000)) | frozenset(
    chr(c) for c in range(0x3400, 0x4DC0)
)
ZH_PUNCT_SET = frozenset(ZH_PUNCT)
CN_DIGITS = "〇一二三四五六七八九"
CN_NUM = "〇一二三四五六七八九十"


def is_han(ch: str) -> bool:
    """True for a Han ideograph."""
    return ch in ZH_CHAR_SET


def is_zh(ch: str) -> bool:
    """True for a Han ideograph or a full-width Chinese punctuation mark."""
    return ch in ZH_CHAR_SET or ch in ZH_PUNCT_SET


DOC_TYPES = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报",
             "报告", "请示", "批复", "议案", "函", "纪要")
# Invalid or mixed document types seen in drafts (文种混用).
BAD_DOC_TYPES = ("请示报告", "报告请示", "申请报告", "请示的报告", "请求报告", "请示函",
                 "报告函", "工作汇报", "情况汇报", "汇报", "通知函", "意见函")
_TYPES_ALT = "|".join(sorted(set(DOC_TYPES + BAD_DOC_TYPES), key=len, reverse=True))
# A 公文 title: "[机关]关于……的<文种>", optionally with stray end punctuation.
TITLE_RE = _rx(
    r"^[ \t\u3000]*(?P<body>[^\s，。；：]{0,40}关于[^\n。；]{1,90}?(?P<type>" + _TYPES_ALT
    + r"))(?P<punct>[。，；：.,;:！？!?]*)[ \t\u3000]*$"
)
DOCNO_RE = _rx(
    r"(?P<org>[" + HAN + r"]{1,12})(?P<open>[〔\[［【（(「〈<])(?P<year>\d{2,4})"
    r"(?P<close>[〕\]］】）)」〉>])(?P<di>第?)(?P<serial>\d{1,5})号"
)
_DOCNO_TAIL_RE = _rx(r"[〔\[［【（(「〈<]\d{2,4}[〕\]］】）)」〉>]第?\d{1,5}号")
PROSE_MARKS = frozenset("，。；")

# Standard numbers (标准编号): a code, the number, the year — "GB/T 9704-2012", "GB/T 15834—2011", "DA/T 22-2015",
# "ISO 8601", "ISO/IEC 27001:2022", "DB11/T 1234-2020". They are names: the hyphen is not a range, the year is not
# a date. Codes: any "XX/T" or "XX/Z" (推荐性, 指导性), the mandatory national and common sector codes, ISO/IEC/EN.
_STD_CODES = ("GB", "GBZ", "GJB", "DA", "JGJ", "CJJ", "HJ", "JJF", "JJG", "GA", "WS", "YY", "SL", "JT", "TB", "MH",
              "NY", "LY", "AQ", "XF", "JR", "YD", "SJ", "QB", "HG", "SH", "DL", "ISO", "IEC", "EN", "IEEE", "ITU-T")
STANDARD_RE = _rx(
    r"(?<![A-Za-z])(?:T/[A-Z]{2,10}|ISO/IEC|ISO/TR|(?:[A-Z]{1,4}|DB\d{2,6})\s?/\s?[TZ]|DB\d{2,6}|"
    + "|".join(sorted((re.escape(c) for c in _STD_CODES), key=len, reverse=True))
    + r")(?![A-Za-z])[ \u3000]?\d{1,6}(?:\.\d{1,3})*(?:\s?[-－—–―]\s?(?:19|20)\d{2}|:(?:19|20)\d{2})?(?![\d.])"
)


def standard_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names a standard (see STANDARD_RE)."""
    if not any(c in text for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        return []
    return [m.span() for m in STANDARD_RE.finditer(text)]


class Ctx:
    """Everything a check needs about one text; derived facts are computed lazily once."""

    __slots__ = ("text", "doc_type", "out", "banned", "__dict__")

    def __init__(self, text: str, doc_type: str | None, banned=()):
        self.text = text
        self.doc_type = normalize_doc_type(doc_type)
        self.out: list[Finding] = []
        self.banned = banned

    def add(self, info: RuleInfo, start: int, end: int, message: str, suggestion: str | None) -> None:
        """Record a finding for ``info`` over ``text[start:end]``."""
        self.out.append(Finding(start, end, info.category, info.name, message, suggestion, info.severity))

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        pos = 0
        for line in self.text.split("\n")[:-1]:
            pos += len(line) + 1
            starts.append(pos)
        return starts

    @cached_property
    def lines(self) -> list[tuple[int, str]]:
        """(offset, line) pairs without the newline."""
        return list(zip(self.line_starts, self.text.split("\n"), strict=True))

    def line_of(self, pos: int) -> tuple[int, str]:
        """The (offset, line) containing ``pos``."""
        return self.lines[bisect_right(self.line_starts, pos) - 1]

    def is_prose_line_at(self, pos: int) -> bool:
        """Running text (not a table row, a list of names or a date line): has 。，；, no tabs/bars."""
        _, line = self.line_of(pos)
        return is_prose(line)

    @cached_property
    def title(self) -> tuple[int, re.Match] | None:
        """The document title line, if any: (line offset, TITLE_RE match)."""
        for n, (off, line) in enumerate(self.lines):
            if n > 40:
                break
            if "关于" in line:
                m = TITLE_RE.match(line)
                if m:
                    return off, m
        return None

    @cached_property
    def docnos(self) -> list[re.Match]:
        t = self.text
        if "号" not in t:
            return []
        out = []
        # Anchor on the bracketed year (rare characters) and re-match with the organ code.
        for m in _DOCNO_TAIL_RE.finditer(t):
            a = m.start()
            k = a
            while k > 0 and a - k < 12 and t[k - 1] in ZH_CHAR_SET:
                k -= 1
            if k == a:
                continue
            full = DOCNO_RE.match(t, k)
            while full is None and k < a - 1:
                k += 1
                full = DOCNO_RE.match(t, k)
            if full is not None and _plausible_docno(full):
                out.append(full)
        return out


def _plausible_docno(m: re.Match) -> bool:
    # "（2026）" inside prose is a bracketed year, not a 发文字号: require an organ code
    # that ends like one (…发/函/字/办/…) or a 〔〕 bracket already.
    if m.group("open") == "〔":
        return True
    org = m.group("org")
    return org[-1] in "发函字办令电证复任决通告呈报请" or len(org) <= 6


def is_prose(line: str) -> bool:
    """A line of running text, as opposed to a table row or a signature/date line."""
    if "\t" in line or "|" in line or "｜" in line:
        return False
    return any(c in PROSE_MARKS for c in line)


def normalize_doc_type(doc_type: str | None) -> str | None:
    """Map user input (e.g. "命令（令）", "令") to one of the 15 type names."""
    if not doc_type:
        return None
    d = doc_type.strip()
    if d in ("令", "命令（令）", "命令(令)"):
        return "命令"
    return d
