"""The document to render (公文) and its validation.

``Document.from_dict`` accepts the INPUT.json shape documented in docs/render-input.md and
rejects unknown keys and bad values with a Chinese message naming the key
(``RenderError.field``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# 《党政机关公文处理工作条例》第八条: the 15 types.  "命令" is accepted as a short form of 命令（令）.
DOC_TYPES: tuple[str, ...] = (
    "决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报",
    "报告", "请示", "批复", "议案", "函", "纪要",
)
DOC_TYPE_ALIASES = {"命令": "命令（令）", "令": "命令（令）"}
UPWARD_TYPES = frozenset({"请示", "报告", "议案"})
FORMATS = ("standard", "letter", "order", "minutes")
CLASSIFICATIONS = ("绝密", "机密", "秘密", "内部", "")
URGENCIES = ("特急", "加急", "")

DOC_NUMBER_RE = re.compile(r"^\S+〔(\d{4})〕([1-9]\d*)号$")
ORDER_NUMBER_RE = re.compile(r"^第([1-9]\d*)号$")
MINUTES_NUMBER_RE = re.compile(r"^第([1-9]\d*)期$")
COPY_NO_RE = re.compile(r"^\d{6}$")
SECRECY_PERIOD_RE = re.compile(r"^(\d+年|\d+个月|长期|\d{4}年\d{1,2}月\d{1,2}日)$")


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_controls(value: str) -> str:
    """Text without the control characters XML (DOCX) and PDF text cannot carry (TAB, LF, CR stay)."""
    return _CONTROLS.sub("", value)


def _scrub(obj: Any) -> None:
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, str):
            setattr(obj, f.name, strip_controls(v))
        elif isinstance(v, list):
            setattr(obj, f.name, [strip_controls(x) if isinstance(x, str) else x for x in v])


class RenderError(ValueError):
    """Bad input or an impossible layout; ``field`` names the offending key (or "")."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Attachment:
    """附件: a name (shown in the 附件说明 and as the attachment title) and an optional body."""

    name: str
    body: str = ""
    # the attachment's content comes from outside the layout (a PDF put after its heading page, an image placed
    # on it): nothing else — not the 版记 — goes on the heading page
    full_page: bool = False
    # pages of the attachment supplied outside the layout (a PDF's pages): reserved and numbered after the heading
    # page, for the caller to put the pages on
    extra_pages: int = 0

    def __post_init__(self) -> None:
        _scrub(self)


@dataclass
class Document:
    """One 公文 with its 18 format elements (GB/T 9704-2012), ready to lay out.

    ``issuer_marks`` holds one 发文机关标志 or, for a joint document (联合行文), several
    (lead organ first); ``issuer_signatures`` likewise for the 发文机关署名.
    """

    doc_type: str
    title: str = ""
    format: str = "standard"
    copy_no: str = ""
    classification: str = ""
    secrecy_period: str = ""
    urgency: str = ""
    issuer_marks: list[str] = field(default_factory=list)
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    main_recipients: list[str] = field(default_factory=list)
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    issuer_signatures: list[str] = field(default_factory=list)
    date: dt.date | None = None
    sealed: bool = False
    seal_image: str = ""
    note: str = ""
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    print_date: dt.date | None = None
    # 纪要 only: 出席 / 请假 / 列席 lists.
    attendees: list[str] = field(default_factory=list)
    absentees: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _scrub(self)   # text already stored may hold control characters: never break the layout

    @property
    def issuer_mark(self) -> str:
        return self.issuer_marks[0] if self.issuer_marks else ""

    @property
    def is_upward(self) -> bool:
        return bool(self.signers) and self.format == "standard"   # 命令（令）: signers[0] is the 签名章 name

    @property
    def is_classified(self) -> bool:
        return self.classification in ("绝密", "机密", "秘密")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """Validate an INPUT.json object and build the document (raises RenderError)."""
        return _from_dict(d)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k in ("date", "print_date"):
            out[k] = out[k].isoformat() if out[k] else ""
        return out


KEYS = (
    "doc_type", "format", "copy_no", "classification", "secrecy_period", "urgency", "issuer_mark",
    "issuer_marks", "doc_number", "signers", "title", "main_recipients", "body", "attachments",
    "issuer_signature", "date", "sealed", "seal_image", "note", "cc", "printer", "print_date",
    "attendees", "absentees", "observers",
)


def _str(d: dict, key: str, default: str = "") -> str:
    v = d.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise RenderError(f"“{key}”应为字符串，收到 {type(v).__name__}", key)
    return v.strip()


def _str_list(d: dict, key: str) -> list[str]:
    v = d.get(key)
    if v is None or v == "":
        return []
    if isinstance(v, str):
        return [v.strip()]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise RenderError(f"“{key}”应为字符串列表", key)
    return [x.strip() for x in v if x.strip()]


def _date(d: dict, key: str) -> dt.date | None:
    v = d.get(key)
    if v in (None, ""):
        return None
    if not isinstance(v, str):
        raise RenderError(f"“{key}”应为 ISO 日期字符串（如 2026-11-23）", key)
    try:
        return dt.date.fromisoformat(v.strip())
    except ValueError:
        raise RenderError(f"“{key}”不是有效的 ISO 日期：{v!r}（应如 2026-11-23）", key)


def _from_dict(d: dict[str, Any]) -> Document:
    if not isinstance(d, dict):
        raise RenderError("输入应为 JSON 对象")
    unknown = sorted(set(d) - set(KEYS))
    if unknown:
        raise RenderError(f"未知的键：{'、'.join(unknown)}；可用的键：{', '.join(KEYS)}", unknown[0])
    doc_type = DOC_TYPE_ALIASES.get(_str(d, "doc_type"), _str(d, "doc_type"))
    if doc_type not in DOC_TYPES:
        raise RenderError(f"“doc_type”应为 15 种文种之一（{'、'.join(DOC_TYPES)}），收到“{doc_type}”", "doc_type")
    fmt = _str(d, "format", "") or _default_format(doc_type)
    if fmt not in FORMATS:
        raise RenderError(f"“format”应为 {'/'.join(FORMATS)} 之一，收到“{fmt}”", "format")
    if fmt == "letter" and doc_type in ("请示", "报告"):
        raise RenderError("请示、报告不得使用信函格式（format=letter）", "format")
    copy_no = _str(d, "copy_no")
    if copy_no and not COPY_NO_RE.match(copy_no):
        raise RenderError(f"“copy_no”（份号）应为 6 位阿拉伯数字，如 000123，收到“{copy_no}”", "copy_no")
    classification = _str(d, "classification")
    if classification not in CLASSIFICATIONS:
        raise RenderError(f"“classification”（密级）应为 绝密/机密/秘密/内部 或空，收到“{classification}”",
                          "classification")
    if classification in ("绝密", "机密", "秘密") and not copy_no:
        raise RenderError("涉密公文应当标注份号（copy_no）", "copy_no")
    secrecy_period = _str(d, "secrecy_period")
    if secrecy_period and classification not in ("绝密", "机密", "秘密"):
        raise RenderError("只有涉密公文（绝密/机密/秘密）才标注保密期限", "secrecy_period")
    if secrecy_period and not SECRECY_PERIOD_RE.match(secrecy_period):
        raise RenderError(f"“secrecy_period”（保密期限）应如“1年”“6个月”“长期”，收到“{secrecy_period}”",
                          "secrecy_period")
    urgency = _str(d, "urgency")
    if urgency not in URGENCIES:
        raise RenderError(f"“urgency”（紧急程度）应为 特急/加急 或空，收到“{urgency}”", "urgency")

    if "issuer_mark" in d and "issuer_marks" in d:
        raise RenderError("“issuer_mark”与“issuer_marks”只能给出一个", "issuer_marks")
    mkey = "issuer_marks" if "issuer_marks" in d else "issuer_mark"
    marks = _str_list(d, mkey)
    if not marks:
        raise RenderError("缺少“issuer_mark”（发文机关标志）", mkey)

    doc_number = _str(d, "doc_number")
    if doc_number:
        _check_doc_number(doc_number, fmt)
    elif fmt == "order":
        raise RenderError("命令（令）格式需要令号（doc_number，如“第12号”）", "doc_number")

    signers = _str_list(d, "signers")
    if signers and fmt not in ("standard", "order"):
        raise RenderError("签发人（signers）只用于上行文的标准格式和命令（令）格式（签名章姓名）", "signers")
    if fmt == "standard" and doc_type in ("请示", "报告") and not signers:
        raise RenderError("请示、报告等上行文应当标注签发人（signers）", "signers")

    title = _str(d, "title")
    if not title and fmt != "order":
        raise RenderError("缺少“title”（标题）", "title")
    if title and title.rstrip()[-1:] in "。，；：！？.,;:!?":
        raise RenderError("标题末尾不加标点符号", "title")
    body = d.get("body", "")
    if not isinstance(body, str):
        raise RenderError("“body”（正文）应为字符串，段落之间用换行分隔", "body")
    if not body.strip():
        raise RenderError("缺少“body”（正文）", "body")
    if "此页无正文" in body:
        raise RenderError("不得使用“此页无正文”，应调整行距、字距", "body")

    attachments = _attachments(d.get("attachments"))
    signatures = _str_list(d, "issuer_signature")
    date = _date(d, "date")
    if date is None:
        raise RenderError("缺少“date”（成文日期，ISO 格式如 2026-11-23）", "date")
    sealed = d.get("sealed", False)
    if not isinstance(sealed, bool):
        raise RenderError("“sealed”应为 true 或 false", "sealed")
    seal_image = _str(d, "seal_image")
    if seal_image and not sealed:
        raise RenderError("给出了印章图片（seal_image）但 sealed 为 false", "seal_image")
    if sealed and not signatures and fmt != "order":
        raise RenderError("加盖印章的公文应当有发文机关署名（issuer_signature）", "issuer_signature")
    if fmt == "order" and not signatures:
        raise RenderError("命令（令）格式需要签发人职务（issuer_signature，如“市长”）", "issuer_signature")
    print_date = _date(d, "print_date")
    printer = _str(d, "printer")
    if fmt != "letter" and bool(printer) != bool(print_date):
        key = "print_date" if printer else "printer"
        raise RenderError("印发机关（printer）与印发日期（print_date）应当同时给出", key)
    note = _str(d, "note")
    if note and not (note.startswith("（") and note.endswith("）")):
        note = f"（{note.strip('()（）')}）"
    return Document(
        doc_type=doc_type, title=title, format=fmt, copy_no=copy_no, classification=classification,
        secrecy_period=secrecy_period, urgency=urgency, issuer_marks=marks, doc_number=doc_number,
        signers=signers, main_recipients=_str_list(d, "main_recipients"), body=body.strip("\n"),
        attachments=attachments, issuer_signatures=signatures, date=date, sealed=sealed,
        seal_image=seal_image, note=note, cc=_str_list(d, "cc"), printer=printer, print_date=print_date,
        attendees=_str_list(d, "attendees"), absentees=_str_list(d, "absentees"),
        observers=_str_list(d, "observers"),
    )


def _default_format(doc_type: str) -> str:
    return {"函": "letter", "命令（令）": "order", "纪要": "minutes"}.get(doc_type, "standard")


def _check_doc_number(num: str, fmt: str) -> None:
    if fmt == "order":
        if not ORDER_NUMBER_RE.match(num):
            raise RenderError(f"令号应如“第12号”（不加前导零），收到“{num}”", "doc_number")
        return
    if fmt == "minutes" and MINUTES_NUMBER_RE.match(num):
        return
    if "第" in num:
        raise RenderError(f"发文字号的序号不加“第”字：“{num}”", "doc_number")
    for wrong in "[]［］【】()（）「」":
        if wrong in num:
            raise RenderError(f"发文字号的年份应当用六角括号〔〕，不用“{wrong}”：“{num}”", "doc_number")
    m = DOC_NUMBER_RE.match(num)
    if not m:
        if re.search(r"〕0\d", num):
            raise RenderError(f"发文字号的序号不编虚位（不加前导零）：“{num}”", "doc_number")
        raise RenderError(f"发文字号应为 机关代字〔年份〕序号号，如“国办发〔2012〕14号”，收到“{num}”", "doc_number")


def _attachments(v: Any) -> list[Attachment]:
    if v in (None, ""):
        return []
    if not isinstance(v, list):
        raise RenderError("“attachments”应为附件名称列表", "attachments")
    out = []
    for item in v:
        if isinstance(item, str) and item.strip():
            name, body = item.strip(), ""
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"name", "body", "full_page", "extra_pages"}:
            name, body = item["name"].strip(), str(item.get("body") or "")
        else:
            raise RenderError("“attachments”的每一项应为名称字符串，或 {\"name\": …, \"body\": …}", "attachments")
        if name[-1:] in "。，；：.,;:":
            raise RenderError(f"附件名称后不加标点符号：“{name}”", "attachments")
        extra = item.get("extra_pages", 0) if isinstance(item, dict) else 0
        if not isinstance(extra, int) or isinstance(extra, bool) or not 0 <= extra <= 10000:
            raise RenderError("“extra_pages”应为 0～10000 的整数", "attachments")
        out.append(Attachment(name=name, body=body, full_page=isinstance(item, dict) and item.get("full_page") is True, extra_pages=extra))
    return out


def format_date(d: dt.date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年11月23日."""
    return f"{d.year}年{d.month}月{d.day}日"


def field_names() -> list[str]:
    return [f.name for f in fields(Document)]
