"""Audit without content (decision 0008, issue 13 §2).

The audit trail says who did what to which object and when — never what a classified object says. For a target
of 秘密 or above, `audit.record()` stores:

- the content-bearing keys of before/after (the model's `AUDIT_CONTENT_FIELDS`, else `DEFAULT_CONTENT_KEYS`) as
  `{"sm3": <hex>, "len": N}`, so a change stays detectable without the text;
- `target_repr` as a metadata line (“机密 发文 #12 某政办发〔2026〕3号”), never the title;
- the free-text `note` as a digest.

Entries written before this rule are not rewritten (the chain must stay valid); `for_reader()` applies the same
redaction at display time to every entry above the reader's clearance, old ones included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from zhongshu.core.classification import Classification, max_readable

from .chain import canonical, digest

# Keys of before/after that carry what a document says rather than what happened to it.
DEFAULT_CONTENT_KEYS = frozenset({
    "title", "body", "text", "subject", "opinion", "content", "summary", "comment", "reply", "answer", "instruction",
    "reason", "note", "purpose", "requirement", "milestone", "source_ref", "message", "description", "remarks",
    "return_reason", "review_note", "close_note", "return_note", "decision_note", "dispute_reason", "office_comment",
    "attachment_names", "keywords", "file", "filename", "name",
})
# Attributes that number a document (shown in the metadata line instead of its title).
NUMBER_ATTRS = ("doc_number", "archival_code", "number", "receipt_number")
HIDDEN = "〔内容已隐去〕"


def content_keys(model: type[models.Model] | None) -> frozenset[str]:
    declared = getattr(model, "AUDIT_CONTENT_FIELDS", None) if model is not None else None
    return frozenset(declared) | DEFAULT_CONTENT_KEYS if declared else DEFAULT_CONTENT_KEYS


def is_classified(level: int) -> bool:
    return int(level or 0) >= Classification.SECRET


def fingerprint(value: Any) -> dict[str, Any]:
    """SM3 of the text (or of the canonical JSON of a non-text value) and its length: changes stay visible."""
    if isinstance(value, dict) and set(value) == {"sm3", "len"}:
        return value  # already a fingerprint
    text = value if isinstance(value, str) else canonical({"v": value}).decode()
    return {"sm3": digest("SM3", text.encode()), "len": len(value) if isinstance(value, str | list | tuple) else len(text)}


def strip_content(values: Any, keys: frozenset[str]) -> Any:
    """Replace content-bearing keys (at any depth) with fingerprints; empty values stay as they are."""
    if isinstance(values, dict):
        out = {}
        for k, v in values.items():
            if k in keys and v not in (None, "", [], {}):
                out[k] = fingerprint(v)
            else:
                out[k] = strip_content(v, keys)
        return out
    if isinstance(values, list):
        return [strip_content(v, keys) for v in values]
    return values


def note_digest(note: str) -> str:
    """A free-text note about a classified object, kept only as its digest."""
    return f"〔说明已隐去 SM3:{digest('SM3', note.encode())} 长度 {len(note)}〕" if note else ""


# ---- the classification and the description of a target -------------------------------------------------
def _has_classification(model: type[models.Model]) -> bool:
    try:
        model._meta.get_field("classification")
        return True
    except Exception:
        return False


def subject_classification(obj: models.Model) -> int:
    """The 密级 that governs what the audit trail may say about obj: its own, else that of the business object
    it belongs to (a 待办事项's 流程实例, a 借阅's 档案, an attachment's document …); the highest if several."""
    own = getattr(obj, "classification", None)
    if isinstance(own, int):
        return int(own)
    best = 0
    for field in obj._meta.get_fields():
        generic = isinstance(field, GenericForeignKey)
        belongs_to = (field.many_to_one or field.one_to_one) and field.concrete and field.related_model is not None \
            and _has_classification(field.related_model) and getattr(obj, field.attname, None) is not None
        related = getattr(obj, field.name, None) if generic or belongs_to else None
        level = getattr(related, "classification", None)
        if isinstance(level, int):
            best = max(best, int(level))
    return best


def number_of(obj: models.Model) -> str:
    for attr in NUMBER_ATTRS:
        try:
            value = getattr(obj, attr, "")
        except Exception:
            value = ""
        if value and isinstance(value, str):
            return value
    return ""


def model_for(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type) if "." in target_type else None
    except (LookupError, ValueError):
        return None


def type_label(target_type: str) -> str:
    model = model_for(target_type)
    return str(model._meta.verbose_name) if model is not None else target_type


def metadata_line(level: int, verbose_name: str, pk: Any, number: str = "") -> str:
    label = Classification(level).label if level in Classification.values else ""
    return " ".join(p for p in (str(label), str(verbose_name), f"#{pk}" if pk not in (None, "") else "", number) if p)[:200]


# ---- display: what a reader of a given clearance may see -----------------------------------------------
@dataclass(frozen=True)
class Shown:
    target_repr: str
    before: Any
    after: Any
    note: str
    redacted: bool


def above(entry, reader) -> bool:
    """Is this entry classified above what the reader may read (the auditor is 非涉密: anything 秘密 and up)?"""
    clearance = int(getattr(reader, "clearance", 1) or 1)
    return int(entry.classification or 0) > int(max_readable(clearance))


def for_reader(entry, reader) -> Shown:
    """The entry as `reader` may see it: target, before/after and note of an entry above the reader's clearance
    are reduced to metadata, whether the entry was written before or after the no-content rule."""
    if not above(entry, reader):
        return Shown(entry.target_repr, entry.before, entry.after, entry.note, False)
    model = model_for(entry.target_type)
    keys = content_keys(model)
    repr_ = metadata_line(int(entry.classification), type_label(entry.target_type) if entry.target_type else "", entry.target_id)
    if _is_metadata(entry, repr_):
        repr_ = entry.target_repr  # written under the rule: the stored line (with its 文号) is metadata already
    note = HIDDEN if entry.note else ""
    return Shown(repr_, strip_content(entry.before, keys), strip_content(entry.after, keys), note, True)


def _is_metadata(entry, line: str) -> bool:
    """A stored target_repr that is exactly the metadata line (optionally followed by the document number)."""
    return entry.target_repr == line or entry.target_repr.startswith(line + " ")
