"""Every page renders for every demo role (no 500), navigation follows permissions, lists stay O(1) in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LOGINS = ["clerk", "director", "leader", "deputy", "archivist", "liaison", "admin", "secadmin", "auditor"]
PAGES = ["/", "/search/?q=通知", "/search/?q=王", "/notices/", "/notices/new/", "/org/people/", "/org/departments/",
         "/org/address-book/", "/org/delegations/", "/org/organizations/", "/org/import/", "/audit/", "/calendar/",
         "/calendar/?start=2026-09-30&days=3", "/calendar/?year=2027&month=1", "/calendar/manage/", "/notifications/",
         "/notifications/webhooks/", "/access/grants/", "/org/organizations/2/positions/", "/org/organizations/2/edit/", "/accounts/profile/", "/accounts/password/", "/notices/?classification=2&status=published&q=通知&sort=-title",
         "/org/people/?q=王&sort=clearance&page=99", "/calendar/?year=abc"]


@pytest.mark.parametrize("login", LOGINS)
def test_every_page_renders_or_hides(client, people, login):
    user = people[login]
    if user.admin_role:
        user.totp_confirmed = True
        user.save()
    client.force_login(user)
    for url in PAGES:
        resp = client.get(url)
        assert resp.status_code in (200, 404), f"{login} {url} → {resp.status_code}"


def test_navigation_follows_roles(client, people):
    expectations = {
        "clerk": ({"通知公告", "人员", "工作日历"}, {"审计日志", "机关单位", "节假日维护"}),
        "admin": ({"机关单位", "账号管理", "节假日维护", "群机器人"}, {"通知公告", "审计日志"}),
        "auditor": ({"审计日志"}, {"通知公告", "机关单位", "人员"}),
        "secadmin": ({"涉密人员管理"}, {"通知公告", "审计日志", "机关单位"}),
    }
    for login, (present, absent) in expectations.items():
        u = people[login]
        u.totp_confirmed = True
        u.save()
        client.force_login(u)
        nav = client.get("/").content.decode().split('<nav class="side"')[1].split("</nav>")[0]
        for label in present:
            assert f">{label}<" in nav, (login, label)
        for label in absent:
            assert f">{label}<" not in nav, (login, label)


def test_form_errors_are_chinese_and_next_to_fields(client, people):
    client.force_login(people.clerk)
    resp = client.post("/notices/new/", {"title": "", "body": "正文", "classification": 4, "scope": "organization"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "该字段是必填项" in html and "has-error" in html
    resp = client.post("/notices/new/", {"title": "涉密通知", "body": "正文", "classification": 2, "scope": "organization"})
    assert "涉密通知必须指定知悉范围" in resp.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(client, people):
    from zhongshu.notices import services

    client.force_login(people.clerk)
    for i in range(3):
        services.notice_publish(actor=people.clerk, notice=services.notice_create(actor=people.clerk, title=f"通知{i}", body="正文"))
    few = _count_queries(client, "/notices/?size=5")
    for i in range(30):
        services.notice_publish(actor=people.clerk, notice=services.notice_create(actor=people.clerk, title=f"再通知{i}", body="正文"))
    many = _count_queries(client, "/notices/?size=50")
    assert many == few
    client.force_login(people.director)
    assert _count_queries(client, "/org/people/?size=10") == _count_queries(client, "/org/people/?size=100")


def test_healthz(client):
    assert client.get("/healthz").json()["status"] == "ok"


def test_clearance_is_shown_only_to_account_and_security_admins(client, api, people):
    client.force_login(people.clerk)
    assert "涉密类别" not in client.get("/org/people/").content.decode()
    assert "核心涉密人员" not in client.get(f"/org/people/{people.leader.pk}/").content.decode()
    assert api(people.clerk).get("/api/v1/people/", {"q": "周国梁"}).json()["results"][0]["clearance"] is None
    secadmin = people.secadmin
    secadmin.totp_confirmed = True
    secadmin.save()
    client.force_login(secadmin)
    assert "核心涉密人员" in client.get(f"/org/people/{people.leader.pk}/").content.decode()
    assert api(secadmin).get("/api/v1/people/", {"q": "周国梁"}).json()["results"][0]["clearance"] == "核心涉密人员"
