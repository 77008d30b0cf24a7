"""Friction found in the browser (issue 15 §4): a staff member finds an archive in the catalogue and asks for it,
typing the 档号 with “.”; a refused page keeps the application frame; navigation highlights one item."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff():
    from zhongshu.archives.models import Loan
    from zhongshu.org.models import User

    clerk = User.objects.get(username="clerk")
    return (User.objects.filter(organization=clerk.organization, admin_role="", is_active=True, clearance__gte=2)
            .exclude(pk__in=Loan.objects.values("borrower_id")).exclude(username__in=["archivist", "director"]).first())


def test_staff_requests_an_archive_from_the_catalogue(county, page, login, live_server, shot):
    from zhongshu.archives.models import ArchiveItem, Loan

    item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")
    staff = _staff()
    login(page, staff.username)
    page.click("nav.side >> text=档案")
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.side a.active").all_inner_texts() == ["档案"]
    page.fill("input[name=q]", item.archival_code.replace("·", "."))  # typed with a full stop
    page.click("form.filters button:has-text('筛选')")
    page.wait_for_load_state("networkidle")
    page.click(f"table.list >> text={item.title}")
    page.wait_for_load_state("networkidle")
    page.fill("#loan-request input[name=purpose]", "核对节日值班安排")
    shot(page, "archives-catalogue-request")
    page.click("#loan-request button:has-text('提交借阅申请')")
    page.wait_for_load_state("networkidle")
    assert "借阅申请已提交" in page.locator("ul.messages").inner_text()
    assert Loan.objects.get(item=item, borrower=staff).status == "pending"


def test_refusal_keeps_the_frame(county, page, login, live_server, shot):
    login(page, "clerk")
    page.goto(f"{live_server.url}/outgoing/999999999/")
    assert page.locator("nav.side").is_visible() and page.locator("header.topbar").is_visible()
    assert "页面不存在" in page.locator("#error").inner_text()
    shot(page, "error-404-in-frame")
    page.click("#error >> text=返回工作台")
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url
