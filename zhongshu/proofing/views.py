"""公文校对 pages: thin — the page's script calls the API; settings go through the service."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import ServiceError
from zhongshu.proofread import RULES
from zhongshu.web.forms import apply_errors

from . import selectors, services
from .forms import CATEGORY_LABELS, SEVERITY_LABELS, ProofreadSettingsForm, ProofreadTextForm

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def proofreader_meta() -> dict:
    """Labels the inline proofreader shows (categories, rule titles), for json_script."""
    return {
        "categories": CATEGORY_LABELS,
        "severities": SEVERITY_LABELS,
        "rules": {name: r.title_zh for name, r in RULES.items()},
    }


@login_required
def proofread_page(request):
    if not has_perm(request.user, "proofread.use"):
        raise Http404
    ctx = {
        "title": "公文校对",
        "form": ProofreadTextForm(),
        "proofreader_meta": proofreader_meta(),
        "can_manage": has_perm(request.user, "proofread.manage"),
        "max_chars": services.MAX_CHARS,
    }
    return render(request, "proofing/index.html", ctx)


def _json_list(request, name: str):
    raw = request.POST.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ServiceError(f"{name} 应为 JSON 列表。", fields={name: "应为 JSON 列表。"}) from None


@login_required
@require_POST
def docx_fixed(request):
    """下载修改后的 DOCX: the uploaded file again, with the non-ignored (or the accepted) fixes applied."""
    upload = request.FILES.get("file")
    try:
        data, _applied = services.proofread_docx_fixed(
            user=request.user, upload=upload, doc_type=request.POST.get("doc_type"),
            ignored=_json_list(request, "ignored"), ignored_spans=_json_list(request, "ignored_spans"),
            accepted=_json_list(request, "accepted"),
        )
    except ServiceError as exc:
        return JsonResponse({"error": exc.message, "code": exc.code, "fields": exc.fields}, status=exc.status)
    stem = (upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:-5] or "文档"
    name = f"{stem}（校对后）.docx"
    resp = HttpResponse(data, content_type=DOCX_MIME)
    resp["Content-Disposition"] = f"attachment; filename=\"proofread.docx\"; filename*=UTF-8''{quote(name)}"
    resp["Cache-Control"] = "no-store"
    return resp


@login_required
def settings_page(request):
    if not has_perm(request.user, "proofread.manage") or request.user.organization is None:
        raise Http404
    org = request.user.organization
    current = selectors.settings_for(org)
    disabled = set(current.disabled_rules if current else [])
    initial = {
        "enabled_rules": [name for name in RULES if name not in disabled],
        "banned_terms": current.banned_terms if current else "",
    }
    form = ProofreadSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proofread_settings_update(
                actor=request.user, organization=org, disabled_rules=form.disabled_rules(),
                banned_terms=form.cleaned_data["banned_terms"],
            )
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "校对设置已保存，对本机关所有人员生效。")
            return redirect("proofing:settings")
    ctx = {
        "title": "校对设置",
        "form": form,
        "organization": org,
        "settings_row": current,
        "disabled_count": len(disabled),
        "rule_count": len(RULES),
    }
    return render(request, "proofing/settings.html", ctx)
