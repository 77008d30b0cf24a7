"""Security headers on every response (issue 14 §5, decision 0011).

- ``Content-Security-Policy``: no inline scripts or styles, nothing from outside the server (the vendored htmx and
  ECharts are static files); ``CSP_EXTRA`` adds directives or sources for a site that needs more.
- ``Cache-Control: no-store, private`` and ``Pragma: no-cache`` on everything that is not a static file: pages,
  the API, downloads and exports may show classified content and must not stay in a browser or proxy cache.
- A response marked ``frameable(response)`` (a document's PDF, previewed on the 批示 work item page) may be framed by
  the platform's own pages only: ``frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN``; everything else
  keeps ``'none'``/``DENY``.
- ``Permissions-Policy`` and ``Cross-Origin-Opener-Policy``; ``X-Frame-Options``, ``X-Content-Type-Options`` and
  ``Referrer-Policy`` are set here too, so they hold even for responses built outside Django's own middleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BASE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


def build_csp(extra: str = "") -> str:
    """The policy string: ``BASE_CSP`` plus ``extra`` ("img-src https://witness.example; report-uri /csp/").

    A directive in ``extra`` that exists in the base adds its sources (never replaces ``'self'``); a new directive is
    appended as given.
    """
    directives = {name: list(sources) for name, sources in BASE_CSP.items()}
    for part in extra.split(";"):
        words = part.split()
        if not words:
            continue
        name, sources = words[0].lower(), words[1:]
        known = directives.setdefault(name, [])
        for source in sources:
            if source not in known:
                known.append(source)
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def frameable(response: HttpResponse) -> HttpResponse:
    """Let the platform's own pages show this response in a frame (same origin only)."""
    response.frameable = True  # type: ignore[attr-defined]
    return response


def is_static(path: str) -> bool:
    static_url = "/" + (settings.STATIC_URL or "static/").lstrip("/")
    return path.startswith(static_url)


class SecurityHeadersMiddleware:
    """Adds the headers to every response; place it first in ``MIDDLEWARE`` so it sees every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = build_csp(getattr(settings, "CSP_EXTRA", ""))
        self.csp_frameable = self.csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        framed = bool(getattr(response, "frameable", False))
        response["Content-Security-Policy"] = self.csp_frameable if framed else self.csp
        response["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "same-origin"
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        if not is_static(request.path):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
            if "Expires" in response:
                del response["Expires"]
        return response
