"""The Content-Security-Policy in a real browser (issue 14 §5): the main pages as a few personas raise no CSP
violation, and what used to be inline still works — a confirm dialog, an htmx swap, charts drawn (SVG renderer)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "clerk": ["/", "/notices/", "/outgoing/", "/outgoing/register/", "/incoming/", "/inbox/", "/inbox/toread/",
              "/supervision/ledger/", "/supervision/dashboard/", "/search/?q=通知", "/workdays/", "/notify/",
              "/accounts/profile/", "/accounts/tokens/", "/proofing/", "/api/v1/docs",
              "/no-such-page/"],
    "director": ["/", "/incoming/stats/", "/supervision/dashboard/"],
    "archivist": ["/", "/archives/", "/archives/pending/", "/archives/batches/"],
}


def watch(page) -> list[str]:
    """Console messages and page errors that report a refused resource or inline code."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: violations.append(f"pageerror: {e}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'Refused to (CSP) ' + e.violatedDirective + ' ' + e.blockedURI))")
    return violations


@pytest.mark.parametrize("username", sorted(PAGES))
def test_main_pages_raise_no_csp_violation(county, page, login, live_server, shot, username):
    violations = watch(page)
    login(page, username)
    for path in PAGES[username]:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response is not None and "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        assert not violations, f"{username} {path}: {violations}"
        assert "/accounts/login/" not in page.url, path
    shot(page, f"csp-{username}-last")


def test_charts_draw_under_the_policy(county, page, login, live_server, shot):
    violations = watch(page)
    login(page, "director")
    page.goto(f"{live_server.url}/incoming/stats/")
    page.wait_for_load_state("networkidle")
    for chart in ("source", "status", "type", "department", "month"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    shot(page, "csp-incoming-stats")
    page.goto(f"{live_server.url}/supervision/dashboard/")
    page.wait_for_load_state("networkidle")
    for chart in ("sources", "trend", "departments"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    shot(page, "csp-supervision-dashboard")
    assert not violations, violations


def test_confirm_dialog_guards_a_form(county, page, login, live_server):
    from zhongshu.accounts.models import ApiToken

    violations = watch(page)
    login(page, "clerk")
    page.goto(f"{live_server.url}/accounts/tokens/")
    page.fill("input[name=name]", "测试令牌")
    page.click("button:has-text('签发令牌')")
    page.wait_for_load_state("networkidle")
    before = ApiToken.objects.filter(user__username="clerk").count()
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("form[data-confirm] button", has_text="吊销").first.click()
    page.wait_for_timeout(300)
    assert asked == ["确定吊销该令牌？"]
    assert ApiToken.objects.filter(user__username="clerk").count() == before  # cancelled: nothing revoked

    page.once("dialog", lambda d: d.accept())
    page.locator("form[data-confirm] button", has_text="吊销").first.click()
    page.wait_for_load_state("networkidle")
    assert ApiToken.objects.filter(user__username="clerk").count() == before - 1
    assert not violations, violations


def test_htmx_swap_under_the_policy(county, page, login, live_server):
    from zhongshu.archives.models import FilingBatch
    from zhongshu.org.models import User

    violations = watch(page)
    archivist = User.objects.get(username="archivist")
    batch = FilingBatch.objects.create(organization=archivist.organization, year=2020, status="running", total=10,
                                       processed=3, started_by=archivist)
    login(page, "archivist")
    page.goto(f"{live_server.url}/archives/batches/{batch.pk}/")
    assert "已处理 3/10 件" in page.locator("#batch-progress").inner_text()
    FilingBatch.objects.filter(pk=batch.pk).update(processed=10, filed=10, status="done")
    page.locator("#batch-progress", has_text="已处理 10/10 件").wait_for(timeout=5000)  # htmx polled and swapped
    assert page.locator("#batch-progress progress").get_attribute("value") == "100"
    assert not violations, violations
