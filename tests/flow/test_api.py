"""/api/v1/flow/: lists, detail with history, every action, and malformed payloads → 4xx JSON, never 500."""

from __future__ import annotations

import json

import pytest

from zhongshu.flow import services
from zhongshu.flow.models import WorkItem

from .conftest import pending

pytestmark = pytest.mark.django_db


def _item(people, login):
    return WorkItem.objects.filter(assignee=people[login], status="pending", kind="todo").first()


def test_lists_and_detail(api, people):
    client = api(people.director)
    todo = client.get("/api/v1/flow/todo/").json()
    item = _item(people, "director")
    assert any(r["id"] == item.pk and r["title"] == item.instance.title for r in todo["results"])
    for box in ("toread", "done", "started"):
        assert client.get(f"/api/v1/flow/{box}/").status_code == 200
    detail = client.get(f"/api/v1/flow/items/{item.pk}/").json()
    assert detail["item"]["step_name"] == "办公室主任审核"
    assert [h["action"] for h in detail["history"]][:2] == ["start", "approve"]
    assert "approve" in detail["allowed_actions"] and "return" in detail["allowed_actions"]
    assert detail["return_targets"][0]["position"] == -1
    inst = client.get(f"/api/v1/flow/instances/{item.instance_id}/").json()
    assert inst["instance"]["id"] == item.instance_id


def test_outsiders_get_404(api, people):
    item = _item(people, "deputy")  # 秘密, the deputy's
    for login in ("clerk", "liaison", "auditor"):
        c = api(people[login])
        assert c.get(f"/api/v1/flow/items/{item.pk}/").status_code == 404, login
        assert c.post(f"/api/v1/flow/items/{item.pk}/approve/", {}, format="json").status_code == 404, login
        assert item.pk not in [r["id"] for r in c.get("/api/v1/flow/todo/").json()["results"]]
    assert api().get("/api/v1/flow/todo/").status_code in (401, 403)


def test_actions_through_the_api(api, people, person, draft):
    clerk = api(people.clerk)
    notice = draft(people.clerk, "API 提交的通知")
    started = clerk.post("/api/v1/flow/start/", {"business_type": "notice", "object_id": notice.pk, "opinion": "请审"}, format="json")
    assert started.status_code == 201, started.json()
    inst_id = started.json()["instance"]["id"]
    head = person("李静怡")
    item = WorkItem.objects.get(instance_id=inst_id, status="pending")
    r = api(head).post(f"/api/v1/flow/items/{item.pk}/add_signers/", {"signers": [person("赵明轩").pk], "position": "after",
                                                                         "opinion": "同意"}, format="json")
    assert r.status_code == 200, r.json()
    signer_item = WorkItem.objects.get(instance_id=inst_id, status="pending")
    r = api(person("赵明轩")).post(f"/api/v1/flow/items/{signer_item.pk}/approve/", {"opinion": "同意"}, format="json")
    assert r.status_code == 200
    dir_item = WorkItem.objects.get(instance_id=inst_id, status="pending")
    r = api(people.director).post(f"/api/v1/flow/items/{dir_item.pk}/return/", {"reason": "请修改", "to_position": -1}, format="json")
    assert r.status_code == 200
    assert clerk.post(f"/api/v1/flow/instances/{inst_id}/chase/", {}, format="json").status_code == 200
    back = WorkItem.objects.get(instance_id=inst_id, status="pending")
    assert back.assignee == people.clerk
    r = clerk.post(f"/api/v1/flow/items/{back.pk}/terminate/", {"reason": "不发了"}, format="json")
    assert r.status_code == 200 and r.json()["instance"]["status"] == "terminated"
    # Acting again on a finished item: a clear 409.
    r = clerk.post(f"/api/v1/flow/items/{back.pk}/approve/", {}, format="json")
    assert r.status_code == 409 and r.json()["error"] == "该事项已由他人办理，请刷新。"


def test_bulk_read_api(api, people):
    ids = list(WorkItem.objects.filter(assignee=people.deputy, kind="read", status="pending").values_list("pk", flat=True))
    r = api(people.deputy).post("/api/v1/flow/items/read-bulk/", {"items": ids}, format="json")
    assert r.status_code == 200 and r.json()["read"] == len(ids) > 0


def _endpoints(people, draft):
    item = _item(people, "director")
    read = WorkItem.objects.filter(assignee=people.director, kind="read").first() or item
    inst = services.flow_start(actor=people.director, subject=draft(people.director, "主任自己的通知"))
    urls = [f"/api/v1/flow/items/{item.pk}/{a}/" for a in ("approve", "circle", "return", "transfer", "add_signers", "terminate")]
    urls.append(f"/api/v1/flow/items/{read.pk}/read/")
    urls += [f"/api/v1/flow/instances/{inst.pk}/{a}/" for a in ("withdraw", "chase", "terminate", "circulate")]
    urls += ["/api/v1/flow/items/read-bulk/", "/api/v1/flow/start/"]
    return urls


MALFORMED = [
    ("not json", "application/json"),
    ("[1, 2, 3]", "application/json"),
    ('"just a string"', "application/json"),
    ("null", "application/json"),
    (json.dumps({"opinion": {"a": 1}, "message": ["m"], "reason": ["x"], "to": "abc", "signers": "x", "recipients": {"a": 1}, "items": "1",
                 "to_position": "far", "position": "middle", "next_assignees": [None], "business_type": 5, "object_id": -1}),
     "application/json"),
    (json.dumps({"to": 10**40, "signers": [10**40], "recipients": [0], "items": [10**40], "next_assignees": [10**40],
                 "object_id": 10**40, "reason": "x" * 5000, "opinion": "x" * 5000, "message": "y" * 5000}), "application/json"),
    ("<xml/>", "application/xml"),
]


def test_malformed_payloads_get_4xx_json(api, people, draft):
    client = api(people.director)
    for url in _endpoints(people, draft):
        for body, ctype in MALFORMED:
            r = client.generic("POST", url, body, content_type=ctype)
            assert 400 <= r.status_code < 500, (url, body[:30], r.status_code)
            payload = r.json()
            assert "error" in payload and "code" in payload, (url, payload)
    for url in ("/api/v1/flow/items/99999999999999999999/", "/api/v1/flow/instances/99999999999999999999/",
                "/api/v1/flow/items/1/unknown/", "/api/v1/flow/todo/?size=abc&page=-1&urgency=purple&received_after=notadate"):
        r = client.get(url) if "todo" in url or url.endswith("99/") else client.post(url, {}, format="json")
        assert r.status_code < 500, url
        if r.status_code >= 400:
            assert "error" in r.json(), url


def test_wrong_methods_are_json(api, people):
    item = _item(people, "director")
    client = api(people.director)
    assert client.get(f"/api/v1/flow/items/{item.pk}/approve/").status_code == 405
    assert client.delete(f"/api/v1/flow/items/{item.pk}/").status_code == 405
    assert client.post("/api/v1/flow/todo/", {}, format="json").status_code == 405


def test_empty_body_action_is_validated(api, people):
    item = _item(people, "director")
    r = api(people.director).post(f"/api/v1/flow/items/{item.pk}/return/", {}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = api(people.director).post(f"/api/v1/flow/items/{item.pk}/transfer/", {"to": people.liaison.pk}, format="json")
    assert r.status_code == 400 and "to" in r.json()["fields"]  # another organization
    assert pending(item.instance).get() == item
