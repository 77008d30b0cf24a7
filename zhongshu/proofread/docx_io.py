"""Read a .docx as text and write a corrected copy that keeps the formatting.

The text of a document is its body paragraphs joined by "\\n" (tables, headers and
footers are not proofread).  Fixes are applied inside the runs that hold the
changed characters, so fonts, sizes and colours stay as they were.
"""
from __future__ import annotations

from collections.abc import Iterable

from .engine import apply_fixes
from .model import Finding


def _open(path):
    import docx  # python-docx; imported lazily so the text-only engine does not need it

    return docx.Document(path)


def read_text(path) -> str:
    """The document's paragraphs joined by "\\n"."""
    return "\n".join(p.text for p in _open(path).paragraphs)


def write_fixed(src, dst, findings: Iterable[Finding]) -> int:
    """Write ``src`` with the fixes of ``findings`` applied to ``dst``; return the count applied."""
    doc = _open(src)
    paras = doc.paragraphs
    starts = []
    pos = 0
    for p in paras:
        starts.append(pos)
        pos += len(p.text) + 1
    by_para: dict[int, list[Finding]] = {}
    import bisect

    for f in findings:
        if f.suggestion is None:
            continue
        k = bisect.bisect_right(starts, f.start) - 1
        if k < 0:
            continue
        base = starts[k]
        if f.end > base + len(paras[k].text):
            continue  # spans a paragraph break: cannot be fixed inside runs
        by_para.setdefault(k, []).append(_moved(f, -base))
    applied = 0
    for k, fs in by_para.items():
        applied += _fix_paragraph(paras[k], fs)
    doc.save(dst)
    return applied


def _moved(f: Finding, delta: int) -> Finding:
    from dataclasses import replace

    return replace(f, start=f.start + delta, end=f.end + delta)


def _fix_paragraph(p, findings: list[Finding]) -> int:
    runs = list(p.runs)
    texts = [r.text for r in runs]
    if "".join(texts) != p.text:
        # Hyperlinks or fields hold part of the text: replace the paragraph text as a
        # last resort, keeping the first run's formatting.
        new = apply_fixes(p.text, findings)
        if runs:
            runs[0].text = new
            for r in runs[1:]:
                r.text = ""
        return len(findings)
    # Apply from the end so earlier offsets stay valid.
    chosen = _non_overlapping(findings)
    bounds = []
    pos = 0
    for s in texts:
        bounds.append((pos, pos + len(s)))
        pos += len(s)
    for f in reversed(chosen):
        _replace_in_runs(texts, bounds, f.start, f.end, f.suggestion or "")
    for r, s in zip(runs, texts, strict=True):
        if r.text != s:
            r.text = s
    return len(chosen)


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    end = -1
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.start < end or (out and f.start == f.end == out[-1].end):
            continue
        out.append(f)
        end = f.end
    return out


def _replace_in_runs(texts: list[str], bounds: list[tuple[int, int]], a: int, b: int, rep: str) -> None:
    first = True
    for i, (s, e) in enumerate(bounds):
        if e < a or s > b or (e == a and a != b) or (s == b and a != b):
            continue
        if a == b and not (s <= a <= e):
            continue
        lo = max(a, s) - s
        hi = min(b, e) - s
        if first:
            texts[i] = texts[i][:lo] + rep + texts[i][hi:]
            first = False
            if a == b:
                break
        else:
            texts[i] = texts[i][:lo] + texts[i][hi:]
