"""The API's JSON parser: refuses bodies nested deeper than API_JSON_MAX_DEPTH, invalid UTF-8, NaN/Infinity
and integers beyond 64 bits, each with a Chinese message (400) instead of a RecursionError or an overflow (500)."""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

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


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-").lstrip("0")) > 19 or not INT_MIN <= int(text) <= INT_MAX:
        raise BadJSON("数字超出允许的范围。")
    return int(text)


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
            return json.loads(raw, parse_int=_bounded_int, parse_constant=_no_constant)
        except BadJSON:
            raise
        except (ValueError, RecursionError):
            raise BadJSON("请求内容格式错误，应为 JSON。") from None
