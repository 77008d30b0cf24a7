"""Full-text search: exact-substring correctness, 文号, widths, highlighting, access inside the query, indexing on
commit, reindex, the page and the API.  The same file runs on SQLite and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from zhongshu.core.classification import Classification
from zhongshu.search.models import SearchEntry
from zhongshu.search.registry import search

pytestmark = pytest.mark.django_db

CORPUS_YEAR = 1990  # the corpus documents carry this year so queries can be limited to them


def _ids(user, q, **kw):
    r = search(user, q, kinds=["outgoing"], year=CORPUS_YEAR, per_page=1000, **kw)
    assert not r.capped
    assert r.total == len(r.hits)
    return {h.object_id for h in r.hits}


@pytest.mark.parametrize("dense", [False, True, 20], ids=["sparse-plan", "dense-plan", "rare-tokens-plan"])
def test_substring_correct_against_naive_check(make_outgoing, people, monkeypatch, dense):
    """1/2/3/8-character queries give exactly the documents that contain the text (naive `in` over the corpus) —
    also when only the rare tokens are looked up (threshold 20 of 120 documents: many bigrams count as common)."""
    from zhongshu.search import registry

    monkeypatch.setattr(registry, "_DF", {})
    if dense:
        monkeypatch.setattr(registry, "_dense_threshold", lambda: 1 if dense is True else dense)
    rng = random.Random(7)
    alphabet = "安全生产工作会议通知县政府"
    seps = "，。、 "
    docs = {}
    for i in range(120):
        body = "".join(rng.choice(alphabet) if rng.random() > 0.12 else rng.choice(seps) for _ in range(rng.randint(20, 70)))
        title = "".join(rng.choice(alphabet) for _ in range(6))
        d = make_outgoing(title=f"{title}{i}", body=body)
        docs[d.pk] = (d.title, body)
    queries = set()
    for length in (1, 2, 3, 8):
        for _ in range(12):
            queries.add("".join(rng.choice(alphabet) for _ in range(length)))  # mostly near-misses for long ones
            _, body = docs[rng.choice(list(docs))]
            start = rng.randrange(0, max(1, len(body) - length))
            piece = body[start : start + length]
            if len(piece) == length and not any(c in seps for c in piece):
                queries.add(piece)
    found_some = 0
    for q in sorted(queries):
        expected = {pk for pk, (title, body) in docs.items() if q in title or q in body}
        assert _ids(people.clerk, q) == expected, q
        found_some += bool(expected)
    assert found_some > 20 and len(queries) > 60


def test_document_numbers_match_in_any_bracket_form(make_outgoing, people):
    a = make_outgoing(title="关于防汛工作的通知", doc_number="某政办发〔2026〕15号")
    b = make_outgoing(title="关于抗旱工作的通知", doc_number="某政办发〔2026〕115号")
    c = make_outgoing(title="关于安全工作的通知", body="根据某政办发〔2025〕15号文件精神")
    for q in ["某政办发〔2026〕15号", "某政办发[2026]15号", "某政办发(2026)15号", "某政办发（２０２６）１５号", "政办发【2026】15号"]:
        assert _ids(people.clerk, q) == {a.pk}, q
    assert _ids(people.clerk, "某政办发〔2026〕") == {a.pk, b.pk}
    assert _ids(people.clerk, "〔2025〕15号") == {c.pk}
    assert _ids(people.clerk, "15号") == {a.pk, c.pk}  # whole number: 115号 is not 15号


def test_full_and_half_width_forms(make_outgoing, people):
    a = make_outgoing(title="ＡＢＣ科技公司合同", body="编号１２３４５")
    b = make_outgoing(title="abc科技公司备案", body="编号12345")
    assert _ids(people.clerk, "abc科技") == {a.pk, b.pk}
    assert _ids(people.clerk, "ＡＢＣ科技") == {a.pk, b.pk}
    assert _ids(people.clerk, "编号１２３４５") == {a.pk, b.pk}
    assert _ids(people.clerk, "ABC") == {a.pk, b.pk}


def test_highlighting_is_escaped(make_outgoing, people):
    make_outgoing(title="<script>alert(1)</script>关于乡村振兴的通知", body="推进<b>乡村振兴</b>重点工作，" * 20)
    r = search(people.clerk, "乡村振兴", kinds=["outgoing"], year=CORPUS_YEAR)
    (hit,) = r.hits
    assert str(hit.title_html) == "&lt;script&gt;alert(1)&lt;/script&gt;关于<mark>乡村振兴</mark>的通知"
    assert "&lt;b&gt;<mark>乡村振兴</mark>&lt;/b&gt;" in str(hit.snippet_html)
    assert "<b>" not in str(hit.snippet_html) and len(str(hit.snippet_html)) < 400
    # a 文号 typed differently is highlighted where it stands in the original
    make_outgoing(title="转发某政办发〔2026〕15号文件", body="")
    r = search(people.clerk, "某政办发[2026]15号", kinds=["outgoing"], year=CORPUS_YEAR)
    assert str(r.hits[0].title_html) == "转发<mark>某政办发〔2026〕15号</mark>文件"
    # … and in the 文号 line under the title, where a 文号 query usually matches
    make_outgoing(title="关于做好冬季供暖的通知", doc_number="某政办发〔1990〕77号", status="signed")
    (hit,) = search(people.clerk, "某政办发[1990]77号", kinds=["outgoing"], year=CORPUS_YEAR).hits
    assert str(hit.title_html) == "关于做好冬季供暖的通知" and str(hit.meta_html).startswith("<mark>某政办发〔1990〕77号</mark>")


def test_relevance_puts_title_hits_first_and_date_order(make_outgoing, people):
    import datetime

    body_hit = make_outgoing(title="关于年度工作的报告", body="其中涉及营商环境", issue_date=datetime.date(2026, 5, 1))
    title_hit = make_outgoing(title="关于优化营商环境的意见", body="正文", issue_date=datetime.date(2026, 1, 1))
    r = search(people.clerk, "营商环境", kinds=["outgoing"], year=CORPUS_YEAR)
    assert [h.object_id for h in r.hits] == [title_hit.pk, body_hit.pk]
    r = search(people.clerk, "营商环境", kinds=["outgoing"], year=CORPUS_YEAR, order="date")
    assert [h.object_id for h in r.hits] == [body_hit.pk, title_hit.pk]


def test_filters_are_applied(make_outgoing, people):
    dept = people.clerk.primary_department
    a = make_outgoing(title="森林防火工作通知", department=dept, status="draft")
    b = make_outgoing(title="森林防火检查通知", classification=Classification.SECRET, status="draft")
    assert _ids(people.clerk, "森林防火") == {a.pk, b.pk}
    assert _ids(people.clerk, "森林防火", department=dept.pk) == {a.pk}
    assert _ids(people.clerk, "森林防火", classification=Classification.SECRET) == {b.pk}
    assert _ids(people.clerk, "森林防火", status="signed") == set()
    assert search(people.clerk, "森林防火", kinds=["outgoing"], year=1991).total == 0


def test_no_hit_snippet_or_count_without_clearance_or_need_to_know(make_outgoing, people, api, web):
    secret = make_outgoing(title="机密项目进展通报", body="涉及绝无仅有的代号青鸾", classification=Classification.CONFIDENTIAL,
                           status="distributed", drafter=people.director)
    draft = make_outgoing(title="未送审草稿", body="草稿里的代号青鸾", drafter=people.clerk)
    # clerk: clearance 秘密 < 机密 → neither a hit nor a count; sees only the own draft
    r = search(people.clerk, "青鸾")
    assert r.total == 1 and [h.object_id for h in r.hits] == [draft.pk]
    assert search(people.clerk, "机密项目").total == 0
    # director: clearance 机密 and the office sees every sent document — but not the clerk's draft (need-to-know)
    r = search(people.director, "青鸾")
    assert [h.object_id for h in r.hits] == [secret.pk] and r.total == 1
    # a user of another organization sees nothing of it
    assert search(people.liaison, "青鸾").total == 0
    # the API counts the same
    resp = api(people.clerk).get("/api/v1/search", {"q": "机密项目"})
    assert resp.status_code == 200 and resp.json()["count"] == 0 and resp.json()["results"] == []
    # and the page shows neither title, snippet nor count — though the row is in the index
    assert SearchEntry.objects.filter(kind="outgoing", object_id=secret.pk).exists()
    page = web(people.clerk).get("/search/", {"q": "机密项目"}).content.decode()
    assert "文件（0 件）" in page and "进展通报" not in page and "青鸾" not in page


def test_index_follows_commits(people, django_capture_on_commit_callbacks):
    from zhongshu.outgoing.models import OutgoingDocument

    with django_capture_on_commit_callbacks(execute=True):
        doc = OutgoingDocument.objects.create(organization_id=people.clerk.organization_id, doc_type="通知",
                                              title="关于候鸟保护的通知", body="湿地", drafter=people.clerk)
    assert search(people.clerk, "候鸟保护").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        doc.title = "关于湿地巡护的通知"
        doc.save()
    assert search(people.clerk, "候鸟保护").total == 0
    assert search(people.clerk, "湿地巡护").total == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doc.delete()
    assert callbacks and not SearchEntry.objects.filter(kind="outgoing", object_id=doc.pk).exists()


def test_nothing_indexed_when_the_transaction_rolls_back(people, django_capture_on_commit_callbacks):
    from django.db import transaction

    from zhongshu.outgoing.models import OutgoingDocument

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                OutgoingDocument.objects.create(organization_id=people.clerk.organization_id, doc_type="通知",
                                                title="回滚的白鹭文件", drafter=people.clerk)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and search(people.clerk, "白鹭").total == 0


def _docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_bytes(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, text)
    c.save()
    return buf.getvalue()


def test_attachment_text_of_incoming_documents_is_searchable(people, django_capture_on_commit_callbacks):
    from zhongshu.core.attachments import attachment_add
    from zhongshu.incoming.models import IncomingDocument

    with django_capture_on_commit_callbacks(execute=True):
        doc = IncomingDocument.objects.create(organization_id=people.clerk.organization_id, source="paper", sender_name="某市应急管理局",
                                              doc_number="某应急〔2026〕8号", title="关于转发文件的函")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_add(actor=people.clerk, obj=doc, upload=SimpleUploadedFile("清单.docx", _docx_bytes("附件一：地质灾害隐患点清单")))
        attachment_add(actor=people.clerk, obj=doc, upload=SimpleUploadedFile("方案.pdf", _pdf_bytes("附件二：应急物资调拨方案")))
    user = people.director  # the office registers 收文: sees every incoming document
    for q in ["地质灾害隐患点", "应急物资调拨", "某应急[2026]8号"]:
        r = search(user, q, kinds=["incoming"])
        assert [h.object_id for h in r.hits] == [doc.pk], q
    assert doc.pk in [h.object_id for h in search(user, "某市应急管理局", kinds=["incoming"]).hits]
    assert "<mark>应急物资调拨</mark>" in str(search(user, "应急物资调拨", kinds=["incoming"]).hits[0].snippet_html)


def test_reindex_command(make_outgoing, people, capsys):
    a = make_outgoing(title="关于秸秆禁烧的通知", index=False)
    assert search(people.clerk, "秸秆禁烧").total == 0
    SearchEntry.objects.create(kind="outgoing", object_id=10**9, title="幽灵", head=" 幽灵 ", tokens="幽 灵 幽灵", organization_id=1)
    call_command("search", "reindex", "--kind", "outgoing")
    out = capsys.readouterr().out
    assert "发文" in out and "索引已重建" in out
    assert [h.object_id for h in search(people.clerk, "秸秆禁烧").hits] == [a.pk]
    assert not SearchEntry.objects.filter(object_id=10**9).exists()  # rows of vanished objects are dropped
    call_command("search", "reindex")
    assert SearchEntry.objects.filter(kind="incoming").exists()
    with pytest.raises(CommandError):
        call_command("search", "reindex", "--kind", "nope")


def test_search_page_full_text_with_filters_and_other_providers(make_outgoing, people, web):
    make_outgoing(title="<i>关于河长制巡河的通知</i>", body="各乡镇落实河长制")
    c = web(people.clerk)
    page = c.get("/search/", {"q": "河长制"}).content.decode()
    assert "<mark>河长制</mark>" in page and "&lt;i&gt;" in page and "<i>关于" not in page
    assert 'name="year"' in page and 'name="classification"' in page and 'name="order"' in page
    page = c.get("/search/", {"q": "河长制", "year": "1991"}).content.decode()
    assert "<mark>河长制</mark>" not in page
    page = c.get("/search/", {"q": "河长制", "year": "abc", "kind": "nope", "order": "x"}).content.decode()
    assert "年度应为四位数字" in page and "<mark>河长制</mark>" in page
    # non-indexed kinds still come from their providers (通知公告 in the demo)
    assert "元旦假期" in c.get("/search/", {"q": "值班"}).content.decode()


def test_search_page_paginates(make_outgoing, people, web):
    for i in range(25):
        make_outgoing(title=f"关于垃圾分类第{i}批的通知")
    c = web(people.clerk)
    first = c.get("/search/", {"q": "垃圾分类"}).content.decode()
    assert "25 件" in first and "第 1 / 2 页" in first and "page=2" in first
    second = c.get("/search/", {"q": "垃圾分类", "page": "2"}).content.decode()
    assert second.count('class="search-hit ') == 5


def test_api_search(make_outgoing, people, api):
    a = make_outgoing(title="关于冬季供暖保障的通知", body="确保供暖")
    resp = api(people.clerk).get("/api/v1/search", {"q": "供暖保障", "kind": "outgoing"})
    assert resp.status_code == 200
    data = resp.json()
    assert data["count"] == 1 and data["results"][0]["id"] == a.pk and "<mark>供暖保障</mark>" in data["results"][0]["title_html"]
    bad = api(people.clerk).get("/api/v1/search", {"q": "", "classification": "9"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) >= {"q", "classification"}
    assert api().get("/api/v1/search", {"q": "供暖"}).status_code in (401, 403)
    bad = api(people.clerk).get("/api/v1/search", {"q": "供暖", "kind": "outgoing,secret"})
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]


@pytest.mark.parametrize("dense", [False, True], ids=["sparse-plan", "dense-plan"])
def test_relevance_pages_continue_across_head_and_body_hits(make_outgoing, people, monkeypatch, dense):
    import datetime

    from zhongshu.search import registry

    if dense:
        monkeypatch.setattr(registry, "_dense_threshold", lambda: 1)

    day = datetime.date(2026, 3, 1)
    head = [make_outgoing(title=f"关于湿地公园建设的通知{i}", issue_date=day + datetime.timedelta(days=i)) for i in range(3)]
    body = [make_outgoing(title=f"其他事项{i}", body="涉及湿地公园建设", issue_date=day + datetime.timedelta(days=i)) for i in range(25)]
    expected = [d.pk for d in reversed(head)] + [d.pk for d in reversed(body)]
    got = []
    for page in (1, 2):
        r = search(people.clerk, "湿地公园", kinds=["outgoing"], year=CORPUS_YEAR, page=page)
        assert r.total == 28 and r.num_pages == 2
        got += [h.object_id for h in r.hits]
    assert got == expected
    r = search(people.clerk, "湿地公园", kinds=["outgoing"], year=CORPUS_YEAR, page=2, per_page=2)
    assert [h.object_id for h in r.hits] == expected[2:4]  # a page spanning the head/body boundary


def test_supervision_and_archive_sources_when_installed(people, county):
    from django.apps import apps

    from zhongshu.search.indexing import reindex
    from zhongshu.search.registry import SOURCES

    expected = {"outgoing", "incoming"} | {k for k, app in (("supervision", "zhongshu.supervision"), ("archives", "zhongshu.archives"),
                                                                                  ("meetings", "zhongshu.meetings"),
                                                                                  ("seal_request", "zhongshu.seals"), ("seal_record", "zhongshu.seals"))
                                           if apps.is_installed(app)}
    assert set(SOURCES) == expected
    for kind in expected - {"outgoing", "incoming"}:
        reindex(kind)
        source = SOURCES[kind]
        obj = source.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        entry = SearchEntry.objects.get(kind=kind, object_id=obj.pk)
        # someone who may see the object finds it by its title; the index row carries its filter fields
        viewers = [u for u in (people.director, people.archivist, people.leader, people.clerk)
                   if source.restricted(u).filter(pk=obj.pk).exists()]
        assert entry.classification == obj.classification and entry.organization_id == obj.organization_id
        if viewers:
            title = source.build(obj).title  # what the index calls the title (a 用印申请's document, …)
            assert obj.pk in [h.object_id for h in search(viewers[0], title[:8], kinds=[kind], per_page=100).hits]


GOLDEN_DOCS = [
    ("关于做好防汛抗旱工作的通知", "某政办发〔2026〕3号", "各乡镇：汛期将至，请做好防汛物资储备。", 2026, 1),
    ("关于防汛物资采购的请示", "", "拟采购冲锋舟２艘、救生衣100件。", 2026, 2),
    ("关于森林防火的通报", "某政办发〔2025〕3号", "春季森林防火形势严峻，防汛与防火并重。", 2025, 3),
    ("关于ＡＢＣ公司项目的函", "某政函〔2025〕12号", "abc公司申请用地；另附防火方案。", 2025, 4),
    ("关于印发《应急预案》的通知", "某政办发〔2024〕30号", "各单位：现将应急预案印发给你们，请认真贯彻执行。", 2024, 5),
]
GOLDEN = [
    # (query, filters, expected titles in result order) — the same on SQLite and PostgreSQL
    ("防", {}, ["关于防汛物资采购的请示", "关于做好防汛抗旱工作的通知", "关于森林防火的通报", "关于ＡＢＣ公司项目的函"]),
    ("防汛", {}, ["关于防汛物资采购的请示", "关于做好防汛抗旱工作的通知", "关于森林防火的通报"]),
    ("防汛", {"order": "date"}, ["关于防汛物资采购的请示", "关于做好防汛抗旱工作的通知", "关于森林防火的通报"]),
    ("防汛物资", {}, ["关于防汛物资采购的请示", "关于做好防汛抗旱工作的通知"]),
    ("防汛", {"year": 2025}, ["关于森林防火的通报"]),
    ("某政办发〔2026〕3号", {}, ["关于做好防汛抗旱工作的通知"]),
    ("政办发(2025)3号", {}, ["关于森林防火的通报"]),
    ("某政办发", {}, ["关于做好防汛抗旱工作的通知", "关于森林防火的通报", "关于印发《应急预案》的通知"]),
    ("abc公司", {}, ["关于ＡＢＣ公司项目的函"]),
    ("冲锋舟2艘", {}, ["关于防汛物资采购的请示"]),
    ("应急预案印发", {}, ["关于印发《应急预案》的通知"]),
    ("预案印发给你们，请认真", {}, ["关于印发《应急预案》的通知"]),
    ("预案印发给你们请认真", {}, []),  # the text has a comma there: not the same phrase
    ("防火方案", {}, ["关于ＡＢＣ公司项目的函"]),
    ("火防", {}, []),
    ("3号", {}, ["关于做好防汛抗旱工作的通知", "关于森林防火的通报"]),
]


@pytest.mark.parametrize("dense", [False, True], ids=["sparse-plan", "dense-plan"])
def test_golden_query_set_same_on_every_database(make_outgoing, people, monkeypatch, dense):
    """Also with every query treated as dense, so the SQLite plans for large indexes give the same answers."""
    import datetime

    from zhongshu.search import registry

    if dense:
        monkeypatch.setattr(registry, "_dense_threshold", lambda: 1)

    ids = set()
    for title, number, body, year, month in GOLDEN_DOCS:
        ids.add(make_outgoing(title=title, doc_number=number, body=body, year=year, issue_date=datetime.date(year, month, 1)).pk)
    for q, filters, titles in GOLDEN:
        r = search(people.clerk, q, kinds=["outgoing"], per_page=100, **filters)
        assert [h.title for h in r.hits if h.object_id in ids] == titles, (q, filters)
        assert r.total == len(r.hits)


def test_index_after_commit_for_queryset_updates(make_outgoing, people, django_capture_on_commit_callbacks):
    from zhongshu.core.signals import updated
    from zhongshu.outgoing.models import OutgoingDocument

    doc = make_outgoing(title="关于旧标题的通知")
    OutgoingDocument.objects.filter(pk=doc.pk).update(title="关于新标题鸿雁的通知")  # no signal
    assert search(people.clerk, "鸿雁").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        updated(doc)
    assert [h.object_id for h in search(people.clerk, "鸿雁").hits] == [doc.pk]


def test_filters_are_part_of_the_token_lookup(make_outgoing, people):
    """A chosen filter narrows the index lookup itself (filter tokens), values with underscores included."""
    from zhongshu.search import registry
    from zhongshu.search.tokens import filter_token

    a = make_outgoing(title="湖泊保护工作通知", status="draft")
    make_outgoing(title="湖泊保护检查通知", status="signed", year=1991)
    qs, p, access = registry.matching(people.clerk, "湖泊保护", kinds=["outgoing"], year=CORPUS_YEAR, status="draft")
    assert (filter_token("y", CORPUS_YEAR),) in p.filters and (filter_token("s", "draft"),) in p.filters
    assert filter_token("s", "completion_requested") == "\ue002scompletion\ue003requested"
    only_tokens = SearchEntry.objects.filter(registry._match_condition(p)).values_list("object_id", flat=True)
    assert list(only_tokens) == [a.pk]  # the token index alone already leaves out the 1991 / signed document


def test_migration_adds_filter_tokens_to_older_rows(make_outgoing, people):
    import importlib

    from django.apps import apps

    from zhongshu.search.tokens import filter_token

    doc = make_outgoing(title="候鸟迁徙保护通知", status="draft")
    entry = SearchEntry.objects.get(kind="outgoing", object_id=doc.pk)
    old = " ".join(t for t in entry.tokens.split() if not t.startswith("\ue002"))
    SearchEntry.objects.filter(pk=entry.pk).update(tokens=old)
    assert search(people.clerk, "候鸟迁徙", kinds=["outgoing"], year=CORPUS_YEAR).total == 0  # the lookup needs them
    importlib.import_module("zhongshu.search.migrations.0004_filter_tokens").add_filter_tokens(apps, None)
    assert filter_token("y", CORPUS_YEAR) in SearchEntry.objects.get(pk=entry.pk).tokens.split()
    assert [h.object_id for h in search(people.clerk, "候鸟迁徙", kinds=["outgoing"], year=CORPUS_YEAR).hits] == [doc.pk]


def test_very_common_queries_are_counted_by_walking_with_a_budget(make_outgoing, people, monkeypatch):
    """The walk count (PostgreSQL, for queries most rows have) gives the same capped count and page as the index;
    when the hits are rarer than the statistics promised, the budget runs out and the index answers."""
    import datetime

    from zhongshu.search import registry

    docs = [make_outgoing(title=f"红树林湿地保护第{i}号通知", issue_date=datetime.date(1990, 1, i + 1)) for i in range(6)]
    monkeypatch.setattr(registry, "COUNT_CAP", 3)
    monkeypatch.setattr(registry, "_walk_share", lambda: 0.0)
    monkeypatch.setattr(registry, "_very_common", lambda p, head=False: 1.0)
    calls = []
    real = registry._walk_count
    monkeypatch.setattr(registry, "_walk_count", lambda *a: calls.append(real(*a)) or calls[-1])
    r = search(people.clerk, "红树林湿地", kinds=["outgoing"], year=CORPUS_YEAR, per_page=2)
    assert calls == [4] and (r.total, r.capped) == (3, True)
    assert [h.object_id for h in r.hits] == [docs[5].pk, docs[4].pk]  # newest first
    # Statistics that promise more than the rows hold: the budget (3 × 4 / share rows) runs out, the index counts.
    monkeypatch.setattr(registry, "_very_common", lambda p, head=False: 0.9)
    r = search(people.clerk, "红树林湿地保护第1号", kinds=["outgoing"], year=CORPUS_YEAR)
    assert calls[-1] is None and (r.total, r.capped) == (1, False) and [h.object_id for h in r.hits] == [docs[1].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own token statistics")
def test_postgresql_statistics_of_common_tokens(make_outgoing, people, monkeypatch):
    from zhongshu.search import registry
    from zhongshu.search.tokens import plan

    for i in range(30):
        make_outgoing(title=f"雪豹栖息地第{i}号通知", body="云杉林带巡护。" if i % 2 else "")
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_entry")
    monkeypatch.setitem(registry._COMMON, "at", -1e9)
    freqs, floor = registry._pg_common_tokens()
    rows = SearchEntry.objects.count()  # the fixtures' own documents are indexed too
    assert freqs["雪豹"] == pytest.approx(30 / rows, abs=0.02) and freqs["云杉"] == pytest.approx(15 / rows, abs=0.02)
    assert floor <= 15 / rows + 0.02
    assert registry._very_common(plan("雪豹栖息地")) == pytest.approx(30 / rows, abs=0.02)
    assert registry._very_common(plan("云杉林带")) == pytest.approx(15 / rows, abs=0.02)
    assert registry._very_common(plan("雪豹 云杉")) is None  # the boundary token 豹|云 is rare: the index answers
    assert registry._very_common(plan("鸿雁")) is None  # not among the common tokens: the index answers


def test_only_rare_tokens_are_looked_up(make_outgoing, people, monkeypatch):
    """A 文号 is looked up by its rare (boundary) tokens, not by 某政 or 号 that most documents have; the exact
    check still decides, so a document with the same parts in another order is not a hit."""
    from zhongshu.search import registry

    monkeypatch.setattr(registry, "_DF", {})
    monkeypatch.setattr(registry, "_dense_threshold", lambda: 4)
    for n in range(1, 6):
        make_outgoing(title=f"转发文件{n}", body=f"根据某政办发〔1990〕{n}号文件要求。")
    other = make_outgoing(title="转发文件", body="某政办发〔1991〕1990号、3号文件")
    hit = make_outgoing(title="关于落实某政办发〔1990〕33号的通知")
    narrowed = []
    real = registry._narrowed
    monkeypatch.setattr(registry, "_narrowed", lambda p, t: narrowed.append(real(p, t)) or narrowed[-1])
    assert _ids(people.clerk, "某政办发〔1990〕33号") == {hit.pk}
    if connection.vendor == "sqlite":  # PostgreSQL decides by its statistics (none for a tiny test table)
        assert set(narrowed[0].tokens) == {"33", "1990\ue00133", "33\ue001号"}
    assert other.pk not in _ids(people.clerk, "1990 3号")


def test_a_long_query_finds_its_document(make_outgoing, people):
    """A whole paragraph as the query (hundreds of tokens, probed for their frequency in several statements)."""
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    body = "".join(rng.choice(alphabet) for _ in range(2100))  # > 2,000 tokens: more than one result row holds
    doc = make_outgoing(title="长段落检索", body=f"前文。{body}。后文")
    make_outgoing(title="其他文件", body=body[:200])
    assert _ids(people.clerk, body) == {doc.pk}
