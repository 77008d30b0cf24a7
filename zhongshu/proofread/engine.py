"""Runs the check modules, applies per-organisation settings, and applies fixes."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from . import format as fmt
from . import number, punct, space, typo, usage, width
from .model import Config, Finding
from .text import Ctx, standard_spans

_DEFAULT = Config()
_PRIORITY = {"format": 0, "number": 1, "width": 2, "usage": 3, "typo": 4, "punct": 5, "space": 6}
# Order matters only for de-duplication: on an identical span the earlier module wins.
_MODULES = (punct.check, number.check, width.check, space.check, fmt.check, usage.check)


def proofread(text: str, *, doc_type: str | None = None, config: Config | None = None,
              typo: bool = True) -> list[Finding]:
    """Proofread ``text`` and return findings sorted by position.

    ``doc_type`` is a 文种 name (e.g. "请示") enabling the routing checks;
    ``typo=False`` skips the typo category (confusion list and statistical detector),
    which is the only part that loads jieba's dictionary.
    """
    cfg = config or _DEFAULT
    original = text
    removed: list[int] = []
    if "\r" in text:
        # Work on "\n" line ends but report offsets into the caller's text.
        text, removed = _normalize_newlines(text)
    ctx = Ctx(text, doc_type, cfg.banned_terms)
    for check in _MODULES:
        check(ctx)
    if typo and "typo" not in cfg.disabled_rules:
        _typo_check(ctx)
    found = ctx.out
    if removed:
        found = [_shift(f, removed) for f in found]
    return _finish(found, original, cfg)


def _normalize_newlines(text: str) -> tuple[str, list[int]]:
    """Drop the "\r" of "\r\n" (a lone "\r" becomes "\n"); return the new text and the
    normalized offsets at which a character was dropped."""
    out = []
    removed = []
    n = 0
    for i, ch in enumerate(text):
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                removed.append(n)
                continue
            ch = "\n"
        out.append(ch)
        n += 1
    return "".join(out), removed


def _shift(f: Finding, removed: list[int]) -> Finding:
    a = f.start + bisect_right(removed, f.start)
    b = f.end + bisect_right(removed, f.end - 1) if f.end > f.start else a
    return replace(f, start=a, end=b)


def _typo_check(ctx: Ctx) -> None:
    typo.check(ctx)


def _finish(found: list[Finding], text: str, cfg: Config) -> list[Finding]:
    disabled = cfg.disabled_rules
    ignored = cfg.ignored
    spans = cfg.ignored_spans
    seen: set[tuple[int, int]] = set()
    out = []
    found = _drop_shadowed(found)
    found = _drop_in_standards(found, text)
    # On an identical span keep the most specific category's finding.
    found = sorted(found, key=lambda f: _PRIORITY.get(f.category, 9))
    for f in found:
        if f.rule in disabled or f.category in disabled:
            continue
        if spans and (f.rule, f.start, f.end) in spans:
            continue
        if ignored and (f.rule, text[f.start:f.end]) in ignored:
            continue
        key = (f.start, f.end)
        if key in seen:
            continue  # two rules saying the same thing about the same span
        seen.add(key)
        out.append(f)
    out.sort(key=lambda f: (f.start, f.end))
    return out


# A wrong heading mark ("一. ", "1、", "（一）、") is one format finding; the punctuation and
# space rules would otherwise report the same characters again with a different fix
# ("一." → "一。").  Decided before settings apply, so ignoring the heading finding does
# not bring the shadowed ones back.
_SHADOWING = frozenset({"heading-ordinal"})
_SHADOWED = frozenset({"punct", "space", "width"})


def _drop_shadowed(found: list[Finding]) -> list[Finding]:
    spans = [(f.start, f.end) for f in found if f.rule in _SHADOWING]
    if not spans:
        return found
    out = []
    for f in found:
        if f.category in _SHADOWED and any(_overlaps(f.start, f.end, a, b) for a, b in spans):
            continue
        out.append(f)
    return out


# A standard number ("GB/T 9704-2012", "ISO 8601") is a name: its hyphen is no range, its year no date, its
# half-width digits and space are as published.  Only the character-level categories are dropped inside one.
_IN_STANDARD = frozenset({"punct", "number", "width", "space", "typo"})


def _drop_in_standards(found: list[Finding], text: str) -> list[Finding]:
    spans = standard_spans(text)
    if not spans:
        return found
    return [f for f in found
            if not (f.category in _IN_STANDARD and any(_overlaps(f.start, f.end, a, b) for a, b in spans))]


def _overlaps(s: int, e: int, a: int, b: int) -> bool:
    if s == e:
        return a < s < b
    if a == b:
        return s < a < e
    return s < b and a < e


def apply_fixes(text: str, findings: Iterable[Finding]) -> str:
    """Apply the suggestions of ``findings`` that do not overlap an earlier-applied one.

    Findings without a suggestion are skipped.  Two insertions at the same point, or
    an insertion inside a replaced span, count as overlapping.
    """
    chosen: list[Finding] = []
    last_end = -1
    last_start = -1
    for f in sorted((f for f in findings if f.suggestion is not None), key=lambda f: (f.start, f.end)):
        if f.start < last_end or (f.start == f.end and f.start == last_start and last_start == last_end):
            continue
        if f.start == last_end and f.start == f.end and chosen and chosen[-1].start == chosen[-1].end:
            continue
        chosen.append(f)
        last_start, last_end = f.start, f.end
    parts = []
    pos = 0
    for f in chosen:
        parts.append(text[pos:f.start])
        parts.append(f.suggestion or "")
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
