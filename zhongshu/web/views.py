"""Shell pages: the 工作台, global search, attachment download, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from zhongshu.audit.services import record_access
from zhongshu.core.models import Attachment
from zhongshu.workdays.calendar import day_info

from .registry import cards_for, search_providers_for


@login_required
def workbench(request):
    cards = [
        {"card": card, "html": render_to_string(card.template, card.context(request), request=request)}
        for card in cards_for(request.user)
    ]
    today = timezone.localdate()
    return render(
        request,
        "web/workbench.html",
        {"title": "工作台", "cards": cards, "today": today, "today_info": day_info(today, organization_id=request.user.organization_id)},
    )


@login_required
def search(request):
    from django.apps import apps

    if apps.is_installed("zhongshu.search"):  # full-text index for indexed kinds, providers for the rest
        from zhongshu.search.views import search_page

        return search_page(request)
    # NUL characters cannot reach PostgreSQL (it refuses them in string literals); they are never meaningful here.
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    groups = []
    if q:
        for provider in search_providers_for(request.user):
            hits = provider.search(request.user, q, 20)
            groups.append({"label": provider.label, "hits": hits})
    return render(request, "web/search.html", {"title": "搜索", "search_q": q, "groups": groups, "total": sum(len(g["hits"]) for g in groups)})


@login_required
def attachment(request, pk: int):
    """Download through the parent's restriction: no right to the parent, no file (404)."""
    att = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if att is None:
        raise Http404
    model = att.content_type.model_class()
    if model is None or not hasattr(model.objects, "restrict"):
        raise Http404
    parent = model.objects.restrict(request.user, "view").filter(pk=att.object_id).first()
    if parent is None:
        raise Http404
    record_access(actor=request.user, obj=parent, kind="download")
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404
    if request.GET.get("inline") == "1" and att.mime == "application/pdf":
        # a scanned PDF previewed in a frame on the 拟办/批示 work item page (same origin only)
        from zhongshu.core.headers import frameable

        return frameable(FileResponse(handle, as_attachment=False, filename=att.name, content_type=att.mime))
    return FileResponse(handle, as_attachment=True, filename=att.name, content_type=att.mime)
