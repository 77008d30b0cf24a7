"""行文规则 that can be read from a document's own text (条例 第十三至十七条, GB/T 9704 title form).

One implementation, called from both sides so they never disagree:

- the proofreading engine (``proofread(text, doc_type=...)``: the CLI ``--doc-type``, the 校对 page and API);
- 发文 submission (``zhongshu.outgoing.routing.check_routing``), which adds the rules that need the
  draft's metadata (recipients' relation, signers, direction, format, secrecy).

``check_document(title, body, doc_type)`` works on the title and the body separately; the engine
finds the title line in a whole text with :func:`split_title`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .text import DOC_TYPES, normalize_doc_type


@dataclass(frozen=True, slots=True)
class DocRule:
    name: str
    title_zh: str
    blocking: bool


@dataclass(frozen=True, slots=True)
class DocIssue:
    """One violation; ``start``/``end`` are offsets into the title or the body (``part``)."""

    rule: str
    message: str
    blocking: bool
    part: Literal["title", "body"]
    start: int
    end: int
    suggestion: str | None = None


TITLE_TYPE = DocRule("title-type", "标题应以文种结尾", True)
TITLE_SUBJECT = DocRule("title-subject", "标题一般由发文机关、事由和文种组成", False)
TITLE_PUNCT = DocRule("title-punct", "标题末尾不加标点符号", True)
REQUEST_ONE_MATTER = DocRule("request-one-matter", "请示应当一文一事", False)
REPORT_NO_REQUEST = DocRule("report-no-request", "报告中不得夹带请示事项", True)
DOC_RULES: tuple[DocRule, ...] = (TITLE_TYPE, TITLE_SUBJECT, TITLE_PUNCT, REQUEST_ONE_MATTER, REPORT_NO_REQUEST)

# Words that mark a 请示-style ask; several in one 请示 suggest more than one matter (warning only).
ASK_RE = re.compile(r"(妥否|当否|可否|是否可行|请批示|请审批|请批复|请予批准)")
# 请示 language inside a 报告.
REQUEST_RE = re.compile(
    r"(妥否，请批示|当否，请批示|妥否，请|当否，请|请予批准|请予审批|请批示|请审批|请批复|请予批复|请予以批准|恳请批准|请上级批准)"
)
_SENTENCE_END_RE = re.compile(r"[。！？\n]")
_TITLE_END_PUNCT_RE = re.compile(r"[，。；：！？,.;:!?]+$")
_NO_SUBJECT_TYPES = frozenset({"命令", "纪要", "公报"})
_TYPE_END_RE = re.compile("(?:" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")[，。；：！？,.;:!?]*$")


def check_document(title: str, body: str, doc_type: str | None) -> list[DocIssue]:
    """The text-level 行文规则 for a draft of 文种 ``doc_type`` (nothing when it is empty)."""
    dt = normalize_doc_type(doc_type)
    if not dt:
        return []
    out: list[DocIssue] = []
    t = title.rstrip()
    lead = len(t) - len(t.lstrip())
    core = t.strip()
    if core:
        bare = _TITLE_END_PUNCT_RE.sub("", core)
        ends_ok = bare.endswith(dt) or (dt == "命令" and bare.endswith("令"))
        if not ends_ok:
            m = _TYPE_END_RE.search(bare)
            a, b = (lead + m.start(), lead + len(bare)) if m else (lead, lead + len(bare))
            out.append(DocIssue(TITLE_TYPE.name, f"标题应以文种“{dt}”结尾（发文机关＋事由＋文种）。",
                                TITLE_TYPE.blocking, "title", a, b, dt if m else None))
        elif "关于" not in core and dt not in _NO_SUBJECT_TYPES:
            out.append(DocIssue(TITLE_SUBJECT.name, "标题一般由发文机关、事由（关于……的）和文种组成。",
                                TITLE_SUBJECT.blocking, "title", lead, lead + len(bare)))
        pm = _TITLE_END_PUNCT_RE.search(core)
        if pm:
            out.append(DocIssue(TITLE_PUNCT.name, "标题末尾不加标点符号。", TITLE_PUNCT.blocking, "title",
                                lead + pm.start(), lead + pm.end(), ""))
    if dt == "请示":
        # "妥否，请批示" is one ask: count the sentences that ask, not the words.
        asks = []
        last_end = -1
        for m in ASK_RE.finditer(body):
            if last_end < 0 or _SENTENCE_END_RE.search(body, last_end, m.start()):
                asks.append(m)
            last_end = m.end()
        if len(asks) > 1:
            m = asks[1]
            out.append(DocIssue(REQUEST_ONE_MATTER.name,
                                "请示应当一文一事，正文中出现多处请求批示的语句，请确认是否只请示一个事项（条例第十五条）。",
                                REQUEST_ONE_MATTER.blocking, "body", m.start(), m.end()))
    if dt == "报告":
        for m in REQUEST_RE.finditer(body):
            out.append(DocIssue(REPORT_NO_REQUEST.name,
                                "报告中不得夹带请示事项（如“妥否，请批示”），请示事项应另行请示（条例第十五条）。",
                                REPORT_NO_REQUEST.blocking, "body", m.start(), m.end()))
    return out


_SKIP_LINE_RE = re.compile(r"(?:〔\d{2,4}〕|\[\d{2,4}\]|（\d{4}）)\d{1,5}号|^[ \t\u3000]*(?:签发人|份号|密级|特急|加急|机密|秘密|绝密)")


def split_title(text: str) -> tuple[int, str, int] | None:
    """Find the title line of a whole document: ``(title offset, title line, body offset)``.

    The title is the first non-blank line among the first 15 that carries "关于" or ends with a
    文种 name (stray end punctuation allowed), has no sentence break inside and is not a
    发文字号/签发人/份号 line or a recipient line ("各区县：").
    """
    pos = 0
    for n, line in enumerate(text.split("\n")):
        if n >= 15:
            break
        s = line.strip(" \t\u3000")
        start = pos
        pos += len(line) + 1
        if not s or _SKIP_LINE_RE.search(s) or s.endswith(("：", ":")) or len(s) > 90:
            continue
        bare = _TITLE_END_PUNCT_RE.sub("", s)
        if any(c in bare for c in "。；！？"):
            return None  # running text came first: no title
        if "关于" in bare or _TYPE_END_RE.search(bare):
            return start, line, min(pos, len(text))
    return None


__all__ = ["DOC_RULES", "DocIssue", "DocRule", "check_document", "split_title", "ASK_RE", "REQUEST_RE"]
