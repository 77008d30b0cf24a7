"""公文校对 pages: the standalone page, the settings page, the corrected .docx download."""

import io
import json

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.proofing.models import ProofreadSettings
from zhongshu.proofread import RULES

pytestmark = pytest.mark.django_db


def test_page_for_clerk(web, people):
    resp = web(people.clerk).get("/proofread/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "公文校对" in html and 'class="proofreader"' in html and "proofreader.js" in html
    assert "上传 .docx" in html and "下载修改后的 DOCX" in html and "复制修改后的文本" in html
    assert "校对设置" not in html.split("<main>")[1]  # a clerk does not manage the settings
    assert '<option value="命令（令）">' in html and "pr-meta" in html
    nav = html.split('<nav class="side"')[1].split("</nav>")[0]
    assert "/proofread/" in nav and "/proofread/settings/" not in nav


def test_page_refused_to_anonymous_and_admins(client, web, people):
    resp = client.get("/proofread/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    for login in ("secadmin", "auditor"):
        people[login].__class__.objects.filter(pk=people[login].pk).update(totp_confirmed=True)
        resp = web(people[login]).get("/proofread/")
        assert resp.status_code == 404


def test_settings_page_switches_rules_and_sets_banned_terms(web, people):
    c = web(people.director)
    html = c.get("/proofread/settings/").content.decode()
    assert "标点符号" in html and "错别字" in html and RULES["ascii-punct"].title_zh in html
    assert html.count('name="enabled_rules"') == len(RULES)
    enabled = [name for name in RULES if name != "ascii-punct"]
    resp = c.post("/proofread/settings/", {"enabled_rules": enabled, "banned_terms": "有关领导=>分管副县长"})
    assert resp.status_code == 302
    row = ProofreadSettings.objects.get(organization=people.director.organization)
    assert row.disabled_rules == ["ascii-punct"] and row.banned_terms == "有关领导=>分管副县长"
    html = c.get("/proofread/settings/").content.decode()
    assert "当前关闭 1 条" in html and "已保存" in html
    # the clerk's proofreading follows the setting
    api_resp = web(people.clerk).post("/api/v1/proofread", data=json.dumps({"text": "经研究,有关领导决定。"}),
                                      content_type="application/json")
    assert [f["rule"] for f in api_resp.json()["findings"]] == ["banned-term"]


def test_settings_errors_next_to_the_field(web, people):
    resp = web(people.director).post("/proofread/settings/", {"enabled_rules": list(RULES), "banned_terms": "=>无词语"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "第 1 行缺少词语" in html and "has-error" in html


def test_settings_refused_to_clerk(web, people):
    assert web(people.clerk).get("/proofread/settings/").status_code == 404


def test_docx_download_keeps_formatting_and_applies_fixes(web, people, make_docx):
    c = web(people.clerk)
    up = SimpleUploadedFile("会议通知.docx", make_docx())
    resp = c.post("/proofread/docx/fixed", {"file": up})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in resp["Content-Disposition"]
    d = docx.Document(io.BytesIO(resp.content))
    p0 = d.paragraphs[0]
    assert p0.text == "经研究，决定召开全县工作会议。"
    assert p0.runs[0].text == "经研究，决定" and p0.runs[0].bold
    assert not p0.runs[1].bold
    assert d.paragraphs[1].text == "请各单位按时参加，不得缺席。"


def test_docx_download_honours_ignored_and_accepted(web, people, make_docx):
    c = web(people.clerk)
    # ignore the first comma once: only the second paragraph is fixed
    resp = c.post("/proofread/docx/fixed", {"file": SimpleUploadedFile("a.docx", make_docx()),
                                            "ignored_spans": json.dumps([["ascii-punct", 3, 4]])})
    d = docx.Document(io.BytesIO(resp.content))
    assert [p.text for p in d.paragraphs] == ["经研究,决定召开全县工作会议。", "请各单位按时参加，不得缺席。"]
    # only the accepted fix
    resp = c.post("/proofread/docx/fixed", {"file": SimpleUploadedFile("a.docx", make_docx()),
                                            "accepted": json.dumps([["ascii-punct", 3, 4]])})
    d = docx.Document(io.BytesIO(resp.content))
    assert [p.text for p in d.paragraphs] == ["经研究，决定召开全县工作会议。", "请各单位按时参加,不得缺席。"]


def test_docx_download_errors_are_json(web, people, client):
    resp = web(people.clerk).post("/proofread/docx/fixed", {"file": SimpleUploadedFile("a.docx", b"not a zip")})
    assert resp.status_code == 400 and "docx" in resp.json()["error"] and "file" in resp.json()["fields"]
    client.logout()
    assert client.post("/proofread/docx/fixed", {}).status_code == 302
