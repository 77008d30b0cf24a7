"""Issue 14 §4: bad input never makes a 500 and never half-writes."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from openpyxl import load_workbook

from zhongshu.core.text import MESSAGE, clean, has_controls

pytestmark = pytest.mark.django_db

CONTROLS = "".join(chr(c) for c in range(1, 32))          # PostgreSQL refuses \x00 in text: 1..31 for stored text
STORED = "控制字符" + CONTROLS + "\x7f\x85标题"


def login(client, user):
    user.totp_confirmed = True
    user.save()
    client.force_login(user)
    return client


# ---- 1. control characters -------------------------------------------------------------------

def test_text_helpers():
    assert has_controls("a\x01b") and has_controls("a\x85") and has_controls("\ufffe") and has_controls("\ud800")
    assert not has_controls("第一行\n第二行\t\r") and not has_controls("普通标题")
    assert clean(STORED) == "控制字符\t\n\r标题"


def test_form_refuses_controls_and_saves_nothing(client, people):
    from zhongshu.notices.models import Notice

    c = login(client, people.clerk)
    before = Notice.objects.count()
    r = c.post("/notices/new/", {"title": "会议\x01通知", "body": "正文", "classification": "1", "scope": "organization"})
    assert r.status_code == 200
    assert MESSAGE in r.content.decode()
    assert Notice.objects.count() == before


def test_textarea_keeps_newlines_and_tabs(client, people):
    from zhongshu.notices.models import Notice

    c = login(client, people.clerk)
    r = c.post("/notices/new/", {"title": "会议通知", "body": "第一行\r\n\t第二行", "classification": "1", "scope": "organization"})
    assert r.status_code == 302
    assert Notice.objects.filter(title="会议通知").exists()


def test_api_refuses_controls(api, people):
    from zhongshu.notices.models import Notice

    before = Notice.objects.count()
    r = api(people.clerk).post("/api/v1/notices/", {"title": "接口\x1b通知", "body": "正文"}, format="json")
    assert r.status_code == 400
    assert r.json()["fields"]["title"] == [MESSAGE]
    r = api(people.clerk).post("/api/v1/notices/", {"title": "接口通知", "body": "正文\x07"}, format="json")
    assert r.status_code == 400 and r.json()["fields"]["body"] == [MESSAGE]
    assert Notice.objects.count() == before


def _poison_titles():
    from zhongshu.archives.models import ArchiveItem
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.notices.models import Notice
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.supervision.models import SupervisionItem

    for model in (Notice, OutgoingDocument, IncomingDocument, SupervisionItem, ArchiveItem):
        assert model.objects.update(title=STORED) > 0, model


def _routes(resolver, prefix=""):
    from django.urls import URLPattern, URLResolver

    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.mark.parametrize("who", ["director", "clerk", "auditor", "archivist"])
def test_every_excel_export_survives_stored_controls(client, people, who):
    _poison_titles()
    user = people[who]
    c = login(client, user)
    exported = 0
    for route in _routes(get_resolver()):
        if "<" in route or route.startswith(("api/", "^")) or "logout" in route:
            continue
        c.force_login(user)   # some pages (activation, login) end the session
        r = c.get("/" + route, {"export": "xlsx"})
        assert r.status_code < 500, route
        if r.status_code != 200:
            continue
        data = b"".join(r.streaming_content) if r.streaming else r.content
        if "wordprocessingml" in r["Content-Type"]:
            import docx

            text = "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
            assert not has_controls(text.replace("\t", "").replace("\n", "")), route
        if "spreadsheetml" in r["Content-Type"]:
            wb = load_workbook(io.BytesIO(data))
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    for v in row:
                        assert not (isinstance(v, str) and has_controls(v.replace("\t", ""))), (route, v)
            exported += 1
    assert exported >= 1


def test_docx_and_pdf_survive_stored_controls():
    from zhongshu.render import render_docx, render_pdf
    from zhongshu.render.model import Document

    doc = Document.from_dict({"doc_type": "通知", "title": STORED, "issuer_marks": ["某县人民政府" + "\x0b"], "body": "正文\x01第一段。\n第二段\x1f。",
                              "main_recipients": ["各乡镇\x02"], "issuer_signature": "某县人民政府", "date": "2026-11-25"})
    assert "\x01" not in doc.title and doc.body == "正文第一段。\n第二段。"
    assert render_docx(doc)[:2] == b"PK"
    assert render_pdf(doc)[:4] == b"%PDF"


def test_outgoing_pdf_docx_routes_with_stored_controls(client, people):
    from zhongshu.outgoing.models import OutgoingDocument

    _poison_titles()
    c = login(client, people.director)
    tried = 0
    for doc in OutgoingDocument.objects.all()[:5]:
        for url in (f"/outgoing/{doc.pk}/file.pdf", f"/outgoing/{doc.pk}/file.docx", f"/outgoing/{doc.pk}/package.zip"):
            r = c.get(url)
            assert r.status_code < 500, url
            tried += r.status_code == 200
    assert tried > 0


# ---- 2. bounds ------------------------------------------------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize("query", [
    f"page={HUGE}", f"id={HUGE}", f"ids=1,2,{HUGE}", "ids=1,-99999999999999999999", "year=99999", "year=0", "year=-1",
    "q=%FF%FE", "q=a%00b", "department=18446744073709551616",
])
def test_query_bounds_pages_and_api(client, api, people, query):
    c = login(client, people.clerk)
    for url in ("/notices/", "/outgoing/", "/supervision/"):
        r = c.get(f"{url}?{query}")
        assert r.status_code == 400, (url, query)
        assert re.search("[\u4e00-\u9fff]", r.content.decode())
    r = api(people.clerk).get(f"/api/v1/notices/?{query}")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "bad_input" and re.search("[\u4e00-\u9fff]", body["error"])


def test_ordinary_query_passes(client, people):
    c = login(client, people.clerk)
    assert c.get("/notices/?page=1&year=2026&q=12345").status_code == 200


def test_form_post_huge_id_is_400_and_writes_nothing(client, people):
    from zhongshu.notices.models import Notice

    c = login(client, people.clerk)
    before = Notice.objects.count()
    r = c.post("/notices/new/", {"title": "通知", "body": "正文", "classification": "1", "scope": "selected", "recipient_users": HUGE})
    assert r.status_code == 400
    assert Notice.objects.count() == before


def test_api_deep_json_huge_ints_invalid_utf8(api, people):
    from zhongshu.notices.models import Notice

    before = Notice.objects.count()
    client = api(people.clerk)
    deep = "[" * 5000 + "]" * 5000
    r = client.post("/api/v1/notices/", deep, content_type="application/json")
    assert r.status_code == 400 and "嵌套" in r.json()["error"]
    r = client.post("/api/v1/notices/", '{"title": "t", "body": "b", "recipient_users": [' + HUGE + ']}', content_type="application/json")
    assert r.status_code == 400 and "范围" in r.json()["error"]
    r = client.post("/api/v1/notices/", b'{"title": "\xff\xfe", "body": "b"}', content_type="application/json")
    assert r.status_code == 400 and "编码" in r.json()["error"]
    r = client.post("/api/v1/notices/", '{"title": "t", "body": "b", "classification": NaN}', content_type="application/json")
    assert r.status_code == 400
    nested_ok = {"title": "正常通知", "body": "正文", "x": [[[[1]]]]}
    assert client.post("/api/v1/notices/", nested_ok, format="json").status_code == 201
    assert Notice.objects.count() == before + 1


# ---- 3. atomic writes with files ------------------------------------------------------------

def test_notice_create_with_bad_attachment_saves_nothing(client, people):
    from zhongshu.core.models import Attachment
    from zhongshu.notices.models import Notice

    c = login(client, people.clerk)
    before, atts = Notice.objects.count(), Attachment.objects.count()
    bad = SimpleUploadedFile("恶意.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream")
    r = c.post("/notices/new/", {"title": "带附件的通知", "body": "正文", "classification": "1", "scope": "organization", "file": bad})
    assert r.status_code == 200
    assert "不支持的文件类型" in r.content.decode()
    assert Notice.objects.count() == before and Attachment.objects.count() == atts


def test_notice_edit_with_bad_attachment_changes_nothing(client, people):
    from zhongshu.notices.models import Notice

    c = login(client, people.clerk)
    r = c.post("/notices/new/", {"title": "原标题", "body": "正文", "classification": "1", "scope": "organization"})
    assert r.status_code == 302
    n = Notice.objects.get(title="原标题")
    bad = SimpleUploadedFile("a.pdf", b"not a pdf at all", content_type="application/pdf")
    r = c.post(f"/notices/{n.pk}/edit/", {"title": "新标题", "body": "正文", "classification": "1", "scope": "organization", "file": bad})
    assert r.status_code == 200
    n.refresh_from_db()
    assert n.title == "原标题"


def test_incoming_slip_pdf_with_stored_controls(client, people):
    import pdfplumber

    from tests.render.conftest import FONTS_OK
    from zhongshu.incoming.models import IncomingDocument

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    _poison_titles()
    c = login(client, people.director)
    shown = 0
    for doc in IncomingDocument.objects.exclude(number_serial=None)[:3]:
        r = c.get(f"/incoming/{doc.pk}/slip.pdf")
        assert r.status_code < 500
        if r.status_code != 200:
            continue
        with pdfplumber.open(io.BytesIO(r.content)) as pdf:
            text = "".join(ch["text"] for ch in pdf.pages[0].chars)
        assert "控制字符" in text and "标题" in text and not has_controls(text.replace("\t", ""))
        shown += 1
    assert shown > 0
