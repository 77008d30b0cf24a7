"""The global search page: full-text hits for the indexed kinds (with filters, snippets, sorting, pages),
and the other registered search providers (通知公告, 人员 …) for what is not in the index."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhongshu.web.registry import search_providers_for

from . import selectors
from .registry import SOURCES


@login_required
def search_page(request):
    params = selectors.parse_params(request.user, request.GET)
    results = selectors.run(request.user, params) if params.q else None
    groups = []
    if params.q and params.page == 1 and not params.kind:
        # Providers of kinds the index covers are replaced by it; the rest still answer by themselves.
        for provider in search_providers_for(request.user):
            if provider.key in SOURCES:
                continue
            hits = provider.search(request.user, params.q, 20)
            if hits:
                groups.append({"label": provider.label, "hits": hits})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "search/results.html", {
        "title": "搜索", "search_q": params.q, "params": params, "results": results, "groups": groups,
        "choices": selectors.filter_choices(request.user, params), "base_query": query.urlencode(),
    })
