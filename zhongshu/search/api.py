"""GET /api/v1/search?q=… — the same search() (access inside the query) as the search page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .registry import ORDERS, PER_PAGE, SOURCES, search
from .selectors import MAX_QUERY


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY, help_text="检索词（单字、词语、整句、文号均可）")
    kind = serializers.CharField(required=False, max_length=20, help_text="类型，如 outgoing（发文）、incoming（收文）；可用逗号分隔多个")
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100)
    department = serializers.IntegerField(required=False, min_value=1)
    classification = serializers.IntegerField(required=False, min_value=0, max_value=4, help_text="密级 0–4")
    status = serializers.CharField(required=False, max_length=20)
    order = serializers.ChoiceField(choices=list(ORDERS), required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10**6, default=1)
    size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=PER_PAGE)

    def validate_kind(self, value: str) -> list[str]:
        kinds = [k.strip() for k in value.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in SOURCES]
        if unknown:
            raise serializers.ValidationError("未知的类型：" + "、".join(unknown) + "。可用：" + "、".join(sorted(SOURCES)))
        return kinds


SearchHitOut = inline_serializer("SearchHit", {
    "kind": serializers.CharField(), "label": serializers.CharField(), "id": serializers.IntegerField(),
    "title": serializers.CharField(), "title_html": serializers.CharField(help_text="已转义，命中处以 <mark> 标出"),
    "snippet_html": serializers.CharField(help_text="已转义，命中处以 <mark> 标出"), "url": serializers.CharField(),
    "meta": serializers.CharField(), "meta_html": serializers.CharField(help_text="文号等，已转义，命中处以 <mark> 标出"), "date": serializers.DateField(allow_null=True), "classification": serializers.IntegerField(),
    "status": serializers.CharField(),
})


@extend_schema(
    parameters=[SearchQuery], tags=["全文检索"],
    responses=inline_serializer("SearchResults", {
        "count": serializers.IntegerField(), "capped": serializers.BooleanField(help_text="结果超过上限，count 为上限"),
        "page": serializers.IntegerField(), "pages": serializers.IntegerField(), "results": serializers.ListField(child=SearchHitOut),
    }),
)
@api_view(["GET"])
def search_api(request):
    """Full-text search over everything the caller may see (发文, 收文 …)."""
    data = SearchQuery(data=request.query_params)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    kinds = v.get("kind") or None
    r = search(
        request.user, v["q"], kinds=kinds, year=v.get("year"), department=v.get("department"),
        classification=v.get("classification"), status=v.get("status") or None, order=v["order"], page=v["page"], per_page=v["size"],
    )
    return Response({
        "count": r.total, "capped": r.capped, "page": r.page, "pages": r.num_pages,
        "results": [
            {"kind": h.kind, "label": h.label, "id": h.object_id, "title": h.title, "title_html": str(h.title_html),
             "snippet_html": str(h.snippet_html), "url": h.url, "meta": h.meta, "meta_html": str(h.meta_html), "date": h.date, "classification": h.classification,
             "status": h.status_label}
            for h in r.hits
        ],
    })
