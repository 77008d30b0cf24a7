"""First middleware: the request id (X-Request-ID from the proxy when well-formed, else a new one) in the log
context and the response, and the request counters and latency for /metrics."""

from __future__ import annotations

import re
import time
import uuid

from zhongshu.core.context import request_id

from .metrics import LATENCY, REQUESTS

_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or ("static" if request.path.startswith("/static/") else "unmatched")
        method = request.method if request.method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") else "other"
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        response["X-Request-ID"] = rid
        return response
