"""The REST API: token auth, schema, Chinese JSON errors, and no 500 on malformed input — for every
endpoint in the OpenAPI schema, so endpoints added later are covered automatically."""

import json

import pytest
import yaml

from zhongshu.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

JUNK_BODIES = [
    ("application/json", "{not json"),
    ("application/json", "[1, 2, 3]"),
    ("application/json", "null"),
    ("application/json", json.dumps({"title": 123, "body": ["x"], "classification": "绝密", "scope": 7, "ids": "x", "start": "昨天",
                                     "days": "十", "reason": {"a": 1}, "recipient_users": ["x"], "delegate": -1, "username": None,
                                     "password": 5, "organization": "abc", "roles": "clerk", "end_date": "2026-13-45"})),
    ("application/json", json.dumps({"title": "x" * 5000, "body": "\x00\ud800", "ids": [0, -1], "reason": ""})),
    ("text/plain", "hello"),
    ("application/x-www-form-urlencoded", "a=%ZZ&b"),
]


def _schema(client):
    resp = client.get("/api/v1/schema")
    assert resp.status_code == 200
    return yaml.safe_load(resp.content)


def test_schema_and_docs_offline(client, people):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "中枢 API"
    assert "/api/v1/notices/" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]
    client.force_login(people.clerk)
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs


def test_token_flow(client, people):
    bad = client.post("/api/v1/auth/token", {"username": "clerk", "password": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "登录名或密码不正确。"
    missing = client.post("/api/v1/auth/token", {}, content_type="application/json")
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"username", "password"}
    ok = client.post("/api/v1/auth/token", {"username": "clerk", "password": DEMO_PASSWORD}, content_type="application/json")
    token = ok.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["username"] == "clerk" and me["max_classification"] == "秘密"
    wrong = client.get("/api/v1/me", HTTP_AUTHORIZATION="Token deadbeef")
    assert wrong.status_code == 401 and wrong.json()["error"] == "令牌无效或已过期。"


def test_validation_errors_name_fields_in_chinese(api, people):
    resp = api(people.clerk).post("/api/v1/notices/", {"title": "", "body": "正文", "classification": 9}, format="json")
    assert resp.status_code == 400
    data = resp.json()
    assert data["code"] == "invalid" and "title" in data["fields"] and "classification" in data["fields"]
    assert "不能为空" in data["fields"]["title"][0] or "该字段" in data["fields"]["title"][0]
    # a service rule (classification above the author's clearance) comes back the same way
    resp = api(people.clerk).post("/api/v1/notices/", {"title": "测试", "body": "正文", "classification": 3, "scope": "selected", "recipient_users": [people.deputy.pk]}, format="json")
    assert resp.status_code == 400 and "涉密等级" in resp.json()["fields"]["classification"][0]


def test_create_publish_read_via_api(api, people):
    clerk_api = api(people.clerk)
    created = clerk_api.post("/api/v1/notices/", {"title": "接口测试通知", "body": "请各科室知悉。"}, format="json")
    assert created.status_code == 201, created.json()
    nid = created.json()["id"]
    assert created.json()["status"] == "draft"
    # a draft is invisible to others
    assert api(people.deputy).get(f"/api/v1/notices/{nid}/").status_code == 404
    assert clerk_api.post(f"/api/v1/notices/{nid}/publish/").json()["status"] == "published"
    again = clerk_api.post(f"/api/v1/notices/{nid}/publish/")
    assert again.status_code == 409 and "刷新" in again.json()["error"]
    assert api(people.deputy).get(f"/api/v1/notices/{nid}/").status_code == 200


def _concrete(path: str, value: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.parametrize("login", ["clerk", "auditor", "admin"])
def test_no_500_on_malformed_input_anywhere(client, api, people, login):
    schema = _schema(client)
    user = people[login]
    c = api(user)
    checked = 0
    for path, ops in schema["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            for ident in ("1", "abc", "999999999999", "-1"):
                url = _concrete(path, ident)
                if method == "get":
                    responses = [c.get(url, {"page": "x", "size": "-5", "start": "notadate", "days": "9999", "q": "\x00", "classification": "z"})]
                else:
                    responses = [getattr(c, method)(url, data=body, content_type=ctype) for ctype, body in JUNK_BODIES]
                for resp in responses:
                    checked += 1
                    assert resp.status_code < 500, f"{method.upper()} {url} → {resp.status_code}"
                    if resp.status_code >= 400:
                        assert resp["Content-Type"].startswith("application/json"), f"{method.upper()} {url} → {resp.status_code} {resp.content[:200]!r}"
                        payload = resp.json()
                        assert isinstance(payload.get("error"), str) and payload["error"], f"{method.upper()} {url}: {payload}"
                        assert isinstance(payload.get("fields"), dict)
                if "{" not in path:
                    break
    assert checked > 300


def test_workday_deadline_endpoint(api, people):
    resp = api(people.clerk).get("/api/v1/workdays/deadline", {"start": "2026-09-30", "days": 1})
    assert resp.json() == {"start": "2026-09-30", "days": 1, "deadline": "2026-10-08", "provisional": False, "is_workday": True}
    resp = api(people.clerk).get("/api/v1/workdays/deadline", {"start": "2026-12-30", "days": 3})
    assert resp.json()["provisional"] is True
