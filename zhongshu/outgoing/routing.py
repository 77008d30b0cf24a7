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

from .models import Direction, DocType, OutgoingDocument

PERIOD_RE = re.compile(r"^(\d{1,2})(年|个月)$")
# Words that mark a 请示-style ask; several in one 请示 suggest more than one matter (warning only).
ASK_RE = re.compile(r"(妥否|当否|可否|是否可行|请批示|请审批|请批复|请予批准)")


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
    if doc.doc_type == DocType.REQUEST and len(ASK_RE.findall(doc.body)) > 1:
        out.append(Violation("request-one-matter", "请示应当一文一事，正文中出现多处请求批示的语句，请确认是否只请示一个事项（条例第十五条）。", False))
    if doc.doc_type == DocType.LETTER and doc.format not in ("letter", "standard"):
        out.append(Violation("letter-format", "函一般使用信函格式。", False))
    if doc.format == "letter" and doc.doc_type in (DocType.REQUEST, DocType.REPORT):
        out.append(Violation("letter-not-up", "请示、报告不使用信函格式。", True))

    first = (doc.body or "").split("\n", 1)[0].strip()
    if mains and first.endswith(("：", ":")) and len(first) <= 60 and "。" not in first:
        out.append(Violation("body-recipient-line", f"正文首行“{first}”像是主送机关；主送机关已在稿纸中填写，排版时自动生成，正文中请删去。", False))

    # Title = 发文机关 + 事由 + 文种 (the 文种 at the end; 关于…的 in the middle).
    if not title.endswith(doc.doc_type.replace("（令）", "")) and not (doc.doc_type == DocType.ORDER and title.endswith("令")):
        out.append(Violation("title-type", f"标题应以文种“{doc.doc_type}”结尾（发文机关＋事由＋文种）。", True))
    elif "关于" not in title and doc.doc_type not in (DocType.ORDER, DocType.MINUTES, DocType.COMMUNIQUE):
        out.append(Violation("title-subject", "标题一般由发文机关、事由（关于……的）和文种组成。", False))
    if re.search(r"[，。；：！？]$", title):
        out.append(Violation("title-punct", "标题末尾不加标点符号。", True))

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

    # Text-level rules from the proofreading engine: 报告 carrying 请示 language, dates, numbering forms.
    for f in proofread(doc.body or "", doc_type=doc.doc_type, typo=False):
        if f.rule in ("request-in-report",):
            out.append(Violation("report-no-request", "报告中不得夹带请示事项（如“妥否，请批示”），请示事项应另行请示（条例第十五条）。", True))
            break
    for f in proofread(doc.body or "", typo=False):
        if f.category == "number" and f.rule.startswith("date"):
            out.append(Violation("date-arabic", "正文中的日期写法不规范：" + f.message, False))
            break
    return out


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.blocking]
