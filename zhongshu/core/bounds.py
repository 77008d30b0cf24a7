"""Bounds of input the database and the calendar can hold; `BadInputMiddleware` answers 400 before a view runs.

Refused, on pages and in the API, with a Chinese message (JSON `{"error", "code": "bad_input", "fields"}` under
`/api/`): a query string that is not UTF-8 or holds a NUL byte; an integer (alone or in a comma-separated id list)
in a query parameter or a form field beyond the 64-bit range of the database; a `year` outside YEAR_MIN–YEAR_MAX;
an urlencoded form body that is not UTF-8.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)
YEAR_MIN, YEAR_MAX = 1000, 2999
YEAR_KEYS = {"year", "年度", "fiscal_year"}

_INT = re.compile(r"^\s*[+-]?\d+\s*$")
MSG_INT = "数字超出允许的范围。"
MSG_YEAR = f"年度应在 {YEAR_MIN} 至 {YEAR_MAX} 之间。"
MSG_UTF8 = "请求含有无效的字符编码（应为 UTF-8）。"
MSG_NUL = "请求含有空字符（NUL），无法处理。"


class BadInput(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def int_in_range(text: str) -> bool:
    """False for an integer the database cannot hold; True otherwise (also for text that is no integer)."""
    if not _INT.match(text):
        return True
    if len(text.strip().lstrip("+-").lstrip("0")) > 19:
        return False
    return INT_MIN <= int(text) <= INT_MAX


def check_value(key: str, value: str) -> None:
    if "\x00" in value:
        raise BadInput(MSG_NUL, key)
    for part in value.split(",") if "," in value and len(value) < 100_000 else [value]:
        if not int_in_range(part):
            raise BadInput(MSG_INT, key)
    if key in YEAR_KEYS and value.strip():
        v = value.strip()
        if _INT.match(v) and len(v) <= 100 and not YEAR_MIN <= int(v) <= YEAR_MAX:
            raise BadInput(MSG_YEAR, key)


def check_query_string(raw: str) -> None:
    try:
        unquote_to_bytes(raw.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(MSG_UTF8) from None
    if "%00" in raw or "\x00" in raw:
        raise BadInput(MSG_NUL)


def check_items(items) -> None:
    for key, values in items:
        for value in values:
            if isinstance(value, str):
                check_value(key, value)


def response(request, exc: BadInput) -> HttpResponse:
    if request.path.startswith("/api/"):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return JsonResponse({"error": exc.message, "code": "bad_input", "fields": fields}, status=400)
    body = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>请求无效 · 中枢</title></head>'
        '<body style="font-family:sans-serif;text-align:center;padding:10vh 16px;color:#1f2933">'
        f'<h1 style="color:#9e1b1b">400</h1><p>{escape(exc.message)}</p>'
        '<p><a href="javascript:history.back()">返回修改</a> · <a href="/">返回工作台</a></p></body></html>'
    )
    return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")


class BadInputMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_query_string(request.META.get("QUERY_STRING", ""))
            check_items(request.GET.lists())
            if request.method in ("POST", "PUT", "PATCH"):
                ctype = request.META.get("CONTENT_TYPE", "")
                if ctype.startswith("application/x-www-form-urlencoded"):
                    try:
                        request.body.decode("utf-8")
                    except UnicodeDecodeError:
                        raise BadInput(MSG_UTF8) from None
                if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                    check_items(request.POST.lists())
        except BadInput as exc:
            return response(request, exc)
        return self.get_response(request)
