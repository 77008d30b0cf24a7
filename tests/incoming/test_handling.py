"""收文 after 签收: 初审, 承办安排 at 拟办/批示, 承办 (交办, 答复, 退回重办), 延期, 办结, 催办 and the daily
reminders across the 2026 National Day holiday, access of 承办 departments."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.flow.models import WorkItem
from zhongshu.flow.services import work_item_approve
from zhongshu.incoming import services
from zhongshu.incoming.models import ExtensionRequest, IncomingDocument, Undertaking
from zhongshu.incoming.selectors import incoming_for, undertakings_for
from zhongshu.notify.models import Notification
from zhongshu.org.models import Department, User
from zhongshu.workdays.calendar import add_workdays, is_workday

pytestmark = pytest.mark.django_db

ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}
DEMO_TITLE = "某市人民政府办公室关于开展安全生产大检查的通知"


def person(name):
    return User.objects.get(real_name=name)


def dept(name, org):
    return Department.objects.get(organization=org, name=name)


def pending_item(doc):
    return WorkItem.objects.get(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo")


def assigned(people, *, lead="行政科", co=("督查室",), deadline=None):
    """The demo document through 拟办 (with a 承办安排) and 批示 → 承办."""
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    org = doc.organization
    deadline = deadline or add_workdays(datetime.date.today(), 5, organization_id=org.pk)
    services.incoming_plan(actor=people.director, document=doc, lead_department=dept(lead, org),
                           co_departments=[dept(n, org) for n in co], deadline=deadline)
    work_item_approve(actor=people.director, item=pending_item(doc), opinion="拟请林副县长阅示，由行政科牵头办理。")
    work_item_approve(actor=people.deputy, item=pending_item(doc), opinion="同意。")
    doc.refresh_from_db()
    return doc


def test_review_passes_or_returns_with_the_failed_checks(people):
    clerk = people.clerk
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市财政局", title="关于某事的请示")
    with pytest.raises(ServiceError) as exc:
        services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="")
    assert "kind" in exc.value.fields
    with pytest.raises(ServiceError, match="请先完成初审"):
        services.incoming_start_handling(actor=clerk, document=doc)
    returned = services.incoming_review(actor=clerk, document=doc, passed={**ALL_PASS, "routing": False, "ours": False}, note="请径送县财政局。")
    assert returned.status == "returned"
    assert returned.return_reason == "初审未通过：不符合属于本机关职权范围，应由本机关办理；符合行文规则（如不越级行文、党政分开行文）。请径送县财政局。"
    with pytest.raises(Conflict):
        services.incoming_review(actor=clerk, document=returned, passed=ALL_PASS, kind="handle")

    reading = services.incoming_register(actor=clerk, source="email", sender_name="某市统计局", title="关于2026年统计数据的通报")
    reading = services.incoming_review(actor=clerk, document=reading, passed=ALL_PASS, kind="read")
    assert reading.kind == "read" and reading.reviewed_by == clerk
    with pytest.raises(ServiceError, match="阅件直接传阅"):
        services.incoming_start_handling(actor=clerk, document=reading)
    with pytest.raises(Conflict, match="不能再退文"):
        services.incoming_return(actor=clerk, document=reading, reason="错了")
    with pytest.raises(PermissionDenied):
        services.incoming_review(actor=people.liaison, document=reading, passed=ALL_PASS, kind="read")


def test_plan_is_for_whoever_holds_the_document(people):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    org = doc.organization
    with pytest.raises(PermissionDenied):  # the deputy does not hold it yet (拟办 is with the director)
        services.incoming_plan(actor=people.deputy, document=doc, lead_department=dept("综合科", org))
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=dept("综合科", org), co_departments=[dept("综合科", org)])
    assert "co_departments" in exc.value.fields
    other = Department.objects.exclude(organization=org).first()
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=other)
    assert "lead_department" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=dept("综合科", org), deadline=datetime.date(2020, 1, 1))
    assert "deadline" in exc.value.fields
    services.incoming_plan(actor=people.director, document=doc, lead_department=dept("综合科", org))
    work_item_approve(actor=people.director, item=pending_item(doc), opinion="拟请林副县长阅示。")
    # the leader changes it at 批示
    services.incoming_plan(actor=people.deputy, document=doc, lead_department=dept("行政科", org), co_departments=[dept("综合科", org)])
    doc.refresh_from_db()
    assert doc.lead_department.name == "行政科" and [d.name for d in doc.co_departments.all()] == ["综合科"]


def test_instruction_without_a_lead_department_closes(people):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    work_item_approve(actor=people.director, item=pending_item(doc), opinion="拟请林副县长阅。")
    work_item_approve(actor=people.deputy, item=pending_item(doc), opinion="已阅。")
    doc.refresh_from_db()
    assert doc.status == "closed" and doc.closed_at is not None and not doc.undertakings.exists()


def test_undertaking_from_instruction_to_close(people, client):
    doc = assigned(people)
    assert doc.status == "assigned"
    lead = doc.undertakings.get(role="lead")
    co = doc.undertakings.get(role="co")
    assert (lead.department.name, co.department.name) == ("行政科", "督查室")
    assert lead.deadline == lead.original_deadline == doc.deadline
    head, member = person("曹丽娟"), person("彭浩然")  # 行政科: head and a member, neither in the office
    assert Notification.objects.filter(recipient=head, title=f"主办：{doc.title}").exists()
    assert incoming_for(head).filter(pk=doc.pk).exists()
    assert list(undertakings_for(head)) == [lead]
    assert not incoming_for(member).filter(pk=doc.pk).exists()  # not yet handed to him
    assert not incoming_for(person("蔡晨阳")).filter(pk=doc.pk).exists()  # another department
    with pytest.raises(PermissionDenied):
        services.undertaking_reply(actor=member, undertaking=lead, reply="已办")

    services.undertaking_hand_to(actor=head, undertaking=lead, assignee=member)
    with pytest.raises(ServiceError):
        services.undertaking_hand_to(actor=head, undertaking=lead, assignee=person("何雅琴"))  # not in 行政科
    assert incoming_for(member).filter(pk=doc.pk).exists()
    with pytest.raises(ServiceError):  # a bad file: nothing is written
        services.undertaking_reply(actor=member, undertaking=lead, reply="已办", files=[SimpleUploadedFile("x.exe", b"MZ")])
    lead.refresh_from_db()
    assert lead.status == "open" and lead.reply == ""
    services.undertaking_reply(actor=member, undertaking=lead, reply="已组织检查 12 家单位。",
                               files=[SimpleUploadedFile("检查情况.txt", "检查情况".encode())])
    with pytest.raises(Conflict, match="主办部门尚未答复|请刷新"):
        services.undertaking_reply(actor=member, undertaking=lead, reply="再答复")
    services.undertaking_return(actor=people.clerk, undertaking=lead, reason="请补充整改情况。")
    lead.refresh_from_db()
    assert lead.status == "open" and lead.return_note == "请补充整改情况。"
    with pytest.raises(Conflict, match="主办部门尚未答复"):
        services.incoming_close(actor=people.clerk, document=doc)
    services.undertaking_reply(actor=member, undertaking=lead, reply="已组织检查 12 家单位，发现隐患 5 处，已全部整改。")
    services.undertaking_reply(actor=person("黄振华"), undertaking=co, reply="督查室已跟踪。")
    with pytest.raises(PermissionDenied):
        services.incoming_close(actor=head, document=doc)
    services.incoming_close(actor=people.clerk, document=doc, note="办理完毕。")
    doc.refresh_from_db()
    assert doc.status == "closed" and doc.closed_by == people.clerk
    assert set(doc.undertakings.values_list("status", flat=True)) == {"closed"}

    client.force_login(member)  # the page shows the reply and its attachment to the department
    html = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert "已全部整改" in html and "检查情况.txt" in html
    att = lead.__class__.objects.get(pk=lead.pk)
    from zhongshu.core.attachments import attachments_of

    url = attachments_of(att)[0].get_absolute_url()
    assert client.get(url).status_code == 200
    client.force_login(person("蔡晨阳"))
    assert client.get(url).status_code == 404
    assert client.get(f"/incoming/{doc.pk}/").status_code == 404


def test_extension_requests(people):
    doc = assigned(people)
    lead, co = doc.undertakings.get(role="lead"), doc.undertakings.get(role="co")
    head = person("曹丽娟")
    original = lead.deadline
    later = add_workdays(original, 5, organization_id=doc.organization_id)
    with pytest.raises(PermissionDenied):
        services.extension_request(actor=person("黄振华"), undertaking=co, requested_deadline=later, reason="事多")
    with pytest.raises(ServiceError) as exc:
        services.extension_request(actor=head, undertaking=lead, requested_deadline=later, reason="")
    assert "reason" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        services.extension_request(actor=head, undertaking=lead, requested_deadline=original, reason="需要更多时间")
    assert "requested_deadline" in exc.value.fields
    req = services.extension_request(actor=head, undertaking=lead, requested_deadline=later, reason="涉及 3 个乡镇，需现场核查。")
    with pytest.raises(Conflict):
        services.extension_request(actor=head, undertaking=lead, requested_deadline=later, reason="再申请")
    with pytest.raises(PermissionDenied):  # 文秘 cannot approve; the office director can
        services.extension_decide(actor=people.clerk, request_=req, approve=True)
    with pytest.raises(ServiceError):
        services.extension_decide(actor=people.director, request_=req, approve=False)  # refusing needs a reason
    services.extension_decide(actor=people.director, request_=req, approve=True)
    lead.refresh_from_db()
    co.refresh_from_db()
    assert lead.deadline == later and lead.original_deadline == original and co.deadline == later
    assert ExtensionRequest.objects.get(pk=req.pk).previous_deadline == original
    assert Notification.objects.filter(recipient=head, title__startswith="延期申请已同意").exists()
    req2 = services.extension_request(actor=head, undertaking=lead, requested_deadline=add_workdays(later, 3, organization_id=doc.organization_id), reason="仍需时间")
    services.extension_decide(actor=people.director, request_=req2, approve=False, note="请按时办结。")
    lead.refresh_from_db()
    assert lead.deadline == later
    services.extension_request(actor=head, undertaking=lead, requested_deadline=add_workdays(later, 2, organization_id=doc.organization_id), reason="再延")
    services.undertaking_reply(actor=head, undertaking=lead, reply="已办结。")
    with pytest.raises(Conflict, match="待审批的延期申请"):
        services.incoming_close(actor=people.clerk, document=doc)


def test_reminders_across_national_day(people):
    """Deadline on the first working day after the 2026 National Day holiday: reminded on the last working
    day before it, nothing during the holiday, on the day, then overdue with escalation — each once."""
    org_id = IncomingDocument.objects.get(title=DEMO_TITLE).organization_id
    sept30 = datetime.date(2026, 9, 30)
    deadline = add_workdays(sept30, 1, organization_id=org_id)
    assert deadline > datetime.date(2026, 10, 7) and not is_workday(datetime.date(2026, 10, 5), organization_id=org_id)
    doc = assigned(people)
    Undertaking.objects.filter(document=doc).update(deadline=deadline, original_deadline=deadline)
    head = person("曹丽娟")

    def titles(user):
        return list(Notification.objects.filter(recipient=user, title__contains=doc.title).exclude(title__startswith="主办").values_list("title", flat=True))

    assert services.undertaking_reminders_scan(today=datetime.date(2026, 9, 29)) == {"before": 0, "due": 0, "overdue": 0}
    assert services.undertaking_reminders_scan(today=sept30)["before"] == 2  # 主办 and 协办
    assert services.undertaking_reminders_scan(today=sept30)["before"] == 0  # once
    assert services.undertaking_reminders_scan(today=datetime.date(2026, 10, 5)) == {"before": 0, "due": 0, "overdue": 0}
    assert services.undertaking_reminders_scan(today=deadline)["due"] == 2
    nxt = add_workdays(deadline, 1, organization_id=org_id)
    assert services.undertaking_reminders_scan(today=nxt)["overdue"] == 2
    assert services.undertaking_reminders_scan(today=nxt)["overdue"] == 0
    assert titles(head) == [f"收文已于 {deadline:%Y-%m-%d} 逾期：{doc.title}", f"收文今天到期：{doc.title}",
                            f"收文明天（{deadline:%m月%d日}）到期：{doc.title}"]
    assert Notification.objects.filter(recipient=people.director, title=f"逾期未办结：{doc.title}").count() == 1
    # a reply stops the reminders; the manual 催办 is recorded
    services.undertaking_chase(actor=people.clerk, undertaking=doc.undertakings.get(role="co"), message="请今天答复。")
    assert Notification.objects.filter(recipient=person("黄振华"), title=f"催办：{doc.title}", body="请今天答复。").exists()
    from zhongshu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="incoming.chase", target_id=str(doc.pk)).exists()


def test_pages_for_each_role(people, client):
    doc = assigned(people)
    head = person("曹丽娟")
    client.force_login(head)
    html = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert "提交答复" in html and "申请延期" in html and "交本部门人员办理" in html and "审核办结" not in html
    mine = client.get("/incoming/mine/").content.decode()
    assert doc.title in mine
    assert client.get("/incoming/stats/").status_code == 404  # statistics are for the office and leaders
    lead = doc.undertakings.get(role="lead")
    resp = client.post(f"/incoming/{doc.pk}/undertakings/{lead.pk}/reply/", {"reply": "已办理完毕。"}, follow=True)
    assert "已答复" in resp.content.decode()
    client.force_login(people.clerk)
    html = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert "审核办结" in html and "退回重办" in html
    resp = client.post(f"/incoming/{doc.pk}/close/", {"note": "同意办结"}, follow=True)
    assert "已办结" in resp.content.decode()
    assert client.get("/incoming/stats/").status_code == 200


def test_slip_lists_replies_circulation_and_closing(people, client):
    import io

    import pdfplumber

    from tests.render.conftest import FONTS_OK

    if not FONTS_OK:
        pytest.skip("中文字体未安装")
    doc = IncomingDocument.objects.get(title="某市人民政府办公室关于报送2026年度政务公开工作总结的函")  # demo: replied and closed
    client.force_login(people.clerk)
    resp = client.get(f"/incoming/{doc.pk}/slip.pdf")
    with pdfplumber.open(io.BytesIO(resp.content)) as pdf:
        text = "".join(ch["text"] for page in pdf.pages for ch in page.chars)
    for expected in ("拟请信息科起草总结", "主办信息科：已起草", "办结：已按要求报送。"):
        assert expected in text, expected


def test_api_follows_the_same_rules(people, api):
    clerk = api(people.clerk)
    resp = clerk.post("/api/v1/incoming/register/", {"source": "fax", "sender_name": "某市民政局", "title": "关于某事的函", "doc_number": "某民函[2026]3号"}, format="json")
    assert resp.status_code == 201 and resp.json()["doc_number_valid"] is False
    pk = resp.json()["id"]
    resp = clerk.post(f"/api/v1/incoming/{pk}/review/", {"passed": ALL_PASS, "kind": "sideways"}, format="json")
    assert resp.status_code == 400 and "kind" in resp.json()["fields"]
    resp = clerk.post(f"/api/v1/incoming/{pk}/review/", {"passed": ALL_PASS, "kind": "read"}, format="json")
    assert resp.status_code == 200 and resp.json()["kind"] == "read"
    outsider = person("宋佳琪")  # 信息科科员: neither office nor reader
    resp = clerk.post(f"/api/v1/incoming/{pk}/circulate/", {"readers": [people.leader.pk, 999999], "mode": "parallel"}, format="json")
    assert resp.status_code == 400 and "readers" in resp.json()["fields"]
    resp = clerk.post(f"/api/v1/incoming/{pk}/circulate/", {"readers": [people.leader.pk], "mode": "parallel"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "reading"
    assert api(outsider).get(f"/api/v1/incoming/{pk}/").status_code == 404
    leader = api(people.leader)
    assert leader.get(f"/api/v1/incoming/{pk}/").status_code == 200
    resp = leader.post(f"/api/v1/incoming/{pk}/read/", {"comment": "已阅"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    assert api(person("曹丽娟")).get("/api/v1/incoming/stats/").status_code == 403
    stats = clerk.get("/api/v1/incoming/stats/?year=2026").json()
    assert stats["total"] >= 5 and stats["by_status"]["已办结"] >= 2


def test_instruction_becomes_a_supervision_item_with_one_click(people, client):
    """转督办: the form starts from the leader's 批示 and the 承办安排; the item and the 收文 link to each other."""
    pytest.importorskip("zhongshu.supervision")
    from zhongshu.incoming.selectors import supervision_seed
    from zhongshu.supervision import services as supervision

    doc = IncomingDocument.objects.get(title="某市应急管理局关于做好今冬明春森林防火工作的通知")  # demo: 承办中
    seed = supervision_seed(doc)
    assert seed["source"] == "instruction" and seed["responsible_leader"] == people.deputy
    assert "林卫东批示：同意。请综合科牵头" in seed["content"]
    assert seed["lead_department"].name == "综合科" and [d.name for d in seed["co_departments"]] == ["督查室"]
    client.force_login(people.clerk)
    page = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert f"/supervision/new/?source=incoming:{doc.pk}" in page  # the 转督办 button
    form = client.get(f"/supervision/new/?source=incoming:{doc.pk}").content.decode()
    assert "林卫东批示：同意。请综合科牵头" in form
    item = supervision.supervision_item_create(actor=people.clerk, source_object=doc, **{k: v for k, v in seed.items() if k != "deadline"},
                                               deadline=seed["deadline"])
    page = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert item.number in page and item.get_absolute_url() in page
