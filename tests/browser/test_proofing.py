"""公文校对 in the browser: paste, see the finding highlighted, accept it, the text is corrected."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "关于召开全县工作会议的通知\n经研究,决定于2026年6月5日召开全县工作会议。\n一. 提高思想认识\n各单位要认真的贯彻落实。"


def test_clerk_pastes_text_accepts_a_fix(county, page, login, live_server, shot):
    login(page, "clerk")
    page.click("nav.side >> text=公文校对")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "公文校对"
    shot(page, "proofread-empty")
    page.fill("[data-pr=text]", TEXT)
    page.click("[data-pr=run]")
    mark = page.locator("[data-pr=view] mark", has_text=",")
    mark.wait_for()
    assert "sev-error" in mark.get_attribute("class")
    assert page.locator("[data-pr=total]").inner_text() == str(page.locator(".pr-item").count())
    assert "标点符号" in page.locator("[data-pr=counts]").inner_text()
    shot(page, "proofread-findings")

    item = page.locator(".pr-item", has_text="中文语境中应使用全角标点").first
    item.locator("button", has_text="接受").click()
    page.wait_for_function("() => !document.querySelector('[data-pr=text]').value.includes(',')")
    page.locator("[data-pr=view] mark", has_text=",").wait_for(state="detached")
    value = page.input_value("[data-pr=text]")
    assert "经研究，决定于2026年6月5日" in value

    # 忽略 the heading finding (this once), 全文忽略 the 的/地/得 one: both go, the text is unchanged.
    n = page.locator(".pr-item").count()
    page.locator(".pr-item", has_text="一级标题序数").get_by_role("button", name="忽略", exact=True).click()
    page.wait_for_function(f"() => document.querySelectorAll('.pr-item').length === {n - 1}")
    assert page.input_value("[data-pr=text]") == value
    shot(page, "proofread-accepted")
    page.locator(".pr-item", has_text="地").get_by_role("button", name="全文忽略").click()
    page.wait_for_function("() => document.querySelectorAll('.pr-item').length === 0")
    assert page.locator("[data-pr=total]").inner_text() == "0"
    assert page.input_value("[data-pr=text]") == value

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "proofread-mobile")


def test_director_settings_page(county, page, login, shot):
    login(page, "director")
    page.click("nav.side >> text=校对设置")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "校对设置"
    page.uncheck("input[value=ascii-punct]")
    page.fill("textarea[name=banned_terms]", "有关领导=>分管副县长")
    page.click("button:has-text('保存设置')")
    page.wait_for_load_state("networkidle")
    assert "校对设置已保存" in page.content()
    assert not page.is_checked("input[value=ascii-punct]")
    shot(page, "proofread-settings")


def test_clerk_uploads_docx_and_downloads_the_corrected_one(county, page, login, live_server, shot, tmp_path):
    import io

    import docx

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("经研究,决定").bold = True
    p.add_run("召开全县工作会议。")
    src = tmp_path / "会议通知.docx"
    d.save(src)
    login(page, "clerk")
    page.goto(f"{live_server.url}/proofread/")
    page.set_input_files("[data-pr=file]", str(src))
    page.locator("[data-pr=view] mark", has_text=",").wait_for()
    assert page.locator("[data-pr=file-name]").inner_text() == "会议通知.docx"
    page.locator(".pr-item").first.get_by_role("button", name="接受").click()
    page.locator(".pr-item.accepted").wait_for()
    shot(page, "proofread-docx")
    with page.expect_download() as dl:
        page.click("[data-pr=download]")
    out = docx.Document(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert dl.value.suggested_filename == "会议通知（校对后）.docx"
    assert out.paragraphs[0].text == "经研究，决定召开全县工作会议。" and out.paragraphs[0].runs[0].bold
