"""座次 — protocol seating for podiums, halls, banquets, group photos and talks.

Pure Python (no Django), like ``zhongshu.render`` and ``zhongshu.proofread``.  Public API::

    from zhongshu.seating import SeatingInput, generate, chart_for, validate, load_json, SeatingError
    from zhongshu.seating.pdf import chart_pdf, tent_cards_pdf
    from zhongshu.seating.docx_out import chart_docx

The rules and their defaults are those of spec affairs.md §座次, each a parameter (``rule`` left/right,
``even`` pair/offset, ``viewpoint`` audience/podium); every chart states its viewpoint and rule
(``Chart.statement``).  CLI and input keys: docs/seating.md.
"""
from __future__ import annotations

from typing import Any

from .model import KINDS, Chart, SeatingError, SeatingInput
from .rules import generate, row_order
from .validate import Violation, chart_from_dict, validate


def load_json(path_or_text: Any) -> tuple[SeatingInput, dict]:
    """Read INPUT.json (a path, or the JSON text itself); returns the validated input and the raw dict."""
    import json
    from pathlib import Path

    text = path_or_text
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and not path_or_text.lstrip().startswith("{")):
        try:
            text = Path(path_or_text).read_text(encoding="utf-8-sig")
        except OSError as e:
            raise SeatingError(f"无法读取输入文件：{e.strerror or e}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SeatingError(f"输入不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 列：{e.msg}")
    return SeatingInput.from_dict(data), data


def chart_for(kind: str, people: list[str], **rules: Any) -> Chart:
    """The chart of ``kind`` for ``people`` in rank order; ``rules`` are the other input keys
    (``rule``, ``even``, ``viewpoint``, ``per_row``, ``hosts``, ``seats_per_table``, ``units``, ``blocks`` …).
    For a 会场 either ``people`` (one unit) or ``units=[{"name": …, "people": […]}]``.  Raises SeatingError."""
    data: dict[str, Any] = {"kind": kind, **{k: v for k, v in rules.items() if v is not None}}
    if people or "units" not in data:
        data["people"] = list(people)
    return generate(SeatingInput.from_dict(data))


__all__ = ["KINDS", "Chart", "SeatingError", "SeatingInput", "Violation", "chart_for", "chart_from_dict",
           "generate", "load_json", "row_order", "validate"]
