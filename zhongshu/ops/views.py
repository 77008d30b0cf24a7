from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.context import ip_from_request
from zhongshu.core.errors import ServiceError

from . import health, selectors
from .services import failed_job_retry


@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when database, queue, worker heartbeat and disk are fine, else 503.
    No login, no secrets."""
    body, ok = health.healthz()
    response = JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _metrics_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    ip = ip_from_request(request) or ""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for allowed in getattr(settings, "METRICS_ALLOW_IPS", ["127.0.0.1", "::1"]):
        try:
            if addr in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@require_GET
def metrics(request):
    """Prometheus text exposition; only with METRICS_TOKEN (Bearer) when set, else from METRICS_ALLOW_IPS."""
    if not getattr(settings, "METRICS_ENABLED", True) or not _metrics_allowed(request):
        raise Http404
    from prometheus_client import CONTENT_TYPE_LATEST

    from .metrics import exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


@login_required
def status(request):
    if not has_perm(request.user, "ops.manage"):
        raise Http404
    body, ok = health.healthz()
    return render(request, "ops/status.html", {
        "title": "运行状态", "ok": ok, "checks": body["checks"], "workers": selectors.workers(), "failed": selectors.failed_jobs(),
        "recent": selectors.recent_job_counts(), "backup": selectors.last_backup(), "index": selectors.index_freshness(),
    })


@login_required
@require_POST
def retry(request, task_id):
    if not has_perm(request.user, "ops.manage"):
        raise Http404
    try:
        label = failed_job_retry(actor=request.user, task_id=task_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重新排队：{label}")
    return redirect("ops:status")
