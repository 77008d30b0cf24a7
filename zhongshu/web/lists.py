"""The list pattern every module uses: filter (django-filter), whitelisted sort, pagination, Excel export.

The queryset handed in has already gone through access (restrict or a selector), so an export can never
contain more than the list shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property

from zhongshu.core.excel import xlsx_response


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: an exact count of 60,000 visible rows costs more than the page itself,
    and nobody pages that far (the list shows “10000+ 条”; filters narrow it)."""

    COUNT_CAP = 10000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


def local(value, fmt: str = "Y-m-d H:i") -> str:
    """Format a date/datetime for a list cell in local time (Asia/Shanghai); the database holds UTC."""
    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone

    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_filter(value, fmt)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Any]
    sort: str | None = None  # ORM field to order by, or None when the column is not sortable
    link: bool = False  # the cell links to the row's page (the title); without one the first column does
    deadline: bool = False  # the time limit: kept on a card's first line on narrow screens


class ListPage:
    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        columns: list[Column],
        *,
        filterset_class=None,
        default_sort: str | tuple[str, ...] = "-id",
        page_size: int = 20,
    ):
        self.request = request
        self.columns = columns
        self.filterset = filterset_class(request.GET or None, queryset=queryset, request=request) if filterset_class else None
        qs = self.filterset.qs if self.filterset is not None and self.filterset.is_valid() else queryset
        sortable = {c.key: c.sort for c in columns if c.sort}
        raw = request.GET.get("sort", "")
        key = raw.lstrip("-")
        self.sort = raw if key in sortable else ""
        if self.sort:
            field = sortable[key]
            qs = qs.order_by(("-" if raw.startswith("-") else "") + field, "-pk")
        else:
            order = (default_sort, "-pk") if isinstance(default_sort, str) else default_sort
            qs = qs.order_by(*order) if default_sort else qs
        self.queryset = qs
        try:
            size = min(100, max(5, int(request.GET.get("size", page_size))))
        except ValueError:
            size = page_size
        self.paginator = CappedPaginator(qs, size)
        self.page = self.paginator.get_page(request.GET.get("page"))

    @property
    def filter_errors(self) -> dict:
        return dict(self.filterset.errors) if self.filterset is not None and self.filterset.is_bound else {}

    @cached_property
    def link_index(self) -> int:
        """The column whose cell links to the row's page: the one marked `link`, else the first."""
        return next((i for i, c in enumerate(self.columns) if c.link), 0)

    def rows(self) -> list[dict]:
        """Each row: the object, the plain `cells` and `items` — the cell with its column's label (the card
        layout on phones prints it before the value), key, whether it is the link and whether it is the deadline."""
        out = []
        for obj in self.page.object_list:
            cells = [c.value(obj) for c in self.columns]
            items = [{"value": v, "label": c.label, "key": c.key, "link": i == self.link_index, "deadline": c.deadline}
                     for i, (c, v) in enumerate(zip(self.columns, cells, strict=True))]
            out.append({"obj": obj, "cells": cells, "items": items})
        return out

    def header(self) -> list[dict]:
        out = []
        params = self.request.GET.copy()
        for c in self.columns:
            entry = {"label": c.label, "sortable": bool(c.sort), "state": ""}
            if c.sort:
                current = self.sort.lstrip("-") == c.key
                desc = self.sort.startswith("-")
                params["sort"] = ("" if current and desc else "-") + c.key if current else c.key
                params.pop("page", None)
                entry["url"] = "?" + params.urlencode()
                entry["state"] = ("desc" if desc else "asc") if current else ""
            out.append(entry)
        return out

    def page_url(self, number: int) -> str:
        params = self.request.GET.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    @property
    def prev_url(self) -> str:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""

    def export_url(self) -> str:
        params = self.request.GET.copy()
        params.pop("page", None)
        params["export"] = "xlsx"
        return "?" + params.urlencode()

    def wants_export(self) -> bool:
        return self.request.GET.get("export") == "xlsx"

    def export(self, filename: str, limit: int = 50000) -> HttpResponse:
        rows = ([_plain(c.value(o)) for c in self.columns] for o in self.queryset[:limit])
        return xlsx_response(filename, [(filename.rsplit(".", 1)[0], [c.label for c in self.columns], rows)])


def _plain(value: Any) -> Any:
    return str(value) if hasattr(value, "__html__") else value
