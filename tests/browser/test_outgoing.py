"""Browser journey for 发文: the clerk drafts a 通知 from the template, fixes an ASCII comma with the inline
校对, submits it; the section head, the office director and the 分管领导 approve in their 待办; the clerk
numbers, prints, seals and distributes it and downloads the PDF (rendered here to PNG and kept)."""

import subprocess

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "某县人民政府办公室关于做好寒潮天气防范应对工作的通知"


def approve_in_ui(page, login, live_server, username, shot):
    page.context.clear_cookies()
    login(page, username)
    page.goto(f"{live_server.url}/inbox/")
    shot(page, f"outgoing-todo-{username}")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=opinion]", "同意。")
    page.click("button[name=do][value=approve]")
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.locator("ul.messages").inner_text()


def test_draft_to_distribution_and_pdf(county, page, login, live_server, shot, tmp_path):
    login(page, "clerk")
    page.goto(f"{live_server.url}/outgoing/new/?template=通知")
    page.fill("#id_title", TITLE)
    page.select_option("#id_main_recipients", label="某县城关镇人民政府")
    page.fill("#id_body", "为切实做好寒潮天气防范应对工作,现将有关事项通知如下。\n一、加强监测预警\n各单位要密切关注天气变化。\n（二）做好物资储备")
    outline = page.locator("#outline").inner_text()
    assert "一、加强监测预警" in outline and "序号不连续，应为 1" in outline  # the editor reads heading levels
    page.fill("#id_body", "为切实做好寒潮天气防范应对工作,现将有关事项通知如下。\n一、加强监测预警\n各单位要密切关注天气变化。")
    page.click("#outgoing-proofreader button[data-pr=run]")
    page.wait_for_selector("#outgoing-proofreader [data-pr=list] li")
    shot(page, "outgoing-draft-proofread")
    page.locator("#outgoing-proofreader [data-pr=list] li").first.locator("button:has-text('接受')").click()
    assert "工作，现将" in page.input_value("#id_body")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "稿件已保存" in page.content()
    page.click("button:has-text('送审')")
    page.wait_for_load_state("networkidle")
    assert "已送审" in page.content() and "部门负责人核稿" in page.locator("#flow").inner_text()
    detail_url = page.url

    for who in ("u009", "director", "deputy"):  # 李静怡 (科长) → 陈志远 (主任) → 林卫东 (分管领导)
        approve_in_ui(page, login, live_server, who, shot)

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(detail_url)
    assert "已签发" in page.content() and "林卫东" in page.content()
    page.click("button:has-text('编号')")
    page.wait_for_load_state("networkidle")
    for label in ("印制", "用印", "分发"):
        page.click(f"div.toolbar button:has-text('{label}')")
        page.wait_for_load_state("networkidle")
    assert "已分发" in page.content() and "000001" in page.locator("table").last.inner_text()
    shot(page, "outgoing-distributed")
    href = page.locator("div.toolbar a:has-text('PDF')").get_attribute("href")
    resp = page.request.get(live_server.url + href)
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(resp.body())
    from tests.browser.conftest import SHOTS

    if subprocess.run(["which", "pdftoppm"], capture_output=True).returncode == 0:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "outgoing-pdf")], check=True)
