"""The generic access matrix (issue 13, decision 0002): every module's objects, every route, every persona.

The world holds every module's objects (tests/access/matrix/build_*.py) at each classification, in and out of
need-to-know, own and other organization. Each persona then walks the platform: every route of the URL conf
without parameters (with `?export=xlsx` too), every object's page, global search for every marker, every link and
form found on any persona's pages (so routes with parameters are reached the way people reach them), and every
API route with the ids of the objects the persona may not read. Nothing they get — HTML, JSON, Excel, DOCX, ZIP,
PDF — and no notification, e-mail or group-robot message may carry a marker they may not read; a form posted
against an object they may not read changes nothing. Meta-tests: every route was reached (or is exempt, with the
reason), and every model with a policy has objects in the world.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.access.matrix.reveal import reveal
from tests.access.matrix.world import MARKER, PERSONAS, World, builders, policy_rows, visible_markers

pytestmark = pytest.mark.django_db

# Routes no persona reaches on business objects, with the reason. Everything else must be walked.
EXEMPT = {
    "accounts:logout": "ends the walking session",
    "accounts:login": "anonymous page, no business content",
    "accounts:totp_verify": "second-factor step of the login",
    "accounts:activate": "one-time account activation: ends the session of whoever opens it",
    "healthz": "load-balancer probe, no business content",
    "api-token": "issues tokens (tested in tests/accounts)",
    "api-docs": "static Swagger UI page",
    "api-schema": "the schema itself (no data)",
    "api-root": "DRF's list of routes",
    "archives:batch_progress": "htmx fragment polled only while a 年终归档 batch runs; the world's batch has finished",
    "meetings:checkin": "reached by scanning the meeting's QR code (signed token): tests/meetings/test_lifecycle.py",
    "meetings:qr": "an <img src> on the organizer's meeting page (the crawler follows links and forms): tests/meetings/test_lifecycle.py",
    "agenda:feed": "the secret subscription link, shown once to its owner: tests/meetings/test_calendar.py",
}
BUSINESS_APPS = ("notices", "outgoing", "incoming", "supervision", "archives", "flow", "access", "search", "seals", "meetings")
LINK = re.compile(r"""(?:href|action|hx-get|hx-post|data-url)\s*=\s*["']([^"'#]+)["']""")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r"""(\w[\w-]*)\s*=\s*["']([^"']*)["']""")
INPUT = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)
MAX_GETS = 700  # per persona, crawl phase
MAX_VARIANTS = 3  # query-string variants of one path: a list sorted twelve ways shows the same rows


def url_patterns():
    """(route name, path template, parameter names) of every route in the URL conf; format-suffix twins dropped."""
    out = []

    def walk(patterns, prefix, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), f"{ns}:{p.namespace}".strip(":") if p.namespace else ns)
            elif isinstance(p, URLPattern):
                raw = prefix + str(p.pattern)
                if "format" in p.pattern.regex.groupindex:
                    continue
                template = raw.replace("^", "").replace("$", "")
                template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", template)
                template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
                name = f"{ns}:{p.name}" if ns else (p.name or raw)
                out.append((name, "/" + template, re.findall(r"{(\w+)}", template), p.callback))

    walk(get_resolver().url_patterns, "", "")
    return out


def route_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def app_of(path: str) -> str:
    """The app whose view answers `path` (its tables are the ones a post there could change)."""
    try:
        func = resolve(urlsplit(path).path).func
    except Resolver404:
        return ""
    return (getattr(func, "cls", None) or getattr(func, "view_class", None) or func).__module__.split(".")[1]


def api_schema() -> dict[str, dict[str, list[str]]]:
    """{path template: {method: [path parameter names]}} from the OpenAPI schema the platform publishes."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {path: {m: [x["name"] for x in op.get("parameters", []) if x["in"] == "path"] for m, op in ops.items()}
            for path, ops in schema["paths"].items()}


def model_of(name: str, callback) -> type | None:
    """The model whose ids an API route takes: the view's queryset or serializer, else the flow API's two."""
    view = getattr(callback, "cls", None)
    for candidate in (getattr(view, "queryset", None), getattr(getattr(view, "serializer_class", None), "Meta", None)):
        model = getattr(candidate, "model", None)
        if model is not None:
            return model
    from zhongshu.flow.models import FlowInstance, WorkItem

    return {"api-flow-item": WorkItem, "api-flow-item-act": WorkItem, "api-flow-instance": FlowInstance,
            "api-flow-instance-act": FlowInstance}.get(name)


def param_values() -> dict[str, list[str]]:
    """Values of path parameters that are not object ids, taken from the code that accepts them."""
    from zhongshu.flow.api import INSTANCE_PAYLOADS, ITEM_PAYLOADS

    return {"api-flow-item-act": sorted(ITEM_PAYLOADS), "api-flow-instance-act": sorted(INSTANCE_PAYLOADS)}


def dependent_ids(model, rows, forbidden: set[str]) -> list[int]:
    """Ids of a model without a policy of its own (a register row, a loan) whose object — the row it points to
    with a foreign key, of a model with a policy — the persona may not read."""
    policy_models = {m for m, *_ in rows}
    fk = next((f for f in model._meta.concrete_fields if f.is_relation and f.related_model in policy_models), None)
    if fk is None:
        return []
    parents = {row.pk for m, row, found in rows if m is fk.related_model and found and found <= forbidden}
    return sorted(model._default_manager.filter(**{f"{fk.name}__in": parents}).values_list("pk", flat=True))


def listed_ids(callback, user) -> set[int]:
    """The ids an API view's own queryset gives `user` (what its list shows them)."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view = callback.cls(request=request, format_kwarg=None, action="list", kwargs={})
    return set(view.get_queryset().values_list("pk", flat=True))


def _full_fingerprint(app_labels: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for app in app_labels:
        for model in apps.get_app_config(app).get_models():
            for row in model._default_manager.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


WRITE = re.compile(r"""^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""", re.I)


class _Writes:
    """Every INSERT/UPDATE/DELETE the test's connection runs, by table (a Django execute wrapper). A fingerprint of
    some tables stays valid while none of them is written, so most of the thousands of refused posts cost no
    re-reading of whole tables; any write to them makes the next fingerprint read every row again."""

    def __init__(self) -> None:
        self.seq: dict[str, int] = defaultdict(int)
        self.cache: dict[tuple[str, ...], tuple[tuple[int, ...], str]] = {}

    def __call__(self, execute, sql, params, many, context):
        m = WRITE.match(sql)
        if m:
            self.seq[m.group(1).lower()] += 1
        return execute(sql, params, many, context)

    @staticmethod
    def tables(app_labels: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({m._meta.db_table.lower() for app in app_labels for m in apps.get_app_config(app).get_models()}))


_WRITES: _Writes | None = None


def db_fingerprint(app_labels: tuple[str, ...] = BUSINESS_APPS) -> str:
    """A digest of every row of the business tables (not the audit trail, sessions or notifications), or of the
    tables of the apps named — recomputed only when one of those tables was written since the last time."""
    if _WRITES is None:
        return _full_fingerprint(app_labels)
    tables = _WRITES.tables(app_labels)
    stamp = tuple(_WRITES.seq[t] for t in tables)
    cached = _WRITES.cache.get(app_labels)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    digest = _full_fingerprint(app_labels)
    _WRITES.cache[app_labels] = (stamp, digest)
    return digest


@pytest.fixture
def tracked_writes():
    from django.db import connection

    global _WRITES
    _WRITES = _Writes()
    try:
        with connection.execute_wrapper(_WRITES):
            yield _WRITES
    finally:
        _WRITES = None


def leaks(text: str, forbidden: set[str]) -> set[str]:
    flat = re.sub(r"\s+", "", html.unescape(text))
    found = set(MARKER.findall(flat))
    # JSON written with ASCII escapes would hide the characters: decode them too.
    if "\\u" in flat:
        with contextlib.suppress(ValueError):
            found |= set(MARKER.findall(json.loads(f'"{flat}"')))
    return found & forbidden


def forms_of(page: str, base: str):
    for attrs, inner in FORM.findall(page):
        a = dict(ATTR.findall(attrs))
        if a.get("method", "get").lower() != "post":
            continue
        fields = {}
        for _tag, iattrs in INPUT.findall(inner):
            ia = dict(ATTR.findall(iattrs))
            if "name" in ia and ia.get("type") not in ("file", "submit"):
                fields[ia["name"]] = ia.get("value", "1")
        yield urljoin(base, a.get("action") or base), fields


@pytest.fixture
def world(people, django_capture_on_commit_callbacks, monkeypatch):
    """Every module's builder, run with on-commit work executed (notifications, e-mail, webhooks, indexing)."""
    sent = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout=None):
        sent.append(request.data.decode())
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    w = World(people)
    with django_capture_on_commit_callbacks(execute=True):
        for _name, build in builders():
            build(w)
    from zhongshu.search.indexing import reindex

    reindex()
    w.webhooks = sent
    return w


def test_access_matrix(world, people, tracked_writes):
    rows = policy_rows()
    markers = set().union(*(found for *_, found in rows)) if rows else set()
    classified = {m for model, row, found in rows for m in found if int(getattr(row, "classification", 0) or 0) >= 2}
    problems: list[str] = []

    # Meta: every model with a policy is in the world.
    from zhongshu.access.policy import registered

    missing = [m._meta.label for m in registered() if not any(model is m for model, *_ in rows)]

    # Group robots leave the classified network: no classified marker in any webhook payload.
    for text in world.webhooks:
        if leaks(text, classified):
            problems.append(f"webhook payload carries classified {leaks(text, classified)}")

    patterns = url_patterns()
    discovered: dict[str, None] = {}
    post_forms: dict[tuple[str, str], tuple[dict, set[str]]] = {}
    offered: dict[str, set[str]] = defaultdict(set)  # form action -> personas whose pages offered it
    covered: set[str] = set()
    seeds = [t for name, t, params, _cb in patterns if not params and name not in EXEMPT]
    seeds += [t + "?export=xlsx" for t in seeds if not t.startswith("/api/")]
    seeds += [urlsplit(row.get_absolute_url()).path for _m, row, _f in rows if hasattr(row, "get_absolute_url")]
    seeds += [people[login].get_absolute_url() for login in PERSONAS]  # their pages list their tokens, delegations …
    from zhongshu.flow.models import FlowDefinition

    # the flow administrator's step editors: deep behind the definition pages, past the crawl budget of a large world
    seeds += [reverse("flow:definition_steps", args=[pk]) for pk in FlowDefinition.objects.order_by("pk").values_list("pk", flat=True)[:4]]

    clients = {}
    forbidden_of = {}
    for login in PERSONAS:
        user = people[login]
        if user.admin_role:
            user.totp_confirmed = True
            user.save(update_fields=["totp_confirmed"])
        c = Client()
        c.force_login(user)
        clients[login] = c
        forbidden_of[login] = markers - visible_markers(user, rows)

        # Notifications in-app and by e-mail.
        for title, body in user.notifications.values_list("title", "body") if hasattr(user, "notifications") else []:
            if leaks(title + body, forbidden_of[login]):
                problems.append(f"{login}: notification {title!r} carries {leaks(title + body, forbidden_of[login])}")
        for message in mail.outbox:
            if user.email and user.email in message.to and leaks(message.subject + message.body, forbidden_of[login]):
                problems.append(f"{login}: e-mail {message.subject!r} carries forbidden markers")
            if leaks(message.subject + message.body, classified):
                problems.append(f"e-mail {message.subject!r} carries a classified marker")

    from zhongshu.notify.models import Notification

    for n in Notification.objects.select_related("recipient").filter(recipient__username__in=PERSONAS):
        bad = leaks(n.title + n.body, forbidden_of[n.recipient.username])
        if bad:
            problems.append(f"{n.recipient.username}: notification {n.title!r} carries {bad}")

    stats = defaultdict(int)

    audit_forbidden = {}
    for login in PERSONAS:
        # The audit trail may name objects up to 非涉密 (内部) by their title (issue 13 §2: it keeps metadata, never the
        # title of anything above 非涉密, and redacts what is above the reader's clearance): on its pages only the
        # classified markers above the reader's clearance are forbidden.
        level = people[login].max_classification
        audit_forbidden[login] = {m for model, row, found in rows for m in found
                                  if int(getattr(row, "classification", 0) or 0) >= 2 and int(row.classification) > level} & forbidden_of[login]
    not_get: set[str] = set()  # URLs that answered 405 to a GET: form endpoints, tried by the POST phases instead

    def get(login, url, echo: str = ""):
        name = route_name(url)
        stats[name] += 1
        response = clients[login].get(url)
        if name:
            covered.add(name)
        if response.status_code == 405:
            not_get.add(url)
        forbidden = audit_forbidden[login] if app_of(url) == "audit" else forbidden_of[login]
        text = reveal(response) if response.status_code < 500 else ""
        if echo:  # a search page repeats the query: only occurrences beyond the repetition are shown results
            text = text.replace(echo, "", echo_count[urlsplit(url).path])
        bad = leaks(text, forbidden)
        if response.status_code >= 500:
            problems.append(f"{login}: GET {url} → {response.status_code}")
        if bad:
            problems.append(f"{login}: GET {url} ({response.status_code}) shows {sorted(bad)}")
        return response

    # Phase 1: each persona walks from the seeds and from what earlier personas found.
    fetched: dict[str, set[str]] = defaultdict(set)
    variants: dict[str, int] = defaultdict(int)  # query-string variants (sorting, paging, filters) kept per path
    per_route: dict[str, int] = defaultdict(int)  # URLs kept per route of the directory and configuration pages
    for login in PERSONAS:
        queue = list(dict.fromkeys([*seeds, *discovered]))
        count = 0
        while queue and count < MAX_GETS:
            url = queue.pop(0)
            if url in fetched[login] or url in not_get or route_name(url) in EXEMPT or route_name(url) is None:
                continue
            fetched[login].add(url)
            count += 1
            response = get(login, url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode("utf-8", "replace")
            page_markers = set(MARKER.findall(page))
            for link in LINK.findall(page):
                target = urljoin(url, html.unescape(link))
                if not target.startswith("/") or target.startswith("/static/") or route_name(target) in EXEMPT:
                    continue
                path = urlsplit(target).path
                name = route_name(target) or ""
                directory = name.split(":")[0] not in BUSINESS_APPS  # people, departments, calendar …: a sample is enough
                if target not in discovered and (target == path or variants[path] < MAX_VARIANTS) and (
                        not directory or per_route[name] < MAX_VARIANTS):
                    variants[path] += target != path
                    per_route[name] += directory
                    discovered[target] = None
                    queue.append(target)
            for action, fields in forms_of(page, url):
                if route_name(action) and route_name(action) not in EXEMPT:
                    post_forms.setdefault((action, json.dumps(sorted(fields))), (fields, page_markers))
                    offered[action].add(login)

    # Phase 2: every persona fetches every object page anyone found (GET only: the links people follow). Sorting,
    # paging and filter variants of a list stay with the persona who found them (each persona walks its own lists).
    for login in PERSONAS:
        for url in discovered:
            parts = urlsplit(url)
            if parts.query and "export=" not in parts.query:
                continue
            if url not in fetched[login] and url not in not_get and route_name(url) not in EXEMPT and route_name(url):
                fetched[login].add(url)
                response = get(login, url)
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    page = response.content.decode("utf-8", "replace")
                    page_markers = set(MARKER.findall(page))
                    for action, fields in forms_of(page, url):
                        if route_name(action) and route_name(action) not in EXEMPT:
                            post_forms.setdefault((action, json.dumps(sorted(fields))), (fields, page_markers))
                            offered[action].add(login)

    # Global search: every hit for “矩阵” (the API, every page of 100), then the page for a sample of each persona's
    # forbidden markers one by one (snippets, counts and the 文号 line included).
    echo_count = {}
    for path in ("/search/", "/api/v1/search"):
        echo_count[path] = re.sub(r"\s+", "", html.unescape(reveal(clients["clerk"].get(f"{path}?q=矩阵9999号")))).count("矩阵9999号")
    for login in PERSONAS:
        page, pages = 1, 1
        while page <= pages:
            response = get(login, f"/api/v1/search?q=矩阵&size=100&page={page}")
            pages = response.json().get("pages", 1) if response.status_code == 200 else 0
            page += 1
        get(login, "/search/?q=矩阵")
        sample = sorted(forbidden_of[login])
        for marker in sample[:: max(1, len(sample) // 8)]:
            get(login, f"/search/?q={marker}", echo=marker)
            get(login, f"/api/v1/search?q={marker}", echo=marker)

    # API routes, from the URL conf and the OpenAPI schema together: each schema path must be a route of the URL
    # conf, and each route is tried with every method the schema gives it (GET when it gives none), with the ids of
    # every object of the route's app that the persona may not read. Reading must reveal nothing; writing (POST,
    # PUT, PATCH, DELETE) must be refused and change nothing.
    ids_by_app: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for model, row, found in rows:
        for marker in found:
            ids_by_app[model._meta.app_label][marker].add(row.pk)
    schema = api_schema()
    methods_of: dict[str, set[str]] = defaultdict(set)
    for path, ops in schema.items():
        name = route_name(re.sub(r"{(\w+)}", "1", path).replace("/1/1/", "/1/approve/"))
        if name is None:
            problems.append(f"OpenAPI path {path} is not a route of the URL conf")
            continue
        methods_of[name] |= set(ops)
    values = param_values()
    from zhongshu.audit.models import AuditEntry

    api_routes = [(n, t, ps, cb) for n, t, ps, cb in patterns if t.startswith("/api/") and ps and n not in EXEMPT]
    for login in PERSONAS:
        forbidden = forbidden_of[login]
        for name, template, params, callback in api_routes:
            app = (getattr(callback, "cls", None) or callback).__module__.split(".")[1]
            business = app in ids_by_app
            if business:
                model = model_of(name, callback)
                if model is not None and not any(m is model for m, *_ in rows):  # rows without a policy of their own
                    # (register rows, loans): those of objects they may not read, less those the route itself lists
                    # for them (a borrower's own request for an item they may not open yet)
                    ids = sorted(set(dependent_ids(model, rows, forbidden)) - listed_ids(callback, people[login]))
                else:
                    ids = sorted({row.pk for m, row, found in rows if (m is model if model else m._meta.app_label == app) and found and found <= forbidden})
            elif app == "audit":  # the trail's entries about objects the persona may not read
                targets = {f"{model._meta.label_lower}:{row.pk}" for model, row, found in rows if found & forbidden}
                ids = sorted(seq for seq, t, i in AuditEntry.objects.values_list("seq", "target_type", "target_id") if f"{t}:{i}" in targets)
            else:
                ids = [1, 2]
            pk_param, *others = params
            for pk in ids[:: max(1, len(ids) // 12)]:  # a dozen, spread over levels and states
                urls = [template.replace("{" + pk_param + "}", str(pk))]
                for other in others:
                    urls = [u.replace("{" + other + "}", v) for u in urls for v in values.get(name, ["1"])]
                for url in urls:
                    for method in sorted(methods_of.get(name) or {"get"}):
                        if method == "get":
                            get(login, url)
                            continue
                        if not business:  # people, tokens, delegations …: refused or allowed, never a 5xx or a leak
                            response = getattr(clients[login], method)(url, {}, content_type="application/json")
                            covered.add(name)
                            if response.status_code >= 500 or leaks(reveal(response), forbidden):
                                problems.append(f"{login}: {method.upper()} {url} → {response.status_code}")
                            continue
                        tables = tuple(dict.fromkeys((app, "flow", "access")))
                        before = db_fingerprint(tables)
                        response = getattr(clients[login], method)(url, {}, content_type="application/json")
                        covered.add(name)
                        if response.status_code < 300 or db_fingerprint(tables) != before:
                            problems.append(f"{login}: {method.upper()} {url} → {response.status_code} on an object they may not read")
                        if leaks(reveal(response), forbidden):
                            problems.append(f"{login}: {method.upper()} {url} shows {sorted(leaks(reveal(response), forbidden))}")

    # Forms posted against objects a persona may not read change nothing and reveal nothing (a few per route and
    # persona: the same view answers them all).
    posted: dict[tuple[str, str], int] = defaultdict(int)
    for (action, _key), (fields, page_markers) in post_forms.items():
        if not page_markers:
            continue
        name = route_name(action) or action
        tables = tuple(dict.fromkeys((app_of(action), "flow", "access")))
        for login in PERSONAS:
            if not page_markers <= forbidden_of[login] or posted[name, login] >= 4 or login in offered[action]:
                continue
            posted[name, login] += 1
            before = db_fingerprint(tables)
            response = clients[login].post(action, fields)
            covered.add(name)
            if response.status_code >= 500:
                problems.append(f"{login}: POST {action} → {response.status_code}")
            if db_fingerprint(tables) != before:
                problems.append(f"{login}: POST {action} changed data of an object they may not read")
            bad = leaks(reveal(response), forbidden_of[login])
            if bad:
                problems.append(f"{login}: POST {action} shows {sorted(bad)}")

    # A form nobody offered a persona, posted by them anyway (a copied link, a crafted request), changes nothing:
    # for each route, a few of its forms, each posted by a few personas whose pages never showed it.
    tried: dict[str, int] = defaultdict(int)
    for (action, _key), (fields, _markers) in post_forms.items():
        name = route_name(action) or action
        if tried[name] >= 2:
            continue
        strangers = [login for login in PERSONAS if login not in offered[action]][:3]
        if not strangers:
            continue
        tried[name] += 1
        labels = tuple(dict.fromkeys((*BUSINESS_APPS, app_of(action), "org", "accounts", "notify", "workdays")))
        for login in strangers:
            before = db_fingerprint(labels)
            response = clients[login].post(action, fields)
            covered.add(name)
            if response.status_code >= 500:
                problems.append(f"{login}: POST {action} (never offered to them) → {response.status_code}")
            if db_fingerprint(labels) != before:
                problems.append(f"{login}: POST {action}, never offered to them, changed data")
            bad = leaks(reveal(response), forbidden_of[login])
            if bad:
                problems.append(f"{login}: POST {action} shows {sorted(bad)}")

    uncovered = sorted({name for name, *_ in patterns} - covered - set(EXEMPT))
    report = []
    if missing:
        report.append(f"models with a policy but no objects in the access matrix: {missing}")
    if problems:
        report.append("\n".join(problems[:80]) + (f"\n… and {len(problems) - 80} more" if len(problems) > 80 else ""))
    if uncovered:
        report.append(f"routes the access matrix never reached (add objects or links, or exempt them with a reason): {uncovered}")
    assert not report, "\n\n".join(report)
