import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_global_search_box_full_text_with_filters(county, page, login, live_server, shot):
    login(page, "director")
    page.fill("form.search input[name=q]", "元旦春节")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator("#fulltext-results")
    assert "元旦春节" in results.inner_text()
    assert results.locator("mark").first.inner_text() == "元旦春节"
    shot(page, "search-results")
    # filter to 发文 and sort by date: the page keeps the choices
    page.select_option("select[name=kind]", "outgoing")
    page.select_option("select[name=order]", "date")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "kind=outgoing" in page.url and "order=date" in page.url
    assert all(tag.inner_text() == "发文" for tag in page.locator("#fulltext-results .search-hit .tag").all()[:1])
    shot(page, "search-results-filtered")
