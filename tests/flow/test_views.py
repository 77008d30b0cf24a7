"""Pages: the old inbox addresses (redirects to the one inbox), item page with actions, access (404 outside need-to-know), workbench cards,
constant query counts, and the definition admin."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.flow import services
from zhongshu.flow.models import FlowDefinition, FlowInstance, WorkItem
from zhongshu.org.models import User

from .conftest import pending

pytestmark = pytest.mark.django_db


def _demo_item(login: str, people) -> WorkItem:
    return WorkItem.objects.filter(assignee=people[login], status="pending", kind="todo").first()


@pytest.mark.parametrize("login", ["clerk", "director", "leader", "deputy"])
def test_inbox_pages_and_workbench(web, people, login):
    """The flow's own 待办/待阅/已办 addresses lead to the one inbox, which lists the flow's work items."""
    client = web(people[login])
    for old, new in (("/flow/", "/inbox/"), ("/flow/toread/", "/inbox/toread/"), ("/flow/done/", "/inbox/done/")):
        resp = client.get(old)
        assert resp.status_code == 302 and resp["Location"] == new, old
    assert client.get("/flow/started/").status_code == 200  # 我发起的 stays the flow's own list
    item = _demo_item(login, people)
    html = client.get("/flow/", follow=True).content.decode()
    assert item.instance.title in html and f'href="/flow/items/{item.pk}/"' in html
    assert 'class="dot' in html or item.due_date is None
    wb = client.get("/").content.decode()
    assert 'id="card-flow_todo"' in wb and 'id="card-flow_toread"' in wb
    # the shared filters survive the redirect; 业务类型 (no inbox equivalent) is dropped
    resp = client.get("/flow/?q=" + item.instance.title[:4] + "&business_type=notice&urgency=")
    assert resp["Location"].startswith("/inbox/?q=") and "business_type" not in resp["Location"] and "urgency" not in resp["Location"]
    assert client.get(resp["Location"]).content.decode().count(f"/flow/items/{item.pk}/") == 1
    assert f"/flow/items/{item.pk}/" not in client.get("/flow/?q=不存在的关键词xyz", follow=True).content.decode()
    assert client.get("/flow/?export=xlsx", follow=True)["Content-Type"].startswith("application/vnd.openxmlformats")


def test_flow_list_api_kept_and_marked_deprecated(api, people):
    client = api(people.director)
    for box in ("todo", "toread", "done"):
        resp = client.get(f"/api/v1/flow/{box}/")
        assert resp.status_code == 200 and "results" in resp.json()
        assert resp["Deprecation"] == "true" and resp["Link"] == f'</api/v1/inbox/{box}/>; rel="successor-version"'
    item = _demo_item("director", people)
    assert item.pk in [r["id"] for r in client.get("/api/v1/flow/todo/?size=100").json()["results"]]  # ids to act on
    assert "Deprecation" not in client.get("/api/v1/flow/started/")
    assert "Deprecation" not in client.get("/api/v1/inbox/todo/")


def test_anonymous_and_admins_have_no_inbox(client, as_user, people):
    assert client.get("/flow/").status_code == 302 and client.get("/flow/")["Location"].startswith("/accounts/login/")
    for login in ("admin", "secadmin", "auditor"):
        c = as_user(people[login])
        assert c.get("/flow/").status_code == 404, login
        assert c.get(f"/flow/items/{_demo_item('director', people).pk}/").status_code == 404


def test_item_page_only_within_need_to_know(web, people):
    item = _demo_item("deputy", people)  # a 秘密 notice waiting for the deputy
    assert item.classification == 2
    assert web(people.deputy).get(f"/flow/items/{item.pk}/").status_code == 200
    assert web(people.director).get(f"/flow/items/{item.pk}/").status_code == 200  # initiator
    for login in ("clerk", "leader", "liaison", "archivist"):
        assert web(people[login]).get(f"/flow/items/{item.pk}/").status_code == 404, login
        assert web(people[login]).get(f"/flow/instances/{item.instance_id}/").status_code == 404, login
    # Clearance is a ceiling even within need-to-know.
    User.objects.filter(pk=people.deputy.pk).update(clearance=1)
    assert web(people.deputy).get(f"/flow/items/{item.pk}/").status_code == 404


def test_supervisor_sees_unclassified_flows_of_the_office(web, people):
    clerk_item = _demo_item("clerk", people)
    assert clerk_item.classification < 2
    assert web(people.director).get(f"/flow/instances/{clerk_item.instance_id}/").status_code == 200


def test_approve_through_the_page(web, people):
    item = _demo_item("director", people)
    client = web(people.director)
    page = client.get(f"/flow/items/{item.pk}/").content.decode()
    assert "办理过程" in page and "请审核。" in page  # earlier opinions are visible
    assert item.step.verb != "同意并提交" and f'value="approve">{item.step.verb}</button>' in page  # the button says what it does
    resp = client.post(f"/flow/items/{item.pk}/approve/", {"opinion": "同意发布"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.opinion == "同意发布"
    again = client.post(f"/flow/items/{item.pk}/approve/", {"opinion": "再来"}, follow=True)
    assert "该事项已由他人办理，请刷新。" in again.content.decode()


def test_return_without_reason_shows_error_next_to_field(web, people):
    item = _demo_item("director", people)
    resp = web(people.director).post(f"/flow/items/{item.pk}/return/", {"reason": "", "to_position": "-1"})
    html = resp.content.decode()
    assert resp.status_code == 400 and "has-error" in html and "这个字段是必填项" in html or "该字段是必填项" in html


def test_bulk_circle_on_toread(web, people):
    ids = list(WorkItem.objects.filter(assignee=people.leader, kind="read", status="pending").values_list("pk", flat=True))
    assert ids
    resp = web(people.leader).post("/flow/toread/read/", {"items": ids})
    assert resp.status_code == 302 and resp["Location"] == "/inbox/toread/"
    assert not WorkItem.objects.filter(pk__in=ids, status="pending").exists()


def test_initiator_page_chase_and_withdraw(web, people, draft):
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    client = web(people.clerk)
    assert "撤回" in client.get(f"/flow/instances/{inst.pk}/").content.decode()
    assert client.post(f"/flow/instances/{inst.pk}/chase/", {"message": "请尽快"}).status_code == 302
    assert client.post(f"/flow/instances/{inst.pk}/withdraw/", {"reason": ""}).status_code == 302
    inst.refresh_from_db()
    assert inst.status == "withdrawn"


def test_start_page(web, people, draft):
    notice = draft(people.clerk, "从页面提交的通知")
    client = web(people.clerk)
    assert "从页面提交的通知" in client.get("/flow/start/?type=notice").content.decode()
    resp = client.post("/flow/start/", {"type": "notice", "object_id": notice.pk, "opinion": "请审"})
    assert resp.status_code == 302
    assert FlowInstance.objects.filter(object_id=notice.pk, status="running").exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_queries_do_not_grow_with_rows(web, people, person, define, draft):
    import time_machine

    define([{"name": "审核", "assignee_rule": "users", "users": [people.director], "deadline_days": 3}])
    with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
        for i in range(3):
            services.flow_start(actor=people.clerk, subject=draft(people.clerk, f"通知{i}"))
        client = web(people.director)
        few = _count(client, "/inbox/?size=5")
        for i in range(30):
            services.flow_start(actor=people.clerk, subject=draft(people.clerk, f"再通知{i}"))
        many = _count(client, "/inbox/?size=50")
        assert many == few
        assert _count(client, "/api/v1/flow/todo/?size=5") == _count(client, "/api/v1/flow/todo/?size=50")
        assert _count(client, "/api/v1/flow/done/?size=5") == _count(client, "/api/v1/flow/done/?size=50")


def test_definition_admin(web, as_user, people, zfb):
    client = as_user(people.admin)
    assert client.get("/flow/definitions/").status_code == 200
    from django.test import Client

    other = Client()
    other.force_login(people.clerk)
    assert other.get("/flow/definitions/").status_code == 404
    resp = client.post("/flow/definitions/new/", {"organization": zfb.pk, "business_type": "notice", "name": "通知审核（新）"})
    assert resp.status_code == 302
    d = FlowDefinition.objects.get(name="通知审核（新）")
    assert d.status == "draft" and d.version == 2
    base = {"steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "30",
            "name": "通知审核（新）", "description": ""}
    row0 = {"steps-0-name": "科长审核", "steps-0-kind": "single", "steps-0-completion": "all", "steps-0-assignee_rule": "users",
            "steps-0-actions": ["approve", "return"], "steps-0-deadline_days": "2"}
    bad = client.post(f"/flow/definitions/{d.pk}/steps/", {**base, **row0})
    assert bad.status_code == 200 and "须选择人员" in bad.content.decode()
    good = {**row0, "steps-0-users": [people.director.pk],
            "steps-1-name": "会签", "steps-1-kind": "parallel", "steps-1-completion": "n", "steps-1-completion_n": "2",
            "steps-1-assignee_rule": "role_dept", "steps-1-role": "office_director", "steps-1-actions": ["approve"]}
    assert client.post(f"/flow/definitions/{d.pk}/steps/", {**base, **good}).status_code == 302
    assert list(d.steps.values_list("name", flat=True)) == ["科长审核", "会签"]
    assert client.post(f"/flow/definitions/{d.pk}/publish/").status_code == 302
    d.refresh_from_db()
    assert d.status == "active"
    assert FlowDefinition.objects.filter(organization=zfb, business_type="notice", status="retired").count() == 1
    page = client.get(f"/flow/definitions/{d.pk}/").content.decode()
    assert "生成新版本" in page and "N 人同意" in page
    # Active versions cannot be edited; a new version copies the steps.
    assert client.get(f"/flow/definitions/{d.pk}/steps/").status_code == 302
    assert client.post(f"/flow/definitions/{d.pk}/new-version/").status_code == 302
    v3 = FlowDefinition.objects.get(organization=zfb, business_type="notice", version=3)
    assert v3.steps.count() == 2 and v3.status == "draft"
    assert client.get(f"/flow/definitions/{v3.pk}/steps/").status_code == 200


def test_director_manages_only_his_organization(web, people):
    client = web(people.director)
    other = FlowDefinition.objects.create(organization=people.liaison.organization, business_type="notice", name="外单位流程")
    assert client.get("/flow/definitions/").status_code == 200
    assert client.get(f"/flow/definitions/{other.pk}/").status_code == 404


def test_item_page_for_delegate_says_on_whose_behalf(web, people, define, draft, settings):
    settings.NOTIFY_UNCLEARED = "redact"  # 县长 (核心) → 副县长 (重要): allowed only where uncleared titles are redacted
    import datetime

    from django.utils import timezone

    from zhongshu.org import services as org_services

    define([{"name": "县长签发", "assignee_rule": "principal"}])
    inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
    today = timezone.localdate()
    org_services.delegation_create(actor=people.leader, delegator=people.leader, delegate=people.deputy, start_date=today,
                                   end_date=today + datetime.timedelta(days=1), reason="开会")
    item = pending(inst).get()
    html = web(people.deputy).get(f"/flow/items/{item.pk}/").content.decode()
    assert "您正在代 周国梁 办理" in html
