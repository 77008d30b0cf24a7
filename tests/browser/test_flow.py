"""Browser journey: the office director opens a 待办 item from the workbench, reads earlier opinions, agrees;
the notice is published and the item moves to 已办. The deputy circles 待阅 items in bulk."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于开展2026年度机关节能宣传周活动的通知"


def test_director_approves_a_todo_item(county, page, login, live_server, shot):
    login(page, "director")
    card = page.locator("#card-flow_todo")
    assert TITLE in card.inner_text()
    shot(page, "flow-workbench-director")
    page.click("nav.side >> text=待办事项")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "待办"
    assert page.locator("#inbox .dot").count() >= 1  # deadlines shown with urgency colours
    shot(page, "flow-todo-director")
    page.click(f"#inbox >> text={TITLE}")
    page.wait_for_load_state("networkidle")
    timeline = page.locator("#timeline").inner_text()
    assert "同意，请主任审定。" in timeline and "李静怡" in timeline  # the earlier step's opinion is visible
    page.fill("textarea[name=opinion]", "同意发布。")
    shot(page, "flow-item-director")
    page.click("button[name=do][value=approve]")
    page.wait_for_load_state("networkidle")
    assert "已提交。" in page.locator("ul.messages").inner_text()
    assert TITLE not in page.locator("#inbox").inner_text()
    page.goto(f"{live_server.url}/inbox/done/")
    assert TITLE in page.locator("#inbox").inner_text()
    from zhongshu.notices.models import Notice

    assert Notice.objects.get(title=TITLE).status == Notice.Status.PUBLISHED
    shot(page, "flow-done-director")


def test_deputy_circles_reading_items_in_bulk(county, page, login, live_server, shot):
    login(page, "deputy")
    page.goto(f"{live_server.url}/inbox/toread/")
    rows = page.locator("input[name=items]")
    assert rows.count() >= 1
    page.check("input[aria-label=全选]")
    shot(page, "flow-toread-deputy")
    page.click("button:has-text('批量圈阅')")
    page.wait_for_load_state("networkidle")
    assert "已圈阅" in page.locator("ul.messages").inner_text()
    assert page.locator("input[name=items]").count() == 0
