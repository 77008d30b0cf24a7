"""One search interface over every indexed module (全文检索).

A module's data is made searchable by registering a `SearchSource` (see `sources.py`): how to turn one object
into a `SearchDoc`, and which objects a user may see (`restricted(user)` — a queryset through
`Model.objects.restrict(user, "view")`).  `search()` answers a query with one SQL statement per page/count in
which the access rule is a condition on the index rows — (kind, object_id IN the restricted queryset's pks) —
so no hit, snippet or count can come from an object outside the user's clearance or need-to-know.
"""

from __future__ import annotations

import datetime
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, models, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import SearchEntry
from .tokens import HEAD, QueryPlan, filter_token, normalize, plan

COUNT_CAP = 1000  # counts above this show as “1000+”: refine the query or filter instead of paging that far
PER_PAGE = 20
ORDERS = {"relevance": "相关度", "date": "日期"}


@dataclass
class SearchDoc:
    """What the index keeps of one object."""

    title: str
    text: str = ""  # body, attachment text …
    head: str = ""  # short identifying fields matched first for relevance (文号, 来文单位 …), besides the title
    url: str = ""
    meta: str = ""
    organization_id: int | None = None
    department_id: int | None = None
    year: int | None = None
    classification: int = 0
    status: str = ""
    status_label: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    model: type[models.Model]
    build: Callable[[Any], SearchDoc]
    restricted: Callable[[Any], models.QuerySet]
    statuses: tuple[tuple[str, Any], ...] = ()  # (value, label) for the status filter
    prefetch: tuple[str, ...] = ()  # select_related for reindex batches


SOURCES: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    SOURCES[source.kind] = source


def source_for_model(model: type[models.Model]) -> SearchSource | None:
    for source in SOURCES.values():
        if source.model is model or (model._meta.concrete_model is source.model):
            return source
    return None


# ---- the query ------------------------------------------------------------------------------------


DENSE_MIN = 1000  # SQLite: below this many token matches a query is never "dense"


def _fts_match(lookup: tuple[tuple[str, ...], ...]) -> str:
    # tokens are letters/digits/private-use marks only: nothing to escape
    return " AND ".join(f'"{g[0]}"' if len(g) == 1 else "(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in lookup)


def _tsquery(lookup: tuple[tuple[str, ...], ...]) -> str:
    return " & ".join(f"'{g[0]}'" if len(g) == 1 else "(" + " | ".join(f"'{t}'" for t in g) + ")" for g in lookup)


def _match_condition(p: QueryPlan, head: bool = False) -> RawSQL:
    """All of the query's tokens (and the chosen filters' tokens) are in the row's token index (FTS5 on SQLite,
    tsvector/GIN on PostgreSQL); with `head`, all of them are in the head (title, 文号 …) too."""
    if connection.vendor == "postgresql":
        return RawSQL('"search_entry"."tsv" @@ %s::tsquery', [_tsquery(p.lookup(head))], output_field=BooleanField())
    return RawSQL('"search_entry"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)', [_fts_match(p.lookup(head))],
                  output_field=BooleanField())


def _fts_driven(qs: models.QuerySet, p: QueryPlan) -> models.QuerySet:
    """SQLite, dense query, counting: join the FTS5 table so that its (incremental) result drives the query and the
    count's LIMIT stops it early — instead of materialising every matching rowid first."""
    return qs.extra(tables=["search_fts"], where=['search_fts.rowid = "search_entry"."id"', "search_fts MATCH %s"],
                    params=[_fts_match(p.lookup())])


def _index_rows() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(id) FROM search_entry")
        return cur.fetchone()[0] or 0


def _dense_threshold() -> int:
    """Above about 5·√N matches, walking the rows newest first (checking the text) reaches a page sooner than
    fetching and sorting every match (N = rows in the index)."""
    return max(DENSE_MIN, int(5 * math.sqrt(_index_rows())))


# PostgreSQL: counting through the GIN index costs about 0.5 µs per candidate (the bitmap is built whole, whatever
# the LIMIT, and its lossy pages are rechecked); reading rows newest first with the exact check about 20 µs per row
# at 1M documents (a random heap page each), and 1,001 hits need 1,001/share rows.  Walking is the cheaper count
# when share² · N > 20 · 1,001 / 0.5 ≈ WALK_CROSSOVER (measured on the 1M benchmark, decision 0006): from about 20%
# of the rows at 1M, 63% at 100k.
WALK_CROSSOVER = 4e4


def _walk_share() -> float:
    return min(1.0, math.sqrt(WALK_CROSSOVER / max(1, _index_rows())))


def _is_dense(p: QueryPlan, threshold: int, head: bool = False) -> bool:
    """Whether the token lookup alone (filters included) finds at least `threshold` rows.

    PostgreSQL estimates AND-ed tokens as independent, but the bigrams of one phrase are not: it would take a
    phrase found in 90% of the rows for a rare one and sort them all — so it is asked, not trusted.
    """
    share = _very_common(p, head)
    if share is not None:  # PostgreSQL, every token in the statistics: a GIN probe would build a bitmap of them all
        return share * _index_rows() >= threshold
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # With a LIMIT the planner prefers a sequential scan that decompresses every row's tsvector; the GIN
            # index answers this from the index alone (search() runs in a transaction: SET LOCAL stays inside).
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SELECT COUNT(*) FROM (SELECT 1 FROM search_entry WHERE tsv @@ %s::tsquery LIMIT %s) t",
                        [_tsquery(p.lookup(head)), threshold])
            found = cur.fetchone()[0]
            cur.execute("SET LOCAL enable_seqscan = on")
            return found >= threshold
        cur.execute("SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
                    [_fts_match(p.lookup(head)), threshold])
        return cur.fetchone()[0] >= threshold


_COMMON: dict[str, Any] = {"at": -1e9}
COMMON_TTL = 300.0  # seconds between reads of PostgreSQL's token statistics


def _pg_common_tokens() -> tuple[dict[str, float], float]:
    """PostgreSQL's statistics of the tsvector column (ANALYZE, autovacuum keeps them): the most common tokens with
    the fraction of rows having each, and the smallest listed fraction (every other token is rarer)."""
    now = time.monotonic()
    if now - _COMMON["at"] > COMMON_TTL:
        with connection.cursor() as cur:
            cur.execute("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                        "WHERE schemaname = current_schema() AND tablename = 'search_entry' AND attname = 'tsv'")
            row = cur.fetchone()
        elems, freqs = (row[0] or [], row[1] or []) if row else ([], [])
        _COMMON.update(at=now, freqs=dict(zip(elems, freqs, strict=False)), floor=freqs[len(elems)] if len(freqs) > len(elems) else 1.0)
    return _COMMON["freqs"], _COMMON["floor"]


def _very_common(p: QueryPlan, head: bool = False) -> float | None:
    """PostgreSQL (None on SQLite, whose FTS5 lookup is incremental anyway): an estimate of the fraction of rows the
    token lookup finds, when every token of it is among the most common ones the statistics list (with a
    statistics target of 1,000: about 10,000 tokens, down to about 0.1% of the rows); None otherwise — then the
    lookup finds fewer rows than that, and asking the GIN index is cheap.  The query's own tokens are taken as
    one phrase (its bigrams go together: the rarest bounds them), the filters as independent of it."""
    if connection.vendor != "postgresql":
        return None
    freqs, _floor = _pg_common_tokens()
    text = 1.0
    for t in p.lookup(head)[: len(p.tokens)]:
        f = freqs.get(t[0])
        if f is None:
            return None
        text = min(text, f)
    share = text
    for group in p.filters:
        found = [freqs.get(t) for t in group]
        if any(f is None for f in found):
            return None
        share *= min(1.0, sum(f for f in found if f is not None))
    return share


def _walk_count(qs: models.QuerySet, p: QueryPlan, access: Access, share: float) -> int | None:
    """PostgreSQL, a very common query: count by reading the newest rows with the exact check only — a GIN lookup
    would first build a bitmap of every candidate (most of the table).  The walk reads at most a budget of rows (three
    times what `share` promises for 1,001 hits); None when the hits were rarer than promised (the caller falls back
    to the index)."""
    budget = int(3 * (COUNT_CAP + 1) / max(share, 0.001))
    newest = access.on_columns(qs).order_by("-date", "-id")
    window = SearchEntry.objects.filter(id__in=newest.values("id")[:budget])
    counted = _capped_count(_matched(window, p, access, mode="walk"))
    return counted if counted > COUNT_CAP else None


_DF: dict[str, tuple[float, int, int]] = {}  # SQLite: token → (when, rows having it capped at `cap`, cap)
DF_TTL = 600.0


def _sqlite_frequencies(tokens: tuple[str, ...], cap: int) -> dict[str, int]:
    """How many rows have each token, counted up to `cap` (FTS5 reads a doclist incrementally, so each count costs
    at most `cap` entries); cached for a while per process — only the speed depends on it, never the result."""
    now = time.monotonic()
    missing = [t for t in tokens if t not in _DF or now - _DF[t][0] > DF_TTL or _DF[t][2] != cap]
    if missing:
        probe = "SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s)"
        if len(_DF) > 20000:
            _DF.clear()
        with connection.cursor() as cur:
            for i in range(0, len(missing), 100):  # one statement per hundred tokens (a result row has at most 2,000 columns)
                part = missing[i : i + 100]
                cur.execute("SELECT " + ", ".join(f"({probe})" for _ in part), [v for t in part for v in (f'"{t}"', cap)])
                _DF.update((t, (now, n, cap)) for t, n in zip(part, cur.fetchone(), strict=True))
    return {t: _DF[t][1] for t in tokens}


def _narrowed(p: QueryPlan, threshold: int) -> QueryPlan:
    """The query's rare tokens only, when it has some: the index lookup reads every entry of every token it is
    given, and common ones (号, 2025, 某政 in a 文号) cost far more than they narrow — at 1M documents the nine
    tokens of 某政办发〔2025〕15号 took 63 ms in FTS5, its three boundary tokens 1.7 ms for nearly the same 860
    candidates.  The exact check decides the result either way.  Rare: fewer rows than the dense threshold
    (SQLite, counted) or not among PostgreSQL's most common tokens (its statistics)."""
    if len(p.tokens) < 2:
        return p
    if connection.vendor == "postgresql":
        freqs, _floor = _pg_common_tokens()
        rare = tuple(t for t in p.tokens if t not in freqs)
    else:
        counts = _sqlite_frequencies(p.tokens, threshold)
        rare = tuple(t for t in p.tokens if counts[t] < threshold)
    if not rare or len(rare) == len(p.tokens):
        return p
    return replace(p, tokens=rare, head_tokens=tuple(HEAD + t for t in rare))


def _position(column: str, pattern: str) -> RawSQL:
    fn = "strpos" if connection.vendor == "postgresql" else "instr"
    # column is one of two literals ("head", "canon"); the pattern is a parameter
    return RawSQL(f'{fn}("search_entry"."{column}", %s)', [pattern], output_field=IntegerField())  # noqa: S611


def _exact_by_tokens(p: QueryPlan) -> bool:
    """A single 1–2 character CJK token or one whole word: having the token IS containing the text."""
    if len(p.parts) != 1:
        return False
    part = p.parts[0]
    return len(part) <= 2 or (p.pattern.startswith(" ") and len(part) <= 40)


def _capped_count(qs: models.QuerySet) -> int:
    return qs.order_by().values("id")[: COUNT_CAP + 1].count()


def access_condition(user, kinds: Iterable[str] | None = None) -> Q | None:
    """(kind = K AND object_id IN <restricted pks of K>) OR …; None when the user may see nothing."""
    cond: Q | None = None
    for source in SOURCES.values():
        if kinds is not None and source.kind not in kinds:
            continue
        allowed = source.restricted(user)
        if allowed.query.is_empty():
            continue
        # A correlated EXISTS: each candidate row costs one primary-key probe, instead of materialising every
        # object the user may see (hundreds of thousands at scale) for each query.  PostgreSQL turns an EXISTS
        # correlated by equality into a hashed subplan when it expects many candidates — hashing every visible
        # object (≈40 ms per 100,000) although the count stops at 1,001 and a page at 20; a correlation by range
        # (pk >= x AND pk <= x, the same single-row index probe) cannot be hashed, so the probe stays per row.
        if connection.vendor == "postgresql":
            probe = allowed.order_by().filter(pk__gte=OuterRef("object_id"), pk__lte=OuterRef("object_id"))
        else:
            probe = allowed.order_by().filter(pk=OuterRef("object_id"))
        q = Q(kind=source.kind) & Q(Exists(probe))  # the cheap test first: only the row's own kind is probed
        cond = q if cond is None else cond | q
    return cond


def _precompiled(q: Q) -> RawSQL:
    """The access condition compiled once per search and reused by its 2–4 statements (it is large: one
    restrict() per source, each with its need-to-know subqueries)."""
    query = SearchEntry.objects.filter(q).query
    sql, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (SQL compiled by Django, values are parameters)


def kinds_for(user) -> list[SearchSource]:
    """The sources this user can search at all (right to view at least the module)."""
    return [s for s in SOURCES.values() if not s.restricted(user).query.is_empty()]


@dataclass
class Hit:
    kind: str
    label: str
    object_id: int
    url: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    meta: str
    meta_html: SafeString  # the 文号 / 来文单位 line, highlighted too: a 文号 query matches there
    date: datetime.date | None
    classification: int
    status_label: str


@dataclass
class SearchResults:
    query: str
    total: int = 0
    capped: bool = False
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[Hit] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.total, COUNT_CAP) / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def matching(user, query: str, *, kinds: Iterable[str] | None = None, year: int | None = None, organization: int | None = None,
             department: int | None = None, classification: int | None = None, status: str | None = None,
             date_from: datetime.date | None = None, date_to: datetime.date | None = None
             ) -> tuple[models.QuerySet, QueryPlan | None, Access | None]:
    """The index rows under the filters, the query plan and the access condition (`_matched` adds the text
    condition, then the access condition — last, so that SQLite tests the cheap conditions first)."""
    p = plan(query or "")
    kinds = list(kinds) if kinds is not None else None
    if p is not None:
        # The filters the user chose also narrow the token lookup (filter tokens, decision 0006); the implicit ones
        # (own organization, clearance ceiling) pass most rows and stay SQL only.
        groups: list[tuple[str, ...]] = []
        if kinds is not None:
            groups.append(tuple(filter_token("k", k) for k in kinds) or (filter_token("k", ""),))
        for field_, value in (("y", year), ("d", department), ("c", classification), ("s", status or None)):
            if value is not None:
                groups.append((filter_token(field_, value),))
        p = replace(p, filters=tuple(groups))
    access = access_condition(user, kinds) if p is not None else None
    if p is None or access is None or user.organization_id is None:
        return SearchEntry.objects.none(), p, None
    if organization is not None and organization != user.organization_id:
        return SearchEntry.objects.none(), p, None  # the index holds a user's own organization only
    # Organization and ceiling are redundant with restrict() (which stays the authority) but let the database narrow
    # early; they and the chosen filters are added by _matched() in the form each plan needs.
    conditions: dict[str, Any] = {"organization_id": user.organization_id, "classification__lte": int(user.max_classification)}
    chosen: tuple[tuple[str, Any], ...] = (("year", year), ("department_id", department), ("classification", classification),
                                           ("status", status or None), ("date__gte", date_from), ("date__lte", date_to))
    for lookup, value in chosen:
        if value is not None:
            conditions[lookup] = value
    return SearchEntry.objects.all(), p, Access(rule=Q(_precompiled(access)), conditions=conditions)


@dataclass(frozen=True)
class Access:
    rule: Q  # restrict() of every source, compiled once
    conditions: dict[str, Any]  # column lookups: organization, ceiling and the chosen filters

    def on_columns(self, qs: models.QuerySet) -> models.QuerySet:
        return qs.filter(**self.conditions)

    def on_values(self, qs: models.QuerySet) -> models.QuerySet:
        """The same conditions on expressions of the columns (`col + 0`), which no B-tree index serves: PostgreSQL,
        given the bare columns next to a GIN lookup, ANDs its bitmap with a bitmap of a whole B-tree index — the
        organization (900,000 rows, 55 ms at 1M) or even `classification <= 2` through a non-leading column (229 ms)."""
        aliases: dict[str, Any] = {}
        lookups: dict[str, Any] = {}
        for lookup, value in self.conditions.items():
            column, _, op = lookup.partition("__")
            if column == "date":  # a date range is selective, and its own index serves it well
                lookups[lookup] = value
                continue
            if column == "status":
                aliases["_v_status"] = Concat(F("status"), Value(""), output_field=models.CharField())
            else:
                aliases[f"_v_{column}"] = ExpressionWrapper(F(column) + 0, output_field=IntegerField())
            lookups[f"_v_{column}" + (f"__{op}" if op else "")] = value
        return qs.alias(**aliases).filter(**lookups)


def _matched(qs: models.QuerySet, p: QueryPlan, access: Access, *, head: bool = False, mode: str = "list") -> models.QuerySet:
    """Rows of `qs` containing the query (in the head only, with `head`).

    Modes (the result is the same; only the cost differs) — `list`: through the token index; `join` (SQLite): the
    token index drives the query, for counting a dense query; `walk`: no index lookup, only the exact check, for
    reading a dense query newest first (the database walks the date index and stops at the page).
    """
    if mode == "walk" or connection.vendor == "sqlite":
        qs = access.on_columns(qs)  # the walks need organization (and year) as the prefix of their index
    else:
        qs = access.on_values(qs)
    if mode == "join" and connection.vendor == "sqlite":
        qs = _fts_driven(qs, p)
    elif mode != "walk":
        qs = qs.filter(_match_condition(p, head=head))
    if head:
        qs = qs.annotate(_in_head=_position("head", p.pattern)).filter(_in_head__gt=0)
    elif mode == "walk" or not _exact_by_tokens(p):
        qs = qs.annotate(_in_head=_position("head", p.pattern), _in_body=_position("canon", p.pattern))
        qs = qs.filter(Q(_in_head__gt=0) | Q(_in_body__gt=0))
    return qs.filter(access.rule)


def _dense_page(qs: models.QuerySet, p: QueryPlan, access: Access, threshold: int, order: str, start: int, per_page: int) -> list[int]:
    """One page of a dense query: walk the rows newest first (the database stops at the page)."""
    matched = _matched(qs, p, access, mode="walk")
    if order == "date":
        return list(matched.order_by("-date", "-id").values_list("id", flat=True)[start : start + per_page])
    # Relevance: hits in the head first (found through the marked head tokens), then the others; each newest first.
    # The head check is answered from the covering walk indexes (no row read), so a walk pays off for far fewer
    # matches than a body walk does: about √N instead of 5·√N.
    in_head = _matched(qs, p, access, head=True, mode="walk" if _is_dense(p, max(DENSE_MIN // 5, threshold // 5), head=True) else "list")
    ids = list(in_head.order_by("-date", "-id").values_list("id", flat=True)[start : start + per_page])
    if len(ids) < per_page:
        skip = max(0, start - (_capped_count(in_head) if start else 0))
        rest = _matched(qs.annotate(_head_pos=_position("head", p.pattern)).filter(_head_pos=0), p, access, mode="walk")
        ids += list(rest.order_by("-date", "-id").values_list("id", flat=True)[skip : skip + per_page - len(ids)])
    return ids


def search(user, query: str, *, kinds: Iterable[str] | None = None, year: int | None = None, organization: int | None = None,
           department: int | None = None, classification: int | None = None, status: str | None = None,
           date_from: datetime.date | None = None, date_to: datetime.date | None = None,
           order: str = "relevance", page: int = 1, per_page: int = PER_PAGE) -> SearchResults:
    """Full-text search as `user`: hits with highlighted snippets, a (capped) total, one page.

    Relevance: hits in the title/文号/来文单位 first, then newest first; `order="date"`: newest first.
    """
    args: dict[str, Any] = dict(kinds=kinds, year=year, organization=organization, department=department, classification=classification,
                                status=status, date_from=date_from, date_to=date_to, order=order, page=page, per_page=per_page)
    if connection.vendor != "postgresql":
        return _search(user, query, **args)  # no transaction: on SQLite it would take the write lock (IMMEDIATE)
    with transaction.atomic():
        # The plans' cost estimates (per-row subqueries of the access rule) pass jit_above_cost, and compiling
        # them took 1.8 s for a query that runs in 0.1 s; SET LOCAL ends with this transaction.
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
        return _search(user, query, **args)


def _search(user, query: str, *, kinds, year, organization, department, classification, status, date_from, date_to,
            order: str, page: int, per_page: int) -> SearchResults:
    qs, p, access = matching(user, query, kinds=kinds, year=year, organization=organization, department=department,
                     classification=classification, status=status, date_from=date_from, date_to=date_to)
    results = SearchResults(query=query, page=max(1, page), per_page=per_page)
    if p is None or access is None:
        return results
    threshold = _dense_threshold()
    if date_from is not None or date_to is not None or organization is not None:
        threshold *= 4  # a filter outside the token lookup thins out the rows a walk meets: walk only when denser still
    p = _narrowed(p, threshold)
    counted: int | None = None
    share = _very_common(p)
    if share is not None and share >= _walk_share():
        counted = _walk_count(qs, p, access, share)
    dense = counted is not None or _is_dense(p, threshold)
    if dense and counted is None:
        counted = _capped_count(_matched(qs, p, access, mode="join"))
        if share is not None and counted <= COUNT_CAP:
            dense = False  # PostgreSQL's statistics promised more hits than there are: list them all instead
    if not dense:
        # Few candidates: one statement verifies them all (exact text, access) and returns what ordering needs;
        # count, order and page are then taken from that list — instead of a count, a head query and a rest query.
        found = list(_matched(qs, p, access, mode="list").annotate(_head_hit=_position("head", p.pattern))
                     .values_list("id", "date", "_head_hit"))
        results.total, results.capped = min(len(found), COUNT_CAP), len(found) > COUNT_CAP
        results.page = min(results.page, results.num_pages)
        start = (results.page - 1) * per_page
        newest = sorted(found, key=lambda r: (r[1] is not None, r[1] or datetime.date.min, r[0]), reverse=True)
        if order != "date":
            newest.sort(key=lambda r: r[2] == 0)  # stable: head hits first, each part still newest first
        ids = [r[0] for r in newest[start : start + per_page]]
    else:
        assert counted is not None
        results.total, results.capped = min(counted, COUNT_CAP), counted > COUNT_CAP
        results.page = min(results.page, results.num_pages)
        if not counted:
            return results
        start = (results.page - 1) * per_page
        ids = _dense_page(qs, p, access, threshold, order, start, per_page)
    rows = {e.id: e for e in SearchEntry.objects.filter(id__in=ids).defer("tokens", "canon")}
    for entry_id in ids:
        e = rows[entry_id]
        source = SOURCES.get(e.kind)
        results.hits.append(
            Hit(kind=e.kind, label=source.label if source else e.kind, object_id=e.object_id, url=e.url, title=e.title,
                title_html=highlight(e.title, p.parts), snippet_html=snippet(e.text, p.parts), meta=e.meta,
                meta_html=highlight(e.meta, p.parts), date=e.date,
                classification=e.classification, status_label=e.status_label)
        )
    return results


# ---- highlighting ---------------------------------------------------------------------------------


_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}  # full-width ASCII → ASCII, 1:1


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, when normalisation changed the length, the original index of each character."""
    folded = text.translate(_WIDTH).lower()
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", folded):
        return folded, None  # the common case, without a full NFKC pass
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in normalize(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def _pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"[\W_]*".join(re.escape(part) for part in parts))


def _spans(text: str, parts: tuple[str, ...], limit: int = 50) -> list[tuple[int, int]]:
    norm, index = _normalized_with_map(text)
    spans = []
    for m in _pattern(parts).finditer(norm):
        if m.end() == m.start():
            continue
        if index is None:
            spans.append((m.start(), m.end()))
        else:
            spans.append((index[m.start()], index[m.end() - 1] + 1))
        if len(spans) >= limit:
            break
    return spans


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def highlight(text: str, parts: tuple[str, ...]) -> SafeString:
    """`text` escaped, each occurrence of the query wrapped in <mark>."""
    return _marked(text, _spans(text, parts))


def snippet(text: str, parts: tuple[str, ...], width: int = 120) -> SafeString:
    """About `width` characters of `text` around the first occurrence of the query, highlighted."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    window = text[:200_000]
    first = _spans(window, parts, limit=1)
    if not first:
        piece = text[:width]
        return mark_safe(escape(piece) + ("…" if len(text) > width else ""))  # noqa: S308
    start = max(0, first[0][0] - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    html = _marked(piece, _spans(piece, parts))
    return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))  # noqa: S308
