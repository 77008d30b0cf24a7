"""公文校对 services: the organization's settings (the only write) and proofreading text or a .docx.

Documents are never stored: text and uploads are processed in memory and dropped after the request.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import transaction

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org.models import Organization, User
from zhongshu.proofread import RULES, Finding, apply_fixes, proofread
from zhongshu.proofread.model import CATEGORIES

from .models import ProofreadSettings
from .selectors import config_for

MAX_CHARS = 200_000
MAX_DOCX_BYTES = 10 * 1024 * 1024
MAX_IGNORED = 5_000
MAX_BANNED_TERMS = 500
MAX_TERM_CHARS = 40
ZIP_MAGIC = b"PK\x03\x04"
# 15 文种 of the 党政机关公文处理工作条例, in its order.
DOC_TYPES = ("决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要")
_DOC_TYPE_ALIASES = {"命令": "命令（令）", "令": "命令（令）", "命令(令)": "命令（令）"}

SETTINGS_FIELDS = ("disabled_rules", "banned_terms")


def _require(user: Any, perm: str) -> None:
    if not has_perm(user, perm) or getattr(user, "organization_id", None) is None:
        raise PermissionDenied()


# ---- settings ---------------------------------------------------------------------------------


def proofread_settings_update(
    *, actor: User, organization: Organization, disabled_rules: Iterable[str], banned_terms: str
) -> ProofreadSettings:
    """修改校对设置: switch rules off for the organization and set its banned expressions."""
    _require(actor, "proofread.manage")
    if actor.organization_id != organization.pk:
        raise PermissionDenied("只能修改本机关的校对设置。")
    errors: dict[str, list[str] | str] = {}
    rules = sorted(set(disabled_rules or ()))
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        errors["disabled_rules"] = "未知的校对规则：" + "、".join(unknown[:5])
    banned_text = _normalize_banned(banned_terms, errors)
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    with transaction.atomic():
        obj, _ = ProofreadSettings.objects.select_for_update().get_or_create(organization=organization)
        before = {"disabled_rules": list(obj.disabled_rules), "banned_terms": obj.banned_terms}
        obj.disabled_rules = rules
        obj.banned_terms = banned_text
        obj.updated_by = actor
        obj.save()
        after = {"disabled_rules": rules, "banned_terms": banned_text}
        record(actor=actor, action="proofread.settings_update", target=obj, before=before, after=after)
    return obj


def _normalize_banned(value: Any, errors: dict[str, list[str] | str]) -> str:
    if not isinstance(value, str):
        errors["banned_terms"] = "敏感或禁用表述应为文本，每行一个。"
        return ""
    lines: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for n, raw in enumerate(value.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        term, sep, rep = line.partition("=>")
        term, rep = term.strip(), rep.strip()
        if not term:
            problems.append(f"第 {n} 行缺少词语。")
        elif len(term) > MAX_TERM_CHARS or len(rep) > MAX_TERM_CHARS:
            problems.append(f"第 {n} 行过长（词语和建议各不超过 {MAX_TERM_CHARS} 字）。")
        elif term in seen:
            problems.append(f"第 {n} 行“{term}”重复。")
        elif rep == term:
            problems.append(f"第 {n} 行的建议用语与词语相同。")
        else:
            seen.add(term)
            lines.append(f"{term}=>{rep}" if sep and rep else term)
    if len(lines) > MAX_BANNED_TERMS:
        problems.append(f"最多 {MAX_BANNED_TERMS} 条。")
    if problems:
        errors["banned_terms"] = problems[:5]
    return "\n".join(lines)


# ---- proofreading -----------------------------------------------------------------------------


def _clean_doc_type(doc_type: Any, errors: dict[str, list[str] | str]) -> str | None:
    if doc_type is None or doc_type == "":
        return None
    if not isinstance(doc_type, str):
        errors["doc_type"] = "文种应为文本。"
        return None
    d = _DOC_TYPE_ALIASES.get(doc_type.strip(), doc_type.strip())
    if d not in DOC_TYPES:
        errors["doc_type"] = f"未知文种“{doc_type[:20]}”，可选：" + "、".join(DOC_TYPES) + "，或留空。"
        return None
    return d


def _clean_ignored(value: Any, errors: dict[str, list[str] | str]) -> frozenset[tuple[str, str]]:
    """[[rule, matched text], …] — findings ignored for the whole document (全文忽略)."""
    if value is None:
        return frozenset()
    if not isinstance(value, list | tuple) or len(value) > MAX_IGNORED:
        errors["ignored"] = f"ignored 应为 [[规则, 文字], …] 形式的列表（最多 {MAX_IGNORED} 项）。"
        return frozenset()
    out = set()
    for item in value:
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            errors["ignored"] = "ignored 的每一项应为 [规则, 文字]。"
            return frozenset()
        out.add((item[0], item[1]))
    return frozenset(out)


def _clean_spans(
    value: Any, errors: dict[str, list[str] | str], field: str = "ignored_spans"
) -> frozenset[tuple[str, int, int]]:
    """[[rule, start, end], …] — single findings ignored once (忽略), or accepted ones."""
    if value is None:
        return frozenset()
    if not isinstance(value, list | tuple) or len(value) > MAX_IGNORED:
        errors[field] = f"{field} 应为 [[规则, 起点, 终点], …] 形式的列表（最多 {MAX_IGNORED} 项）。"
        return frozenset()
    out = set()
    for item in value:
        ok = (
            isinstance(item, list | tuple) and len(item) == 3 and isinstance(item[0], str)
            and all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= MAX_CHARS for x in item[1:])
            and item[1] <= item[2]
        )
        if not ok:
            errors[field] = f"{field} 的每一项应为 [规则, 起点, 终点]（非负整数，起点不大于终点）。"
            return frozenset()
        out.add((item[0], item[1], item[2]))
    return frozenset(out)


def _clean_text(text: Any, errors: dict[str, list[str] | str], field: str = "text") -> str:
    if not isinstance(text, str):
        errors[field] = "请提供要校对的文字（文本）。"
        return ""
    if not text.strip():
        errors[field] = "请填写要校对的文字。"
    elif len(text) > MAX_CHARS:
        errors[field] = f"文字过长：{len(text):,} 字，一次最多校对 {MAX_CHARS:,} 字。"
    return text


def _raise(errors: dict[str, list[str] | str]) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise ServiceError(first if isinstance(first, str) else first[0], fields=errors)


def _run(user: User, text: str, doc_type: str | None, ignored, ignored_spans) -> list[Finding]:
    config = replace(config_for(user.organization), ignored=ignored, ignored_spans=ignored_spans)
    return proofread(text, doc_type=doc_type, config=config)


def proofread_text(
    *,
    user: User,
    text: Any,
    doc_type: Any = None,
    ignored: Any = None,
    ignored_spans: Any = None,
) -> list[Finding]:
    """校对: proofread ``text`` with the organization's settings, skipping the ignored findings.

    Arguments may come straight from a request body, so every one is type-checked here.
    """
    _require(user, "proofread.use")
    errors: dict[str, list[str] | str] = {}
    text = _clean_text(text, errors)
    dt = _clean_doc_type(doc_type, errors)
    ign = _clean_ignored(ignored, errors)
    spans = _clean_spans(ignored_spans, errors)
    _raise(errors)
    return _run(user, text, dt, ign, spans)


def counts_of(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per category (every category present, zero included)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for f in findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    return counts


# ---- .docx ------------------------------------------------------------------------------------


def _docx_bytes(upload: Any, field: str = "file") -> bytes:
    """The bytes of an uploaded .docx after the checks of core.attachments.check_upload (narrowed)."""
    if upload is None or isinstance(upload, str | bytes):
        raise ServiceError("请选择 .docx 文件。", fields={field: "请选择 .docx 文件。"})
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name.lower().endswith(".docx"):
        raise ServiceError(f"只能校对 .docx 文件：{name[:80] or '未命名文件'}。", fields={field: "只能上传 .docx 文件（Word 2007 及以上）。"})
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ServiceError(f"文件 {name} 是空的。", fields={field: "文件是空的。"})
    if size > MAX_DOCX_BYTES:
        raise ServiceError(f"文件 {name} 超过 10 MB。", fields={field: "文件不能超过 10 MB。"})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    bad = ServiceError(f"文件 {name} 不是有效的 .docx 文档。", fields={field: "文件内容不是有效的 .docx 文档。"})
    if not data.startswith(ZIP_MAGIC):
        raise bad
    from zhongshu.core.containers import open_zip

    try:
        # Central directory first (zip bomb, entries, ratio, nesting), before python-docx unpacks anything.
        with open_zip(io.BytesIO(data), name=name, field=field) as z:
            if "word/document.xml" not in z.namelist():
                raise bad
    except ServiceError as e:
        if e.code == "hostile_file":
            raise
        raise bad from None
    return data


def _open_docx(data: bytes, field: str = "file"):
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types for damaged packages
        raise ServiceError("无法读取该 .docx 文档，文件可能已损坏。", fields={field: "无法读取该 .docx 文档。"}) from None


def _docx_text(doc) -> str:
    # Same as zhongshu.proofread.docx_io.read_text, on an already opened document.
    return "\n".join(p.text for p in doc.paragraphs)


def proofread_docx(
    *, user: User, upload: Any, doc_type: Any = None, ignored: Any = None, ignored_spans: Any = None
) -> tuple[str, list[Finding]]:
    """校对上传的 .docx: its body text (paragraphs joined by "\\n") and the findings in it."""
    _require(user, "proofread.use")
    errors: dict[str, list[str] | str] = {}
    dt = _clean_doc_type(doc_type, errors)
    ign = _clean_ignored(ignored, errors)
    spans = _clean_spans(ignored_spans, errors)
    _raise(errors)
    text = _docx_text(_open_docx(_docx_bytes(upload)))
    if len(text) > MAX_CHARS:
        raise ServiceError(f"文档过长：{len(text):,} 字，一次最多校对 {MAX_CHARS:,} 字。", fields={"file": "文档过长。"})
    return text, _run(user, text, dt, ign, spans)


def proofread_docx_fixed(
    *,
    user: User,
    upload: Any,
    doc_type: Any = None,
    ignored: Any = None,
    ignored_spans: Any = None,
    accepted: Any = None,
) -> tuple[bytes, int]:
    """修改后的 .docx: the upload with the fixes applied inside its runs (formatting kept).

    By default every suggestion not ignored is applied; ``accepted`` ([[rule, start, end], …])
    limits the fixes to those findings.  Returns the new file and the number of fixes applied.
    """
    from zhongshu.proofread.docx_io import write_fixed

    _require(user, "proofread.use")
    errors: dict[str, list[str] | str] = {}
    dt = _clean_doc_type(doc_type, errors)
    ign = _clean_ignored(ignored, errors)
    spans = _clean_spans(ignored_spans, errors)
    only = None if accepted is None else _clean_spans(accepted, errors, "accepted")
    _raise(errors)
    data = _docx_bytes(upload)
    text = _docx_text(_open_docx(data))
    if len(text) > MAX_CHARS:
        raise ServiceError(f"文档过长：{len(text):,} 字，一次最多校对 {MAX_CHARS:,} 字。", fields={"file": "文档过长。"})
    findings = _run(user, text, dt, ign, spans)
    if only is not None:
        findings = [f for f in findings if (f.rule, f.start, f.end) in only]
    out = io.BytesIO()
    applied = write_fixed(io.BytesIO(data), out, findings)
    return out.getvalue(), applied


def fixed_text(text: str, findings: Iterable[Finding]) -> str:
    """The text with the suggestions applied (same rule as the .docx: non-overlapping, in order)."""
    return apply_fixes(text, findings)
