"""POST /api/v1/proofread and /api/v1/proofread/docx: the CLI's JSON, Chinese 4xx errors, permissions."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.proofread import cli

pytestmark = pytest.mark.django_db

URL = "/api/v1/proofread"
DOCX_URL = "/api/v1/proofread/docx"
TEXT = "关于召开全县工作会议的通知\n经研究,决定于2026年06月05号召开会议。\n一. 提高思想认识\n要一股作气完成任务。"


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def cli_json(tmp_path, capsys, text):
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    cli.main(["--json", str(path)])
    return json.loads(capsys.readouterr().out.strip())


def assert_error(resp, field=None, status=400):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert isinstance(body["error"], str) and any("\u4e00" <= c <= "\u9fff" for c in body["error"])
    assert isinstance(body["fields"], dict)
    if field:
        assert field in body["fields"], body


def test_same_json_as_the_cli(api, people, tmp_path, capsys):
    resp = post(api(people.clerk), {"text": TEXT})
    assert resp.status_code == 200
    data = resp.json()
    assert data["findings"] == cli_json(tmp_path, capsys, TEXT)["findings"]
    assert data["text_length"] == len(TEXT)
    assert {f["category"]: f["category_label"] for f in data["findings"]}["punct"] == "标点符号"
    assert set(data["counts"]) == {"punct", "number", "width", "space", "format", "typo", "usage"}
    assert sum(data["counts"].values()) == len(data["findings"]) and data["counts"]["punct"] >= 1
    # The heading fix: one finding, the right suggestion.
    heading = [f for f in data["findings"] if TEXT[f["start"]:f["end"]].startswith(".")]
    assert [(f["rule"], f["suggestion"]) for f in heading] == [("heading-ordinal", "、")]


def test_ignore_sets_and_doc_type(api, people):
    c = api(people.clerk)
    text = "经研究,决定召开会议,请准时参加。"
    first, second = post(c, {"text": text}).json()["findings"]
    resp = post(c, {"text": text, "ignored_spans": [[first["rule"], first["start"], first["end"]]]})
    assert resp.json()["findings"] == [second]
    assert post(c, {"text": text, "ignored": [["ascii-punct", ","]]}).json()["findings"] == []
    assert post(c, {"text": text, "doc_type": "通知"}).status_code == 200
    assert post(c, {"text": text, "doc_type": "命令（令）"}).status_code == 200


def test_token_authentication(client, people):
    from zhongshu.accounts.services import token_create

    _, key = token_create(user=people.clerk, name="校对脚本")
    resp = client.post(URL, data=json.dumps({"text": "经研究,决定。"}), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Token {key}")
    assert resp.status_code == 200 and resp.json()["findings"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 123}, "text"),
        ({"text": None}, "text"),
        ({"text": {"a": 1}}, "text"),
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "字" * 200_001}, "text"),
        ({"text": "经研究。", "doc_type": "请示报告"}, "doc_type"),
        ({"text": "经研究。", "doc_type": ["通知"]}, "doc_type"),
        ({"text": "经研究。", "ignored": {"a": 1}}, "ignored"),
        ({"text": "经研究。", "ignored": [[1, 2]]}, "ignored"),
        ({"text": "经研究。", "ignored_spans": [["x", -1, 2]]}, "ignored_spans"),
        ({"text": "经研究。", "ignored_spans": "abc"}, "ignored_spans"),
        ([1, 2, 3], None),
        ("text", None),
    ],
)
def test_malformed_payloads_are_chinese_4xx(api, people, body, field):
    assert_error(post(api(people.clerk), body), field)


def test_not_json_and_too_big(api, people):
    c = api(people.clerk)
    assert_error(c.post(URL, data="{not json", content_type="application/json"))
    assert_error(c.post(URL, data="hello", content_type="text/plain"), status=415)
    big = json.dumps({"text": "字" * 1_000_000}, ensure_ascii=True)  # 6 MB
    assert_error(c.post(URL, data=big, content_type="application/json"), "text")
    assert_error(c.get(URL), status=405)


def test_permissions(client, api, people):
    body = json.dumps({"text": "经研究,决定。"})
    anon = client.post(URL, data=body, content_type="application/json")
    assert anon.status_code in (401, 403) and anon.json()["error"]
    anon_docx = client.post(DOCX_URL, {})
    assert anon_docx.status_code in (401, 403)
    for login in ("admin", "secadmin", "auditor"):
        resp = api(people[login]).post(URL, data=body, content_type="application/json")
        assert_error(resp, status=403)
        assert_error(api(people[login]).post(DOCX_URL, {}, format="multipart"), status=403)


def test_docx_upload(api, people, make_docx):
    up = SimpleUploadedFile("会议通知.docx", make_docx(), content_type="application/octet-stream")
    resp = api(people.clerk).post(DOCX_URL, {"file": up, "doc_type": "通知"}, format="multipart")
    assert resp.status_code == 200, resp.content
    data = resp.json()
    assert data["text"].startswith("经研究,决定召开全县工作会议。\n请各单位按时参加,不得缺席。")
    commas = [f for f in data["findings"] if f["rule"] == "ascii-punct"]
    assert [data["text"][f["start"]:f["end"]] for f in commas] == [",", ","]
    assert data["text_length"] == len(data["text"])
    # ignore sets as JSON strings in the form
    up = SimpleUploadedFile("会议通知.docx", make_docx(), content_type="application/octet-stream")
    resp = api(people.clerk).post(DOCX_URL, {"file": up, "ignored": json.dumps([["ascii-punct", ","]])}, format="multipart")
    assert not [f for f in resp.json()["findings"] if f["rule"] == "ascii-punct"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", b"%PDF-1.4 hello"),
        ("a.docx", b"this is not a zip"),
        ("a.docx", b"PK\x03\x04 truncated zip"),
        ("a.docx", b""),
        ("a.txt", "经研究,决定。".encode()),
    ],
)
def test_bad_uploads_are_chinese_4xx(api, people, name, content):
    up = SimpleUploadedFile(name, content)
    assert_error(api(people.clerk).post(DOCX_URL, {"file": up}, format="multipart"), "file")


def test_zip_that_is_not_a_docx(api, people):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    up = SimpleUploadedFile("fake.docx", buf.getvalue())
    assert_error(api(people.clerk).post(DOCX_URL, {"file": up}, format="multipart"), "file")


def test_docx_missing_file_and_bad_json_fields(api, people, make_docx):
    c = api(people.clerk)
    assert_error(c.post(DOCX_URL, {}, format="multipart"), "file")
    up = SimpleUploadedFile("a.docx", make_docx())
    assert_error(c.post(DOCX_URL, {"file": up, "ignored": "not json"}, format="multipart"), "ignored")
    up = SimpleUploadedFile("a.docx", make_docx())
    assert_error(c.post(DOCX_URL, {"file": up, "doc_type": "报告函"}, format="multipart"), "doc_type")
    assert_error(c.post(DOCX_URL, data=json.dumps({"text": "x"}), content_type="application/json"), status=415)


def test_oversized_docx(api, people, settings):
    up = SimpleUploadedFile("big.docx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1))
    resp = api(people.clerk).post(DOCX_URL, {"file": up}, format="multipart")
    assert_error(resp, "file")
    assert "10 MB" in resp.json()["fields"]["file"][0]


def test_schema_documents_the_endpoints(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema").content)
    assert "/api/v1/proofread" in schema["paths"] and "/api/v1/proofread/docx" in schema["paths"]
    op = schema["paths"]["/api/v1/proofread"]["post"]
    assert op["tags"] == ["公文校对"]


