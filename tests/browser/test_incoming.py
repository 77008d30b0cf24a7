"""Browser journey for one 收文: the clerk registers a paper document and passes 初审; the office director
proposes (拟办) with a 承办安排; the deputy instructs (批示); the 综合科 head replies (答复); the clerk closes it (办结)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "某市农业农村局关于做好冬季农田水利基本建设的通知"


def approve_current_item(page, live_server, opinion):
    from zhongshu.flow.models import WorkItem
    from zhongshu.incoming.models import IncomingDocument

    doc = IncomingDocument.objects.get(title=TITLE)
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.fill("textarea[name=opinion]", opinion)
    page.click("button[name=do][value=approve]")
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.locator("ul.messages").inner_text()


def test_register_propose_instruct_undertake_close(county, page, login, live_server, shot):
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.org.models import User

    # 文秘: 登记 → 初审 → 送拟办
    login(page, "clerk")
    page.goto(f"{live_server.url}/incoming/register/")
    page.select_option("select[name=source]", "paper")
    page.fill("input[name=sender_name]", "某市农业农村局")
    page.fill("input[name=doc_number]", "某农发〔2026〕27号")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=doc_type]", "通知")
    page.click("main button:has-text('登记')")
    page.wait_for_load_state("networkidle")
    assert "已登记，收文编号" in page.locator("ul.messages").inner_text()
    page.click("#review button:has-text('提交初审')")
    page.wait_for_load_state("networkidle")
    assert "初审通过（办件）" in page.locator("ul.messages").inner_text()
    page.click("button:has-text('送拟办')")
    page.wait_for_load_state("networkidle")
    doc = IncomingDocument.objects.get(title=TITLE)
    assert doc.status == "handling"

    # 办公室主任: 承办安排 on the document, then 拟办 on the flow item
    page.context.clear_cookies()
    login(page, "director")
    page.goto(f"{live_server.url}/incoming/{doc.pk}/")
    page.select_option("#plan select[name=lead_department]", label="综合科")
    page.select_option("#plan select[name=co_departments]", label="督查室")
    page.fill("#plan input[name=workdays]", "5")
    shot(page, "incoming-plan-director")
    page.click("#plan button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已安排承办" in page.locator("ul.messages").inner_text()
    approve_current_item(page, live_server, "拟请林副县长阅示，由综合科牵头办理。")

    # 分管领导: 批示
    page.context.clear_cookies()
    login(page, "deputy")
    approve_current_item(page, live_server, "同意，请综合科抓好落实。")
    doc.refresh_from_db()
    assert doc.status == "assigned"

    # 综合科科长: 答复
    head = User.objects.get(real_name="吴俊杰")
    page.context.clear_cookies()
    login(page, head.username)
    page.goto(f"{live_server.url}/incoming/mine/")
    assert TITLE in page.locator("#tasks").inner_text()
    page.click(f"#tasks >> text={TITLE}")
    page.wait_for_load_state("networkidle")
    page.locator("#undertakings textarea[name=reply]").first.fill("已会同农业农村局部署冬季农田水利建设，完成项目 8 个。")
    shot(page, "incoming-reply-department")
    page.locator("#undertakings button:has-text('提交答复')").first.click()
    page.wait_for_load_state("networkidle")
    assert "已答复" in page.locator("ul.messages").inner_text()

    # 审核办结 waits for every 协办 part: the 督查室 gives its opinion too
    from zhongshu.incoming import services

    co = doc.undertakings.get(role="co")
    services.undertaking_reply(actor=User.objects.get(real_name="黄振华"), undertaking=co, reply="督查室将跟踪督办。")

    # 文秘: 审核办结; the page shows the whole history in order
    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}/incoming/{doc.pk}/")
    page.fill("#undertakings input[name=note]", "办理完毕。")
    page.click("button:has-text('审核办结')")
    page.wait_for_load_state("networkidle")
    assert "已办结" in page.locator("ul.messages").inner_text()
    text = page.locator("main").inner_text()
    assert text.index("拟请林副县长阅示") < text.index("同意，请综合科抓好落实") < text.index("完成项目 8 个")
    shot(page, "incoming-closed-clerk")
    doc.refresh_from_db()
    assert doc.status == "closed"


def test_statistics_dashboard_draws_its_charts(county, page, login, live_server, shot):
    login(page, "director")
    page.goto(f"{live_server.url}/incoming/stats/")
    page.wait_for_load_state("networkidle")
    for chart in ("source", "status", "type", "department", "month"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart  # ECharts drew it (vendored, offline; SVG renderer)
    assert int(page.locator("#stat-total").inner_text()) >= 4  # the demo county's four 收文 this year
    shot(page, "incoming-stats-director")


def test_joint_document_waits_for_the_joint_organs_leader(county, page, login, live_server, shot):
    from zhongshu.org.models import User
    from zhongshu.outgoing.models import OutgoingDocument

    doc = OutgoingDocument.objects.get(title__contains="某县财政局关于做好2027年度部门预算编制工作的通知")
    finance_leader = User.objects.get(organization__short_name="县财政局", role_assignments__role="leader")
    login(page, finance_leader.username)
    page.goto(f"{live_server.url}/outgoing/{doc.pk}/")
    assert "主办机关" in page.locator("main").inner_text()
    page.fill("#joint input[name=opinion]", "同意联合印发。")
    shot(page, "outgoing-joint-finance-leader")
    page.click("#joint button:has-text('会签同意')")
    page.wait_for_load_state("networkidle")
    assert "已会签同意" in page.locator("ul.messages").inner_text()
    assert "编号登记" not in page.locator("main").inner_text()  # numbering stays with the lead organ's office


def test_a_bureau_signs_and_answers_its_part(county, page, login, live_server, shot):
    """县发改局's liaison finds the demo 收文 in 收文承办与传阅, signs (签收) and answers; the office sees the part's state."""
    from zhongshu.incoming.models import IncomingDocument

    doc = IncomingDocument.objects.get(title="某市发展和改革委员会关于做好2027年重点项目申报工作的通知")
    login(page, "liaison")
    page.goto(f"{live_server.url}/incoming/mine/")
    page.click(f"#tasks >> text={doc.title}")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "主办：县发改局" in text and "待签收" in text and "城关镇" not in text and "拟请林副县长阅示" not in text
    page.click("#undertakings button:has-text('签收')")
    page.wait_for_load_state("networkidle")
    assert "已签收" in page.locator("ul.messages").inner_text()
    page.locator("#undertakings textarea[name=reply]").first.fill("已梳理2027年重点项目42个，申报材料已报送。")
    page.locator("#undertakings button:has-text('提交答复')").first.click()
    page.wait_for_load_state("networkidle")
    assert "已答复" in page.locator("ul.messages").inner_text()
    shot(page, "incoming-crossorg-bureau")

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}/incoming/{doc.pk}/")
    text = page.locator("#undertakings").inner_text()
    assert "主办：县发改局" in text and "已答复" in text and "协办：城关镇" in text and "待签收" in text
    assert "城关镇尚未答复" in text  # 审核办结 waits for the 协办 part, and says so
