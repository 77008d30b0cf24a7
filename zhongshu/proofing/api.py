"""公文校对 API: POST /api/v1/proofread (JSON text) and POST /api/v1/proofread/docx (multipart file).

The findings have the same JSON shape as ``zhongshu proofread --json``. The services check every
argument's type, so a malformed body gets a Chinese 400 with ``fields``, never a 500.
"""

from __future__ import annotations

import json

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zhongshu.api.parsers import JSONParser
from zhongshu.core.errors import ServiceError

from . import services

# 200,000 characters written as \uXXXX escapes, plus the ignore lists.
MAX_JSON_BYTES = 4 * 1024 * 1024


class FindingSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="起点（按字符计，从 0 开始）")
    end = serializers.IntegerField(help_text="终点（不含）")
    category = serializers.ChoiceField(choices=["punct", "number", "width", "space", "format", "typo", "usage"])
    category_label = serializers.CharField(help_text="类别的中文名称（标点符号、数字用法、公文格式……）")
    rule = serializers.CharField(help_text="规则名，见 docs/proofread.md")
    message = serializers.CharField()
    suggestion = serializers.CharField(allow_null=True, help_text="替换 text[start:end] 的文字；空串为删除，null 为无自动修改")
    severity = serializers.ChoiceField(choices=["error", "warning"])


class ProofreadRequest(serializers.Serializer):
    text = serializers.CharField(help_text=f"要校对的文字，最多 {services.MAX_CHARS:,} 字", trim_whitespace=False)
    doc_type = serializers.ChoiceField(choices=services.DOC_TYPES, required=False, allow_blank=True, help_text="文种（启用行文规则检查）")
    ignored = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="全文忽略：[[规则, 文字], …]"
    )
    ignored_spans = serializers.ListField(
        child=serializers.ListField(), required=False, help_text="忽略一次：[[规则, 起点, 终点], …]"
    )


class DocxRequest(serializers.Serializer):
    file = serializers.FileField(help_text=".docx 文件，不超过 10 MB")
    doc_type = serializers.ChoiceField(choices=services.DOC_TYPES, required=False, allow_blank=True)
    ignored = serializers.CharField(required=False, help_text="JSON：[[规则, 文字], …]")
    ignored_spans = serializers.CharField(required=False, help_text="JSON：[[规则, 起点, 终点], …]")


_COUNTS = inline_serializer("ProofreadCounts", {c: serializers.IntegerField() for c in services.counts_of([])})
ProofreadResponse = inline_serializer(
    "ProofreadResponse",
    {"findings": FindingSerializer(many=True), "counts": _COUNTS, "text_length": serializers.IntegerField()},
)
DocxResponse = inline_serializer(
    "ProofreadDocxResponse",
    {
        "findings": FindingSerializer(many=True),
        "counts": _COUNTS,
        "text_length": serializers.IntegerField(),
        "text": serializers.CharField(help_text="文档正文（各段以换行连接），findings 的位置以此为准"),
    },
)


def result(text: str, findings) -> dict:
    return {
        "findings": [f.to_dict() for f in findings],
        "counts": services.counts_of(findings),
        "text_length": len(text),
    }


def _body(request) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_JSON_BYTES:
        raise ServiceError("请求内容过大。", fields={"text": f"一次最多校对 {services.MAX_CHARS:,} 字。"})
    data = request.data
    if not isinstance(data, dict):
        raise ServiceError("请求内容应为 JSON 对象：{\"text\": …}。", fields={"non_field_errors": "请求内容应为 JSON 对象。"})
    return data


def _json_field(data, name: str):
    """A list sent as a JSON string in a multipart form."""
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        raise ServiceError(f"{name} 应为 JSON 列表。", fields={name: "应为 JSON 列表。"}) from None


@extend_schema(
    request=ProofreadRequest,
    responses=ProofreadResponse,
    tags=["公文校对"],
    summary="校对文字",
    examples=[OpenApiExample("示例", value={"text": "经研究,决定召开会议。", "doc_type": "通知"}, request_only=True)],
)
@api_view(["POST"])
@parser_classes([JSONParser])
def proofread_text(request):
    data = _body(request)
    text = data.get("text")
    findings = services.proofread_text(
        user=request.user, text=text, doc_type=data.get("doc_type"),
        ignored=data.get("ignored"), ignored_spans=data.get("ignored_spans"),
    )
    return Response(result(text, findings))


@extend_schema(request={"multipart/form-data": DocxRequest}, responses=DocxResponse, tags=["公文校对"], summary="校对 .docx 文档")
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def proofread_docx(request):
    data = request.data
    text, findings = services.proofread_docx(
        user=request.user, upload=request.FILES.get("file"), doc_type=data.get("doc_type"),
        ignored=_json_field(data, "ignored"), ignored_spans=_json_field(data, "ignored_spans"),
    )
    return Response({**result(text, findings), "text": text})
