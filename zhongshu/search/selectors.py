"""Reads for the search page and API: parsing user input into search() arguments, filter choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from zhongshu.core.classification import Classification

from .registry import ORDERS, SearchResults, kinds_for, search

MAX_QUERY = 100


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    year: int | None = None
    department: int | None = None
    classification: int | None = None
    status: str = ""
    order: str = "relevance"
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)


def _int(data, name: str, lo: int, hi: int, errors: dict[str, str], message: str) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors[name] = message
        return None
    if not lo <= value <= hi:
        errors[name] = message
        return None
    return value


def parse_params(user, data) -> SearchParams:
    """Validate query-string input; bad values are reported in `errors` (Chinese) and ignored."""
    errors: dict[str, str] = {}
    q = (data.get("q") or "").replace("\x00", "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = f"检索词不能超过 {MAX_QUERY} 个字，已截断。"
        q = q[:MAX_QUERY]
    kinds = {s.kind for s in kinds_for(user)}
    kind = (data.get("kind") or "").strip()
    if kind and kind not in kinds:
        errors["kind"] = "没有这一类型，或无权检索。"
        kind = ""
    order = (data.get("order") or "relevance").strip()
    if order not in ORDERS:
        errors["order"] = "排序只能是相关度（relevance）或日期（date）。"
        order = "relevance"
    status = (data.get("status") or "").strip()[:20]
    return SearchParams(
        q=q, kind=kind, order=order, status=status, errors=errors,
        year=_int(data, "year", 1949, 2100, errors, "年度应为四位数字，如 2026。"),
        department=_int(data, "department", 1, 2**62, errors, "部门无效。"),
        classification=_int(data, "classification", 0, 4, errors, "密级无效。"),
        page=_int(data, "page", 1, 10**6, errors, "页码应为正整数。") or 1,
    )


def run(user, params: SearchParams, per_page: int = 20) -> SearchResults:
    return search(
        user, params.q, kinds=[params.kind] if params.kind else None, year=params.year, department=params.department,
        classification=params.classification, status=params.status or None, order=params.order, page=params.page,
        per_page=per_page,
    )


def filter_choices(user, params: SearchParams) -> dict[str, Any]:
    from zhongshu.org.models import Department

    sources = kinds_for(user)
    statuses: dict[str, str] = {}
    for s in sources:
        if not params.kind or s.kind == params.kind:
            for value, label in s.statuses:
                statuses.setdefault(value, str(label))
    this_year = timezone.localdate().year
    return {
        "kinds": [(s.kind, s.label) for s in sources],
        "years": list(range(this_year + 1, this_year - 10, -1)),
        "departments": list(Department.objects.filter(organization_id=user.organization_id, is_active=True).values_list("id", "name")),
        "classifications": [(int(c.value), str(c.label)) for c in Classification if c.value <= int(user.max_classification)],
        "statuses": sorted(statuses.items()),
        "orders": list(ORDERS.items()),
    }
