"""Every API error is JSON: {"error": 中文说明, "code": 机器码, "fields": {字段: [说明…]}} with a 4xx status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from zhongshu.core.errors import ServiceError

MESSAGES = {
    exceptions.NotAuthenticated: "请先登录或提供有效的令牌。",
    exceptions.AuthenticationFailed: "令牌无效或已过期。",
    exceptions.PermissionDenied: "您没有执行此操作的权限。",
    exceptions.ParseError: "请求内容格式错误，应为 JSON。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型。",
    exceptions.MethodNotAllowed: "不支持该请求方法。",
    exceptions.NotAcceptable: "无法按请求的格式返回。",
    exceptions.Throttled: "请求过于频繁，请稍后再试。",
}


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                msgs: list[str] = []
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        for sub, m in _flatten(item).items():
                            out[f"{key}[{i}].{sub}"] = m
                    else:
                        msgs.append(str(item))
                if msgs:
                    out[key] = msgs
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(x) for x in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return Response({"error": exc.message, "code": exc.code, "fields": exc.fields}, status=exc.status)
    if isinstance(exc, Http404):
        return Response({"error": "对象不存在或您无权查看。", "code": "not_found", "fields": {}}, status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()), ["输入有误。"])[0]
        return Response({"error": f"输入有误：{first}", "code": "invalid", "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        message = MESSAGES.get(type(exc), str(exc.detail) if isinstance(exc.detail, str) else "请求无效。")
        headers = {}
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        return Response({"error": message, "code": code, "fields": {}}, status=exc.status_code, headers=headers)
    return None
