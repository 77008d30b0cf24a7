"""Every action the code records has a Chinese name on the auditor's screens (zhongshu/audit/actions.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import zhongshu
from zhongshu.audit.actions import LABELS
from zhongshu.flow.models import FlowAction

ROOT = Path(zhongshu.__file__).parent


def _constants(node: ast.AST) -> list[str] | None:
    """The string values an `action=` argument can take, or None if the test cannot tell."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _constants(node.body), _constants(node.orelse)
        return None if a is None or b is None else a + b
    return None


def collect() -> tuple[set[str], list[str], set[str]]:
    """(action codes, places the test could not read, f-string prefixes) over the whole package."""
    codes: set[str] = set()
    unknown: list[str] = []
    prefixes: set[str] = set()
    access_kinds: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for kw in node.keywords:
                if name == "record_access" and kw.arg == "kind":
                    access_kinds.update(_constants(kw.value) or [])
                if kw.arg != "action" or name not in ("record", "_advance"):
                    continue
                values = _constants(kw.value)
                if values is not None:
                    codes.update(values)
                elif isinstance(kw.value, ast.JoinedStr) and isinstance(kw.value.values[0], ast.Constant):
                    prefixes.add(kw.value.values[0].value)
                elif isinstance(kw.value, ast.Name) and name == "record" and kw.value.id == "action" and path.name == "services.py" \
                        and "outgoing" in path.parts:
                    continue  # _advance(…, action=…): its callers are collected above
                else:
                    unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    for prefix in prefixes:
        if prefix == "flow.":
            codes.update(f"flow.{a}" for a in FlowAction.Action.values)
        elif prefix == "access.":
            codes.update(f"access.{k}" for k in access_kinds)
        else:
            unknown.append(f"f-string action {prefix}…")
    return codes, unknown, prefixes


def test_every_recorded_action_has_a_chinese_label():
    codes, unknown, _prefixes = collect()
    assert not unknown, f"actions the test cannot read (give them a constant or teach this test): {unknown}"
    assert len(codes) > 120  # sanity: the walk found the call sites
    missing = sorted(c for c in codes if c not in LABELS)
    assert not missing, f"actions without a Chinese name in zhongshu/audit/actions.py: {missing}"


def test_labels_are_chinese():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in LABELS.values())
