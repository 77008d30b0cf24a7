"""Condition evaluation for optional steps (条件步骤). Pure: facts in, bool out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

TRUE = {"1", "true", "yes", "是", "y"}
FALSE = {"0", "false", "no", "否", "n", ""}


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _same(fact: Any, raw: str) -> bool:
    if isinstance(fact, bool):
        text = raw.strip().lower()
        return fact == (text in TRUE) if text in TRUE | FALSE else False
    a, b = _number(fact), _number(raw)
    if a is not None and b is not None:
        return a == b
    return str(fact).strip() == raw.strip()


def matches(facts: dict[str, Any], fact: str, op: str, value: str) -> bool:
    """True when the step applies. No condition → always. A missing fact never matches (except `ne`)."""
    if not fact:
        return True
    if fact not in facts or facts[fact] is None:
        return op == "ne"
    actual = facts[fact]
    if op == "eq":
        return _same(actual, value)
    if op == "ne":
        return not _same(actual, value)
    if op == "in":
        return any(_same(actual, part) for part in value.replace("，", ",").split(",") if part.strip())
    a, b = _number(actual), _number(value)
    if a is None or b is None:
        return False
    return {"gte": a >= b, "lte": a <= b, "gt": a > b, "lt": a < b}.get(op, False)


def validate(fact: str, op: str, value: str) -> str | None:
    """A Chinese message when the condition cannot be evaluated meaningfully, else None."""
    if not fact:
        return None if not op and not value else "填写了比较方式或条件值，但没有选择条件。"
    if not op:
        return "请选择比较方式。"
    if op in ("gte", "lte", "gt", "lt") and _number(value) is None:
        return "大小比较的条件值必须是数字。"
    if op == "in" and not value.strip():
        return "请填写条件值（逗号分隔）。"
    return None
