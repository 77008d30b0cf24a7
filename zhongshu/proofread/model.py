"""Data model of the proofreading engine: findings, rule metadata, per-organisation config."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a text.

    ``start``/``end`` are code-point offsets into the proofread text; ``suggestion``
    is the replacement for ``text[start:end]`` (``""`` means delete, ``None`` means
    no automatic fix).
    """

    start: int
    end: int
    category: str
    rule: str
    message: str
    suggestion: str | None
    severity: Severity

    def to_dict(self) -> dict:
        """The JSON shape used by the CLI and the API (the category as its code and its Chinese label)."""
        return {
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "category_label": category_label(self.category),
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """Static description of a rule, for admin screens that switch rules off."""

    name: str
    category: str
    title_zh: str
    severity: Severity


@dataclass(frozen=True)
class Config:
    """Per-organisation (or per-document) settings.

    - ``disabled_rules``: rule names switched off.
    - ``banned_terms``: sensitive/banned expressions, each ``(term, replacement or None)``.
    - ``ignored``: ``(rule, matched text)`` pairs ignored for the whole document.
    - ``ignored_spans``: ``(rule, start, end)`` findings ignored once.
    """

    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    banned_terms: tuple[tuple[str, str | None], ...] = ()
    ignored: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    ignored_spans: frozenset[tuple[str, int, int]] = field(default_factory=frozenset)


CATEGORIES = ("punct", "number", "width", "space", "format", "typo", "usage")

#: category code -> the Chinese label shown on pages, exports and the CLI (the code stays in JSON and settings).
CATEGORY_LABELS = {
    "punct": "标点符号",
    "number": "数字用法",
    "width": "全角半角",
    "space": "多余空格",
    "format": "公文格式",
    "typo": "错别字",
    "usage": "规范用词",
}
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}


def category_label(code: str) -> str:
    """The Chinese label of a category code (the code itself when unknown)."""
    return CATEGORY_LABELS.get(code, code)

#: rule name -> RuleInfo; filled by the check modules through :func:`rule`.
RULES: dict[str, RuleInfo] = {}


def rule(name: str, category: str, title_zh: str, severity: Severity = "error") -> RuleInfo:
    """Register a rule once at import time and return its info."""
    assert category in CATEGORIES, category
    if name in RULES:
        raise ValueError(f"duplicate rule {name}")
    info = RuleInfo(name, category, title_zh, severity)
    RULES[name] = info
    return info
