"""Pages, downloads and the API of 督查督办 over the demo data and fresh items."""

import io

import pytest
from docx import Document as Docx

from zhongshu.incoming.models import IncomingDocument
from zhongshu.supervision import services
from zhongshu.supervision.models import ReminderNotice, SupervisionItem

from .conftest import liaison, office

pytestmark = pytest.mark.django_db


def test_demo_items(people):
    items = SupervisionItem.objects.filter(organization=people.clerk.organization)
    assert set(items.values_list("status", flat=True)) >= {"draft", "in_progress", "closed"}
    assert items.filter(light="red").exists()
    assert {t.department.organization.code for t in items.get(title__startswith="加快推进").tasks.all()} == {"fgj", "czj"}


@pytest.mark.parametrize("login", ["clerk", "director", "leader", "deputy", "liaison"])
def test_pages_render(web, people, login):
    client = web(people[login])
    for url in ("/supervision/ledger/", "/supervision/dashboard/", "/supervision/tasks/", "/"):
        r = client.get(url)
        assert r.status_code == 200, url
    board = client.get("/supervision/dashboard/").content.decode()
    assert "vendor/echarts/echarts.min.js" in board and "办结率" in board


def test_workbench_card_red_first_and_search(web, people):
    home = web(people.leader).get("/").content.decode()
    assert "督查督办" in home and "城区老旧小区改造三季度任务清零" in home  # his red item
    number = SupervisionItem.objects.get(title="城区老旧小区改造三季度任务清零").number
    found = web(people.clerk).get("/search/?q=老旧小区").content.decode()
    assert number in found  # the title itself may carry <mark> highlighting
    assert number not in web(people.archivist).get("/search/?q=老旧小区").content.decode()


def test_create_from_incoming(web, people):
    doc = IncomingDocument.objects.filter(organization=people.clerk.organization).first()
    client = web(people.clerk)
    page = client.get(f"/supervision/new/?source=incoming:{doc.pk}").content.decode()
    assert doc.title[:20] in page
    assert client.get("/supervision/new/?source=incoming:999999").status_code == 404
    data = {"title": doc.title, "source": "document", "content": "请阅办", "responsible_leader": people.deputy.pk,
            "lead_department": office("fgj").pk, "workdays": 15, "cycle": "monthly", "classification": max(1, doc.classification),
            "milestones": "2099-01-01 不可能的日期"}
    r = client.post(f"/supervision/new/?source=incoming:{doc.pk}", data)
    assert r.status_code == 200 and "分阶段目标" in r.content.decode()  # error shown, nothing created
    data["milestones"] = ""
    r = client.post(f"/supervision/new/?source=incoming:{doc.pk}", data)
    item = SupervisionItem.objects.latest("pk")
    assert r.status_code == 302 and item.source_id == doc.pk and item.status == "draft"
    # The office assigns from the detail page; the liaison signs for it on the task page.
    assert client.post(f"/supervision/{item.pk}/act/", {"op": "assign"}).status_code == 302
    task = item.tasks.get()
    lc = web(liaison("fgj"))
    lc.post(f"/supervision/tasks/{task.pk}/act/", {"op": "accept"})
    task.refresh_from_db()
    assert task.status == "accepted"
    r = lc.post(f"/supervision/tasks/{task.pk}/act/", {"op": "report", "content": ""}, follow=True)
    assert "请填写进展情况" in r.content.decode()


def test_bulletin_and_reminder_downloads(web, people):
    client = web(people.director)
    r = client.get("/supervision/bulletin/?format=docx&start=2026-01&end=2026-12")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.content)).paragraphs)
    assert "督查督办工作情况的通报" in text and "办结率" in text and "城区老旧小区改造三季度任务清零" in text
    notice = ReminderNotice.objects.filter(organization=people.director.organization).first()
    r = client.get(f"/supervision/reminders/{notice.pk}/file.docx")
    assert r.status_code == 200
    assert "催办单" in "\n".join(p.text for p in Docx(io.BytesIO(r.content)).paragraphs)
    assert web(people.archivist).get(f"/supervision/reminders/{notice.pk}/file.docx").status_code == 404
    assert client.get(f"/supervision/reminders/{notice.pk}/file.exe").status_code == 404
    assert web(people.leader).get("/supervision/bulletin/?format=docx").status_code == 404  # no export right


def test_api_lifecycle_and_errors(api, people):
    clerk = api(people.clerk)
    bad = clerk.post("/api/v1/supervision/items/", {"title": "", "source": "nope"}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()["fields"]
    rule = clerk.post("/api/v1/supervision/items/", {
        "title": "接口测试事项", "content": "内容", "source": "instruction", "responsible_leader": people.clerk.pk,
        "lead_department": office("fgj").pk, "workdays": 5}, format="json")
    assert rule.status_code == 400 and "responsible_leader" in rule.json()["fields"]
    created = clerk.post("/api/v1/supervision/items/", {
        "title": "接口测试事项", "content": "内容", "source": "instruction", "responsible_leader": people.deputy.pk,
        "lead_department": office("fgj").pk, "workdays": 5, "cycle": "weekly",
        "milestones": []}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert clerk.post(f"/api/v1/supervision/items/{pk}/assign/", {}, format="json").json()["status"] == "in_progress"
    assert api(people.deputy).post(f"/api/v1/supervision/items/{pk}/assign/", {}, format="json").status_code in (403, 409)
    fgj = api(liaison("fgj"))
    task = SupervisionItem.objects.get(pk=pk).tasks.get().pk
    assert fgj.post(f"/api/v1/supervision/tasks/{task}/accept/").json()["status"] == "accepted"
    again = fgj.post(f"/api/v1/supervision/tasks/{task}/accept/")
    assert again.status_code == 409 and again.json()["error"]
    rep = fgj.post(f"/api/v1/supervision/tasks/{task}/report/", {"content": "进展顺利"}, format="json")
    assert rep.status_code == 201
    review = clerk.post(f"/api/v1/supervision/items/{pk}/review/", {"report": rep.json()["id"], "accept": False}, format="json")
    assert review.status_code == 400 and "comment" in review.json()["fields"]
    stats = clerk.get("/api/v1/supervision/statistics?start=2026-01-01&end=2026-12-31").json()
    assert stats["total"] >= 5 and "by_department" in stats
    assert clerk.get("/api/v1/supervision/statistics?start=x").status_code == 400
    assert api(people.archivist).get(f"/api/v1/supervision/items/{pk}/").status_code == 404


def test_reminder_and_confirm_pages(web, people):
    item = SupervisionItem.objects.get(title="城区老旧小区改造三季度任务清零")
    client = web(people.director)
    r = client.post(f"/supervision/{item.pk}/act/", {"op": "remind", "text": "请立即办理。"}, follow=True)
    assert "已出具催办单" in r.content.decode()
    assert web(people.deputy).post(f"/supervision/{item.pk}/act/", {"op": "remind"}).status_code == 404
    r = web(people.leader).post(f"/supervision/{item.pk}/act/", {"op": "confirm"}, follow=True)
    assert "办公室核实后才能确认销号" in r.content.decode()
    assert services  # services are exercised through the pages above


def test_ledger_queries_do_not_grow_with_rows(assigned, web, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(people.director)

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/supervision/ledger/?size={size}").status_code == 200
        return len(ctx.captured_queries)

    for n in range(12):
        assigned(title=f"查询计数测试{n}", lead="fgj" if n % 2 else "czj")
    assert count(5) == count(20)


def test_pdf_downloads_when_fonts_present(web, people):
    from tests.render.conftest import FONTS_OK

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    client = web(people.director)
    r = client.get("/supervision/bulletin/?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    notice = ReminderNotice.objects.filter(organization=people.director.organization).first()
    assert client.get(f"/supervision/reminders/{notice.pk}/file.pdf").content.startswith(b"%PDF")


def test_pdf_without_fonts_says_so(web, people, monkeypatch):
    from zhongshu.render import RenderError
    from zhongshu.supervision import rendering

    def broken(doc):
        raise RenderError("找不到字体")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    r = web(people.director).get("/supervision/bulletin/?format=pdf", follow=True)
    assert "排版失败" in r.content.decode()


def test_api_office_actions(api, people, assigned):
    item = assigned(lead="jtj")
    task = item.tasks.get()
    fgj_api, jtj = api(liaison("fgj")), api(liaison("jtj"))
    assert fgj_api.post(f"/api/v1/supervision/tasks/{task.pk}/dispute/", {"reason": "x"}, format="json").status_code == 404
    assert jtj.post(f"/api/v1/supervision/tasks/{task.pk}/dispute/", {"reason": "不属于本单位职责"}, format="json").status_code == 200
    clerk = api(people.clerk)
    r = clerk.post(f"/api/v1/supervision/items/{item.pk}/reassign/", {"task": task.pk, "department": office("fgj").pk}, format="json")
    assert r.status_code == 200 and r.json()["department"] == office("fgj").pk
    new_task = r.json()["id"]
    assert fgj_api.post(f"/api/v1/supervision/tasks/{new_task}/accept/").status_code == 200
    item.refresh_from_db()
    ext = fgj_api.post(f"/api/v1/supervision/tasks/{new_task}/extension/",
                       {"new_deadline": str(item.deadline.replace(year=item.deadline.year + 1)), "reason": "需要更多时间"}, format="json")
    assert ext.status_code == 201
    refused = clerk.post(f"/api/v1/supervision/items/{item.pk}/decide-extension/", {"extension": ext.json()["id"], "approve": False}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["fields"]
    ok = clerk.post(f"/api/v1/supervision/items/{item.pk}/decide-extension/", {"extension": ext.json()["id"], "approve": True}, format="json")
    assert ok.status_code == 200 and ok.json()["original_deadline"] != ok.json()["deadline"]
    r = clerk.post(f"/api/v1/supervision/items/{item.pk}/remind/", {"text": "请抓紧。"}, format="json")
    assert r.status_code == 201 and r.json()["number"].startswith("督催〔")
