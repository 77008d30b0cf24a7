"""Phones (390×844): the shared list (web/_list.html) turns into cards — no sideways scroll of the page, each row's
title and deadline inside the viewport — on the 待办, 待阅, 收文 and 发文 lists."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    p = context.new_page()
    yield p
    context.close()


def _inside(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5 and box["width"] > 40


def _check_cards(page, url, name, shot, *, deadline: bool):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name}: 页面横向滚动"
    assert not page.locator("table.list thead").first.is_visible()  # header row hidden: cards carry their labels
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 1 and not rows.first.locator("td.empty").count(), f"{name}: 没有记录"
    first = rows.first
    title = first.locator("td.c-title")
    assert title.locator("a").count() == 1  # the title is the link
    assert len(title.inner_text().strip()) >= 4
    tbox, rbox = title.bounding_box(), first.bounding_box()
    assert _inside(tbox) and _inside(rbox), f"{name}: 标题超出屏幕 {tbox}"
    others = first.locator("td:not(.c-title):not(.c-select)")
    boxes = [others.nth(i).bounding_box() for i in range(others.count())]
    assert all(tbox["y"] < b["y"] for b in boxes if b)  # the title on top (hidden empty cells have no box)
    if deadline:
        cells = page.locator("table.list tbody tr td.c-deadline")
        dated = [cells.nth(i) for i in range(cells.count()) if re.search(r"\d", cells.nth(i).text_content() or "")]
        assert dated, f"{name}: 没有带办理时限的记录"
        cell = dated[0]  # a row with a deadline (a task without one hides its empty cell on a phone)
        assert cell.is_visible(), f"{name}: 办理时限不可见"
        assert cell.get_attribute("data-label") == "办理时限"
        assert _inside(cell.bounding_box())
    shot(page, f"phone-{name}")


def test_lists_become_cards_on_a_phone(county, phone, login, live_server, shot):
    login(phone, "director")
    _check_cards(phone, f"{live_server.url}/inbox/", "todo", shot, deadline=True)
    _check_cards(phone, f"{live_server.url}/outgoing/", "outgoing", shot, deadline=False)
    phone.context.clear_cookies()
    login(phone, "deputy")
    _check_cards(phone, f"{live_server.url}/inbox/toread/", "toread", shot, deadline=False)
    phone.context.clear_cookies()
    login(phone, "clerk")
    _check_cards(phone, f"{live_server.url}/incoming/", "incoming", shot, deadline=True)


def test_lists_stay_tables_on_a_desktop(county, page, login, live_server):
    login(page, "clerk")
    page.goto(f"{live_server.url}/incoming/")
    assert page.locator("table.list thead").first.is_visible()
    title = page.locator("table.list tbody tr").first.locator("td.c-title")
    assert title.locator("a").count() == 1  # 收文: the title links to the document, not the 收文编号
    assert page.locator("table.list th").nth(1).inner_text() == "标题"
