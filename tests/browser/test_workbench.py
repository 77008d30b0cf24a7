import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_workbench(county, page, login, live_server, shot):
    login(page, "clerk")
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("h1").first.inner_text() == "工作台"
    # The notices card lists the published demo notices, and the navigation is the clerk's.
    card = page.locator("#card-notices")
    assert "关于做好年终公文归档工作的通知" in card.inner_text()
    nav = page.locator("nav.side").inner_text()
    assert "通知公告" in nav and "审计日志" not in nav and "机关单位" not in nav
    # The classified notice is outside the clerk's need-to-know: not listed anywhere.
    assert "重点项目推进情况" not in page.content()
    shot(page, "workbench-clerk")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "workbench-clerk-mobile")


def test_wrong_password_shows_chinese_error(county, page, login, shot):
    login(page, "clerk", "wrong-password")
    assert "登录名或密码不正确" in page.content()
    shot(page, "login-failed")
