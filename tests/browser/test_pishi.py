"""Handwritten 签批 in a real browser (issue 15 §2): the 分管领导 draws on the signature pad with the mouse on the 批示
work item page, names the 主办 right there and submits; the image is stored with the opinion, shown in the flow
history and drawn on the 收文处理笺 PDF. No CSP violation on the page (the pad is a static script)."""

import io

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "某市林业局关于加强冬季林区用火管理的通知"


def test_leader_signs_by_hand_on_the_instruction_page(county, page, login, live_server, shot):
    from zhongshu.flow.models import FlowAction, WorkItem
    from zhongshu.flow.services import work_item_approve
    from zhongshu.incoming import services
    from zhongshu.org.models import User

    clerk, director, deputy = (User.objects.get(username=u) for u in ("clerk", "director", "deputy"))
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市林业局", doc_number="某林发〔2026〕12号",
                                     title=TITLE, doc_type="通知", pages=2)
    doc = services.incoming_review(actor=clerk, document=doc, passed={k: True for k, _ in services.REVIEW_CHECKS}, kind="handle")
    services.incoming_start_handling(actor=clerk, document=doc, opinion="请主任拟办。")
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")
    work_item_approve(actor=director, item=item, opinion="拟请林副县长批示。", subject_data={})
    item = WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")
    assert item.assignee == deputy

    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: violations.append(f"pageerror: {e}"))
    login(page, "deputy")
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.wait_for_load_state("networkidle")
    assert page.locator("button[name=do][value=approve]").inner_text() == "批示"
    page.fill("textarea[name=opinion]", "同意，请综合科牵头抓好落实。")
    page.select_option("select[name=lead_department]", label="综合科")
    canvas = page.locator("canvas.signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.6)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + w * (0.1 + 0.04 * i), y + h * (0.6 - 0.4 * ((i % 5) / 5)), steps=2)
    page.mouse.up()
    assert page.locator("input[name=signature]").input_value().startswith("data:image/png;base64,")
    assert "已签批" in page.locator("[data-signature-state]").inner_text()
    shot(page, "pishi-signature-pad")
    page.click("button[name=do][value=approve]")
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.locator("ul.messages").inner_text()

    entry = FlowAction.objects.get(work_item=item)
    assert entry.signature is not None and entry.opinion == "同意，请综合科牵头抓好落实。"
    doc.refresh_from_db()
    assert doc.status == "assigned" and doc.lead_department.name == "综合科"

    # the history shows the handwriting as an image that loaded
    page.goto(f"{live_server.url}/flow/instances/{item.instance_id}/")
    page.wait_for_load_state("networkidle")
    img = page.locator("#timeline img.signature-img")
    assert img.count() == 1
    assert page.evaluate("document.querySelector('#timeline img.signature-img').naturalWidth") > 0
    shot(page, "pishi-signature-history")
    assert not violations, violations

    # the 处理笺 PDF carries the image on the 批示 line
    import pdfplumber

    response = page.request.get(f"{live_server.url}/incoming/{doc.pk}/slip.pdf")
    assert response.status == 200
    with pdfplumber.open(io.BytesIO(response.body())) as pdf:
        assert len(pdf.pages[0].images) == 1
