"""Browser journey of issue 15 §1/§4: a sealed 发文 with fewer copies than recipients is not stuck — the clerk sees no
分发 button but the 更正印制信息 form, corrects the 份数, distributes; the 印制文件 buttons download every copy."""

import io
import zipfile

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_short_copies_are_corrected_then_distributed(county, people, page, login, live_server, shot):
    from tests.test_state_machines import outgoing_short_of_copies

    doc = outgoing_short_of_copies(people)
    login(page, "clerk")
    page.goto(f"{live_server.url}/outgoing/{doc.pk}/")
    assert page.locator("button:has-text('分发')").count() == 0  # 分发 would be refused: not offered
    assert page.locator("#correct").is_visible() and "请先在下方“更正印制信息”中补足份数" in page.content()
    shot(page, "outgoing-correct-copies")
    with page.expect_download() as dl:
        page.click("a:has-text('印制文件（逐份）')")
    with zipfile.ZipFile(io.BytesIO(open(dl.value.path(), "rb").read())) as zf:
        assert len(zf.namelist()) == 1  # 份数 1: one copy, 份号 000001
    page.fill("#correct input[name=copies]", "2")
    page.fill("#correct input[name=reason]", "按分发范围补足份数")
    page.click("#correct button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已更正印制信息" in page.locator("ul.messages").inner_text()
    with page.expect_download() as dl:
        page.click("a:has-text('印制文件（逐份）')")
    with zipfile.ZipFile(io.BytesIO(open(dl.value.path(), "rb").read())) as zf:
        assert sorted(n[-10:] for n in zf.namelist()) == ["000001.pdf", "000002.pdf"]
    page.click("button:has-text('分发')")
    page.wait_for_load_state("networkidle")
    assert "已分发" in page.locator("ul.messages").inner_text()
    shot(page, "outgoing-distributed-after-correction")
