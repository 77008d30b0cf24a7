"""Browser journey for 督查督办: the 县发改局 liaison opens the department's task, submits a progress report with
an attachment; the office (clerk) sees it on the item and returns it with a comment; the liaison sees the comment."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "加快推进2027年重点项目前期工作"


def test_liaison_submits_progress_report(county, page, login, live_server, shot, tmp_path):
    login(page, "liaison")
    page.goto(f"{live_server.url}/supervision/tasks/")
    shot(page, "supervision-tasks-liaison")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state("networkidle")
    assert "报送进展" in page.content()
    page.fill("#id_content", "本周完成项目储备库入库审核12个，3个项目完成可研批复。")
    attachment = tmp_path / "进展说明.txt"
    attachment.write_text("储备库项目清单（演示）", encoding="utf-8")
    page.set_input_files("#report-form input[type=file]", str(attachment))
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "进展已报送" in page.locator("ul.messages").inner_text()
    assert "进展说明.txt" in page.content()
    shot(page, "supervision-report-submitted")

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}/supervision/ledger/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state("networkidle")
    report = page.locator("#reports div", has_text="本周完成项目储备库入库审核12个").first
    report.locator("input[name=comment]").fill("请补充资金落实情况。")
    report.locator("button:has-text('退回')").click()
    page.wait_for_load_state("networkidle")
    assert "已退回" in page.locator("ul.messages").inner_text()
    shot(page, "supervision-report-returned")

    page.context.clear_cookies()
    login(page, "liaison")
    page.goto(f"{live_server.url}/supervision/tasks/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state("networkidle")
    assert "请补充资金落实情况。" in page.content()


def test_dashboard_draws_charts(county, page, login, live_server, shot):
    login(page, "director")
    page.goto(f"{live_server.url}/supervision/dashboard/")
    page.wait_for_selector("#chart-sources svg")
    page.wait_for_selector("#chart-departments svg")
    assert "办结率" in page.locator("#figures").inner_text()
    assert "城区老旧小区改造三季度任务清零" in page.locator("#overdue").inner_text()
    shot(page, "supervision-dashboard")
