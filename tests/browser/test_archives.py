"""Browser journey for 档案: the archivist sees the demo catalogue, approves the clerk's pending 查阅 request and
runs the year-end batch (the progress bar polls with htmx); the clerk then opens the item and its watermarked PDF."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_loan_and_batch(county, page, login, live_server, shot):
    from django.utils import timezone

    from zhongshu.archives.models import ArchiveItem, FilingBatch

    item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")
    login(page, "archivist")
    page.goto(f"{live_server.url}/archives/")
    assert item.archival_code in page.content()
    shot(page, "archives-catalogue")
    page.goto(f"{live_server.url}/archives/loans/")
    page.fill("input[name=note]", "同意查阅")
    page.click("button:has-text('批准')")
    page.wait_for_load_state("networkidle")
    assert "已批准" in page.locator("ul.messages").inner_text()
    page.goto(f"{live_server.url}/archives/batches/")
    page.fill("input[name=year]", str(timezone.localdate().year))
    page.click("button:has-text('开始归档')")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("text=已完成", timeout=30000)
    assert FilingBatch.objects.get().status == "done"
    shot(page, "archives-batch")

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}/archives/{item.pk}/")
    assert "在线查看" in page.content()
    shot(page, "archives-item-on-loan")
    original = item.files.get(role="original")
    resp = page.request.get(f"{live_server.url}/archives/{item.pk}/files/{original.pk}/")
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
