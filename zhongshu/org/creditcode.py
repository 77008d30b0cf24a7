"""统一社会信用代码 (GB 32100-2015): 18 characters — 登记管理部门代码, 机构类别代码, 登记管理机关行政区划码 (6 digits),
主体标识码 (组织机构代码, 9), 校验码. The alphabet leaves out I, O, S, V and Z; the check character is
31 − (Σ value × 3^i mod 31) mod 31 over the first 17 positions."""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
_CHARS = "0-9A-HJ-NP-RTUW-Y"
SHAPE = re.compile(rf"[1-9ANY][1-9A-Z]\d{{6}}[{_CHARS}]{{10}}")


def looks_like(value: str) -> bool:
    """18 characters shaped like a credit code (letters in either case): then it must be a valid one."""
    return len(value) == 18 and bool(SHAPE.fullmatch(value.upper()))


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(value: str) -> str | None:
    """None for a valid code, else the Chinese reason."""
    value = value.upper()
    if len(value) != 18:
        return f"统一社会信用代码应为 18 位，现为 {len(value)} 位。"
    if not SHAPE.fullmatch(value):
        return "统一社会信用代码格式不正确（第 3—8 位为行政区划码，不含字母 I、O、S、V、Z）。"
    if value[17] != check_char(value[:17]):
        return f"统一社会信用代码校验位不正确（按 GB 32100 应为 {check_char(value[:17])}），请核对。"
    return None
