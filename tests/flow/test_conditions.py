"""Condition facts for optional steps: 文种, 密级, 部门, 金额, 上行文."""

import pytest

from zhongshu.flow.conditions import matches, validate

FACTS = {"doc_type": "请示", "classification": 2, "department": "MS1", "amount": "125000.50", "upward": True}


@pytest.mark.parametrize(
    ("fact", "op", "value", "expected"),
    [
        ("", "", "", True),
        ("doc_type", "eq", "请示", True),
        ("doc_type", "in", "报告，请示", True),
        ("doc_type", "in", "通知,通报", False),
        ("doc_type", "ne", "请示", False),
        ("classification", "gte", "2", True),
        ("classification", "gt", "2", False),
        ("department", "eq", "MS1", True),
        ("amount", "gte", "100000", True),
        ("amount", "lt", "100000", False),
        ("amount", "gte", "不是数字", False),
        ("upward", "eq", "是", True),
        ("upward", "eq", "false", False),
        ("upward", "ne", "1", False),
        ("missing", "eq", "x", False),
        ("missing", "ne", "x", True),
    ],
)
def test_matches(fact, op, value, expected):
    assert matches(FACTS, fact, op, value) is expected


def test_validate():
    assert validate("", "", "") is None
    assert validate("", "eq", "") is not None
    assert validate("amount", "gte", "abc") == "大小比较的条件值必须是数字。"
    assert validate("doc_type", "in", " ") is not None
    assert validate("doc_type", "", "请示") == "请选择比较方式。"
