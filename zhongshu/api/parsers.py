"""The API's JSON parser: refuses bodies nested deeper than API_JSON_MAX_DEPTH, invalid UTF-8, NaN/Infinity
and integers beyond 64 bits, each with a Chinese message (400) instead of a RecursionError or an overflow (500)."""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from zhongshu.core.bounds import INT_MAX, INT_MIN


class BadJSON(ParseError):
    """A ParseError whose own Chinese message reaches the client (errors.MESSAGES matches exact types)."""


def _depth_exceeded(raw: str, limit: int) -> bool:
    """Nesting depth counted on the text, before json.loads can recurse (brackets inside strings skipped)."""
    depth = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class _TooBig:
    """An integer beyond 64 bits, kept in place so that the field holding it can be named."""


TOO_BIG = _TooBig()
TOO_BIG_MESSAGE = "数字超出允许的范围。"


def _bounded_int(text: str) -> int | _TooBig:
    if len(text.lstrip("-").lstrip("0")) > 19 or not INT_MIN <= int(text) <= INT_MAX:
        return TOO_BIG
    return int(text)


def _too_big_paths(data, path: str = "") -> list[str]:
    if data is TOO_BIG:
        return [path or "body"]
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _too_big_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _too_big_paths(v, f"{path}.{i}" if path else str(i))]
    return []


def _no_constant(name: str):
    raise BadJSON(f"不支持的数值：{name}。")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        data = stream.read() if stream is not None else b""
        try:
            raw = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise BadJSON("请求内容含有无效的字符编码（应为 UTF-8）。") from None
        limit = getattr(settings, "API_JSON_MAX_DEPTH", 64)
        if _depth_exceeded(raw, limit):
            raise BadJSON(f"JSON 嵌套层数超过 {limit} 层。")
        try:
            result = json.loads(raw, parse_int=_bounded_int, parse_constant=_no_constant)
        except BadJSON:
            raise
        except (ValueError, RecursionError):
            raise BadJSON("请求内容格式错误，应为 JSON。") from None
        too_big = _too_big_paths(result)
        if too_big:  # named by field (“readers.0”), like any other validation error
            raise ValidationError({path: [TOO_BIG_MESSAGE] for path in too_big[:20]})
        return result
