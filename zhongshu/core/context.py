"""Request context that services may need without taking the request (the client IP for audit)."""

from __future__ import annotations

import contextvars

client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)
# The signed-in person of the request (session or API token), for derived data that must know who acted — the one
# inbox closes the acting person's task as 已办 and the others' as 无需办理. Never an access decision.
current_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("current_user_id", default=None)
# The id of the request being served (X-Request-ID or a new one), carried into the jobs it queues and into every log
# line (zhongshu/ops/logs.py), so one action can be followed from the web server through the worker.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def ip_from_request(request) -> str | None:
    # Behind a reverse proxy, set TRUSTED_PROXY=1 so the proxy's X-Forwarded-For is used.
    from django.conf import settings

    if getattr(settings, "TRUSTED_PROXY", False):
        fwd = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if fwd:
            return fwd.split(",")[0].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45] or None
