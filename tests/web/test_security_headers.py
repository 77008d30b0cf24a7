"""Security headers on every route (issue 14 §5) and templates fit for the Content-Security-Policy.

Every URL pattern of the URL conf is requested as logged-in personas: parameters come from links found on the
pages (real ids of the demo county), else a made-up id (the 404 must carry the headers too). List pages are also
asked for their Excel export. Every response must carry the CSP, ``Cache-Control: no-store`` and the rest.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.access.test_policy_matrix import route_name
from tests.access.test_policy_matrix import url_patterns as matrix_url_patterns
from zhongshu.core.headers import build_csp

ROOT = Path(__file__).resolve().parents[2] / "zhongshu"
LINK = re.compile(r"""(?:href|action|hx-get|hx-post|data-url)\s*=\s*["']([^"'#]+)["']""")
PERSONAS = ("clerk", "director", "archivist", "admin", "secadmin", "auditor")
SKIP = {"accounts:logout", "accounts:activate"}  # would end the walking session


# A document's PDF is previewed in a frame on the 拟办/批示 work item page: those responses (and only they) may be
# framed by the platform's own pages.
FRAMEABLE = {"outgoing:file", "incoming:file", "web:attachment"}


def expected_csp(frameable: bool = False) -> str:
    ancestors = "'self'" if frameable else "'none'"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
            f"connect-src 'self'; frame-ancestors {ancestors}; form-action 'self'; base-uri 'none'; object-src 'none'")


def is_framed_pdf(url: str, response) -> bool:
    name = route_name(urlsplit(url).path)
    if name == "web:attachment" and "inline=1" not in urlsplit(url).query:
        return False  # a stored file is framed only when asked for inline (the 批示 page's preview); else a download
    return name in FRAMEABLE and response.get("Content-Type", "").startswith("application/pdf")


def header_problems(url: str, response, static: bool = False) -> list[str]:
    framed = is_framed_pdf(url, response)
    want = {
        "Content-Security-Policy": expected_csp(framed),
        "X-Frame-Options": "SAMEORIGIN" if framed else "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not static:
        want |= {"Cache-Control": "no-store, private", "Pragma": "no-cache"}
    return [f"{url} ({response.status_code}): {name} = {response.get(name)!r}, want {value!r}"
            for name, value in want.items() if response.get(name) != value]


def url_patterns() -> list[tuple[str, str]]:
    """(route name, path template) of every route: the access matrix's walk of the URL conf."""
    return [(name, template) for name, template, _params, _callback in matrix_url_patterns()]


@pytest.mark.django_db
def test_every_route_carries_the_security_headers(people):
    patterns = url_patterns()
    problems: list[str] = []
    covered: set[str] = set()
    for login in PERSONAS:
        user = people[login]
        if user.admin_role:
            user.totp_confirmed = True
            user.save(update_fields=["totp_confirmed"])
        client = Client()
        client.force_login(user)
        found: dict[str, str] = {}  # route name -> a real URL seen on a page
        queue = [t for name, t in patterns if "{" not in t and name not in SKIP]
        queue += [t + "?export=xlsx" for t in queue if not t.startswith("/api/")]
        seen: set[str] = set()
        while queue and len(seen) < 400:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            name = route_name(url)
            if name in SKIP:
                continue
            response = client.get(url)
            covered.add(name or url)
            problems += header_problems(url, response)
            if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
                for link in LINK.findall(response.content.decode()):
                    path = urlsplit(link).path
                    if link.startswith("/") and not link.startswith("/static/") and route_name(path) not in SKIP:
                        target = route_name(path)
                        if target and target not in found:
                            found[target] = path
                            queue.append(path)
        # Routes not reached through links: a made-up id (404 or the object itself — headers either way).
        for name, template in patterns:
            if name in SKIP or name in found or "{" not in template:
                continue
            url = re.sub(r"{\w+}", "1", template)
            response = client.get(url)
            covered.add(name)
            problems += header_problems(url, response)
        # Writes refused or accepted carry the headers too: a POST without data to a few routes.
        for url in ("/api/v1/notices/", "/accounts/profile/"):
            problems += header_problems(url, client.post(url, {}))
    missing = {name for name, _t in patterns} - covered - SKIP
    assert not missing, f"routes never requested: {sorted(missing)}"
    assert not problems, "\n".join(problems[:40])


@pytest.mark.django_db
def test_anonymous_404_and_api_token_error_carry_the_headers(client, county):
    for url in ("/accounts/login/", "/no-such-page/", "/api/v1/notices/"):
        response = client.get(url)
        assert not header_problems(url, response), header_problems(url, response)


def test_static_files_are_cacheable_but_keep_the_policy(rf):
    from django.http import HttpResponse

    from zhongshu.core.headers import SecurityHeadersMiddleware

    def static_file(request):
        response = HttpResponse("/* js */", content_type="text/javascript")
        response["Cache-Control"] = "max-age=60, public"
        return response

    middleware = SecurityHeadersMiddleware(static_file)
    response = middleware(rf.get("/static/zhongshu/app.js"))
    assert not header_problems("/static/zhongshu/app.js", response, static=True)
    assert response["Cache-Control"] == "max-age=60, public"
    page = middleware(rf.get("/files/1/"))
    assert page["Cache-Control"] == "no-store, private" and page["Pragma"] == "no-cache"


def test_csp_extra_adds_sources_without_dropping_self():
    csp = build_csp("img-src https://witness.example; report-uri /csp-report/")
    assert "img-src 'self' data: blob: https://witness.example" in csp
    assert csp.endswith("report-uri /csp-report/")
    assert "script-src 'self';" in csp
    assert build_csp("") == expected_csp()


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)


def template_files():
    return sorted(p for p in ROOT.glob("*/templates/**/*.html"))


def test_templates_have_no_inline_script_handler_style_or_javascript_url():
    files = template_files()
    assert len(files) > 50
    problems = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in (("inline <script>", INLINE_SCRIPT), ("on*= handler", EVENT_ATTR),
                                  ("style= attribute", STYLE_ATTR), ("javascript: URL", JS_URL)):
                if pattern.search(line):
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {what}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("snippet", ['<script>alert(1)</script>', '<a onclick="x()">', '<p style="color:red">',
                                     '<a href="javascript:void(0)">', '<script type="text/javascript">'])
def test_template_scan_catches(snippet):
    assert any(p.search(" " + snippet) for p in (INLINE_SCRIPT, EVENT_ATTR, STYLE_ATTR, JS_URL))


def test_template_scan_allows_json_script_and_src():
    for snippet in ('<script src="/static/x.js" defer></script>', '<script type="application/json" id="d">'):
        assert not any(p.search(" " + snippet) for p in (INLINE_SCRIPT, EVENT_ATTR, STYLE_ATTR, JS_URL))


def test_static_js_does_not_need_eval():
    for path in (ROOT / "web/static/zhongshu").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "eval(" not in text and "new Function" not in text, path


@pytest.mark.django_db
def test_only_document_pdfs_may_be_framed_and_only_by_the_platform(people):
    """frame-ancestors 'self' / SAMEORIGIN for a document's PDF (previewed on the 批示 page), DENY for everything else."""
    from zhongshu.core.headers import frameable
    from zhongshu.outgoing.models import OutgoingDocument

    out = OutgoingDocument.objects.exclude(status="draft").filter(drafter=people.clerk).first() or OutgoingDocument.objects.exclude(status="draft").first()
    client = Client()
    client.force_login(out.drafter)
    pdf = client.get(f"/outgoing/{out.pk}/file.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in pdf["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in pdf["Content-Security-Policy"]
    docx = client.get(f"/outgoing/{out.pk}/file.docx")
    assert docx["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in docx["Content-Security-Policy"]
    page = client.get(out.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    from django.http import HttpResponse

    assert getattr(frameable(HttpResponse()), "frameable", False) is True
