"""行文规则 (条例 Art. 13–17) and format rules checked when a draft is submitted.

Each violation names its rule and says whether it blocks submission or only warns. Text-level checks
(请示 language inside a 报告, title structure, dates) come from the proofreading engine so that the two
never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhongshu.core.classification import MAX_SECRECY_YEARS, Classification
from zhongshu.proofread import proofread
from zhongshu.proofread.docrules import check_document

from .models import Direction, DocType, OutgoingDocument

PERIOD_RE = re.compile(r"^(\d{1,2})(年|个月)$")


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    blocking: bool

    @property
    def level(self) -> str:
        return "阻止提交" if self.blocking else "提示"


def check_routing(doc: OutgoingDocument, *, signer_count: int | None = None) -> list[Violation]:
    out: list[Violation] = []
    mains = list(doc.main_recipients.all()) if doc.pk else []
    ccs = list(doc.cc_recipients.all()) if doc.pk else []
    signers = signer_count if signer_count is not None else (doc.signers.count() if doc.pk else 0)
    title = doc.title.strip()

    if doc.direction == Direction.UP:
        if len(mains) != 1:
            out.append(Violation("up-one-main", "上行文原则上只主送一个上级机关（条例第十五条）。", True))
        not_up = [o.name for o in mains if o.relation in ("subordinate", "peer")]
        if not_up:
            out.append(Violation("up-main-superior", "上行文的主送机关应为上级机关，不能是：" + "、".join(not_up) + "。", True))
        lower = [o.name for o in ccs if o.relation == "subordinate"]
        if lower:
            out.append(Violation("up-no-cc-lower", "上行文不得抄送下级机关：" + "、".join(lower) + "（条例第十五条）。", True))
        if doc.status not in (OutgoingDocument.Status.DRAFT, OutgoingDocument.Status.REVIEWING) and signers == 0:
            out.append(Violation("up-signer", "上行文应当标注签发人（条例第九条）。", True))
    if doc.doc_type in (DocType.REPORT, DocType.REQUEST, DocType.MOTION) and doc.direction != Direction.UP:
        out.append(Violation("type-direction", f"“{doc.doc_type}”是上行文种，行文方向应为上行文。", True))
    if doc.doc_type == DocType.LETTER and doc.format not in ("letter", "standard"):
        out.append(Violation("letter-format", "函一般使用信函格式。", False))
    if doc.format == "letter" and doc.doc_type in (DocType.REQUEST, DocType.REPORT):
        out.append(Violation("letter-not-up", "请示、报告不使用信函格式。", True))

    first = (doc.body or "").split("\n", 1)[0].strip()
    if mains and first.endswith(("：", ":")) and len(first) <= 60 and "。" not in first:
        out.append(Violation("body-recipient-line", f"正文首行“{first}”像是主送机关；主送机关已在稿纸中填写，排版时自动生成，正文中请删去。", False))

    # Text-level 行文规则 (title = 发文机关 + 事由 + 文种, no end punctuation; 请示 一文一事; no 请示
    # language in a 报告): one implementation shared with the proofreading engine (校对 page, CLI).
    seen: set[str] = set()
    for issue in check_document(title, doc.body or "", doc.doc_type):
        if issue.rule not in seen:
            seen.add(issue.rule)
            out.append(Violation(issue.rule, issue.message, issue.blocking))

    if doc.classification >= Classification.SECRET:
        level = Classification(doc.classification)
        if doc.secrecy_period:
            m = PERIOD_RE.match(doc.secrecy_period)
            if not m:
                out.append(Violation("secret-period-format", "保密期限应写作“N年”或“N个月”。", True))
            else:
                years = int(m.group(1)) if m.group(2) == "年" else int(m.group(1)) / 12
                if years > MAX_SECRECY_YEARS[level]:
                    out.append(Violation("secret-period-max", f"{level.label}保密期限不得超过 {MAX_SECRECY_YEARS[level]} 年。", True))
    elif doc.secrecy_period:
        out.append(Violation("secret-period-unclassified", "非涉密公文不标注保密期限。", True))
    if doc.classification >= Classification.SECRET and doc.publicity == "active":
        out.append(Violation("secret-public", "涉密公文不得主动公开，应先解密。", True))

    # Dates: the proofreading engine's number rules.
    for f in proofread(doc.body or "", typo=False):
        if f.category == "number" and f.rule.startswith("date"):
            out.append(Violation("date-arabic", "正文中的日期写法不规范：" + f.message, False))
            break
    return out


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.blocking]
