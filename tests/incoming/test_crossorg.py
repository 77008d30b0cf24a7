"""承办 by other organizations on the platform (issue 15 §2): a county bureau or township named as 主办/协办 signs
(签收), hands the part to a person, answers with attachments, asks for an extension — exactly as a department of
the office — while the office sees every part and reviews the answers; other organizations see nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.attachments import attachments_of
from zhongshu.core.classification import Classification, Clearance
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.flow.services import work_item_approve
from zhongshu.incoming import services
from zhongshu.incoming.models import ExtensionRequest, IncomingDocument, Undertaking
from zhongshu.incoming.policy import IncomingPolicy, part_actors, part_reviewers
from zhongshu.incoming.selectors import incoming_for, undertakings_for
from zhongshu.notify.models import Notification
from zhongshu.org import services as org_services
from zhongshu.org.models import Department, Organization, User
from zhongshu.workdays.calendar import add_workdays

from .test_handling import ALL_PASS, DEMO_TITLE, dept, pending_item, person

pytestmark = pytest.mark.django_db


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def liaison_of(code: str) -> User:
    return User.objects.get(organization__code=code, role_assignments__role="liaison")


def bureau_member() -> User:
    """A staff member of 县发改局's 业务股: neither principal nor liaison."""
    fgj = org("fgj")
    return org_services.user_create(actor=None, organization=fgj, username="fgj_staff", real_name="周晓明",
                                    department=Department.objects.get(organization=fgj, code="YWG"), roles=[], password="Fgj-Staff-2026",
                                    must_change_password=False)


def through_instruction(people, doc: IncomingDocument, *, lead, co=(), deadline=None) -> IncomingDocument:
    deadline = deadline or add_workdays(datetime.date.today(), 5, organization_id=doc.organization_id)
    services.incoming_plan(actor=people.director, document=doc, lead_department=lead, co_departments=list(co), deadline=deadline)
    work_item_approve(actor=people.director, item=pending_item(doc), opinion="拟请林副县长阅示，由县发改局牵头办理。")
    work_item_approve(actor=people.deputy, item=pending_item(doc), opinion="同意。请县发改局牵头，城关镇、督查室配合。")
    doc.refresh_from_db()
    return doc


def cross_assigned(people) -> IncomingDocument:
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    return through_instruction(people, doc, lead=org("fgj"), co=[org("cgz"), dept("督查室", doc.organization)])


def test_a_bureau_signs_hands_over_asks_for_more_time_and_answers(people):
    doc = cross_assigned(people)
    assert doc.status == "assigned"
    lead = doc.undertakings.get(role="lead")
    assert lead.organization == org("fgj") and lead.department is None and lead.unit_label == "县发改局"
    assert lead.accepted_at is None
    bureau, liaison = people.bureau, people.liaison
    # the bureau's principal and liaison are told, and may act; both read the document now
    assert Notification.objects.filter(recipient=liaison, title=f"主办：{doc.title}").exists()
    assert Notification.objects.filter(recipient=bureau, title=f"主办：{doc.title}").exists()
    assert incoming_for(liaison).filter(pk=doc.pk).exists() and incoming_for(bureau).filter(pk=doc.pk).exists()
    assert {p.pk for p in part_actors(lead)} == {bureau.pk, liaison.pk}
    assert IncomingPolicy.undertaking_actions(liaison, lead) == {"accept", "hand_to", "reply", "extension"}
    assert IncomingPolicy.allowed_actions(liaison, doc) == set()  # nothing of the office's own work
    assert lead.pk in [u.pk for u in undertakings_for(liaison)]

    services.undertaking_accept(actor=liaison, undertaking=lead)
    lead.refresh_from_db()
    assert lead.accepted_by == liaison and lead.accepted_at is not None
    with pytest.raises(Conflict):
        services.undertaking_accept(actor=bureau, undertaking=lead)

    staff = bureau_member()
    assert not incoming_for(staff).filter(pk=doc.pk).exists()
    with pytest.raises(ServiceError, match="只能交给本单位的人员"):
        services.undertaking_hand_to(actor=liaison, undertaking=lead, assignee=person("曹丽娟"))  # not of the bureau
    services.undertaking_hand_to(actor=liaison, undertaking=lead, assignee=staff)
    assert incoming_for(staff).filter(pk=doc.pk).exists()
    lead.refresh_from_db()
    assert [p.pk for p in part_actors(lead)] == [staff.pk]
    assert "hand_to" not in IncomingPolicy.undertaking_actions(staff, lead) and "reply" in IncomingPolicy.undertaking_actions(staff, lead)

    later = add_workdays(lead.deadline, 5, organization_id=doc.organization_id)
    req = services.extension_request(actor=staff, undertaking=lead, requested_deadline=later, reason="需征求各乡镇意见。")
    assert Notification.objects.filter(recipient=people.director, title=f"延期申请：{doc.title}").exists()
    services.extension_decide(actor=people.director, request_=req, approve=True)
    lead.refresh_from_db()
    assert lead.deadline == later and lead.original_deadline < later
    assert ExtensionRequest.objects.get(pk=req.pk).status == "approved"

    report = SimpleUploadedFile("落实情况.txt", "县发改局落实情况".encode(), content_type="text/plain")
    services.undertaking_reply(actor=staff, undertaking=lead, reply="已会同各乡镇完成安全生产大检查，报告附后。", files=[report])
    lead.refresh_from_db()
    assert lead.status == "replied" and lead.replied_by == staff and [a.name for a in attachments_of(lead)] == ["落实情况.txt"]
    assert part_actors(lead) == []
    assert Notification.objects.filter(recipient=people.clerk, title=f"已答复：{doc.title}").exists()

    # the office sees every part's state; 审核办结 waits for both 协办 parts
    assert "close" not in IncomingPolicy.allowed_actions(people.clerk, doc)
    with pytest.raises(Conflict, match="协办单位.*尚未答复") as exc:
        services.incoming_close(actor=people.clerk, document=doc)
    assert "城关镇" in str(exc.value) and "督查室" in str(exc.value)
    co_town = doc.undertakings.get(organization=org("cgz"))
    services.undertaking_reply(actor=liaison_of("cgz"), undertaking=co_town, reply="城关镇已完成辖区检查。")
    co_dept = doc.undertakings.get(department__name="督查室")
    services.undertaking_reply(actor=co_dept.department.head, undertaking=co_dept, reply="督查室将跟踪督办。")
    assert people.clerk.pk in {p.pk for p in part_reviewers(lead)}

    # 退回重办 goes back to the bureau, then 审核办结
    services.undertaking_return(actor=people.clerk, undertaking=lead, reason="请补充隐患整改清单。")
    lead.refresh_from_db()
    assert lead.status == "open" and Notification.objects.filter(recipient=staff, title=f"答复被退回：{doc.title}").exists()
    services.undertaking_reply(actor=staff, undertaking=lead, reply="已补充隐患整改清单（12项）。")
    assert "close" in IncomingPolicy.allowed_actions(people.clerk, doc)
    services.incoming_close(actor=people.clerk, document=doc, note="已落实。")
    doc.refresh_from_db()
    assert doc.status == "closed" and set(doc.undertakings.values_list("status", flat=True)) == {"closed"}
    assert incoming_for(staff).filter(pk=doc.pk).exists()  # a closed part stays readable to whoever handled it


def test_the_bureau_sees_the_document_and_its_part_only(people, client):
    doc = cross_assigned(people)
    lead = doc.undertakings.get(role="lead")
    town = doc.undertakings.get(organization=org("cgz"))
    inside = doc.undertakings.get(department__name="督查室")
    secret_note = "督查室内部意见：此事需报县长"
    services.undertaking_reply(actor=inside.department.head, undertaking=inside, reply=secret_note,
                               files=[SimpleUploadedFile("内部意见.txt", "内部".encode(), content_type="text/plain")])
    services.undertaking_reply(actor=liaison_of("cgz"), undertaking=town, reply="城关镇的答复",
                               files=[SimpleUploadedFile("城关镇.txt", "镇".encode(), content_type="text/plain")])
    liaison = people.liaison
    assert list(Undertaking.objects.restrict(liaison).filter(document=doc)) == [lead]
    client.force_login(liaison)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert doc.title in page and "签收" in page and "提交答复" in page and "申请延期" in page
    assert secret_note not in page and "城关镇的答复" not in page
    assert "拟请林副县长阅示" not in page  # the office's 拟办/批示 history
    assert "收文处理笺" not in page
    assert client.get(f"/incoming/{doc.pk}/slip.pdf").status_code == 404
    for att in [*attachments_of(inside), *attachments_of(town)]:
        assert client.get(att.get_absolute_url()).status_code == 404
    # the bureau's own 收文登记簿 does not list the office's document
    listing = client.get("/incoming/").content.decode()
    assert doc.title not in listing
    # actions on another organization's part: 404 (not even its existence)
    assert client.post(f"/incoming/{doc.pk}/undertakings/{town.pk}/reply/", {"reply": "冒名答复"}).status_code == 404
    town.refresh_from_db()
    assert town.reply == "城关镇的答复"
    # 签收 from the page
    client.post(f"/incoming/{doc.pk}/undertakings/{lead.pk}/accept/")
    lead.refresh_from_db()
    assert lead.accepted_by == liaison


def test_other_organizations_see_nothing(people, client, api):
    doc = cross_assigned(people)
    lead = doc.undertakings.get(role="lead")
    services.undertaking_reply(actor=people.liaison, undertaking=lead, reply="县发改局答复",
                               files=[SimpleUploadedFile("答复.txt", "答复".encode(), content_type="text/plain")])
    att = attachments_of(lead)[0]
    client.force_login(people.liaison)
    assert client.get(att.get_absolute_url()).status_code == 200  # the bureau's own answer
    outsiders = [liaison_of("czj"), User.objects.get(organization__code="czj", pk=org("czj").principal_id), bureau_member()]
    for who in outsiders:
        assert not incoming_for(who).filter(pk=doc.pk).exists(), who
        assert not Undertaking.objects.restrict(who).filter(document=doc).exists()
        client.force_login(who)
        assert client.get(doc.get_absolute_url()).status_code == 404
        assert client.get(att.get_absolute_url()).status_code == 404
        assert client.post(f"/incoming/{doc.pk}/undertakings/{lead.pk}/accept/").status_code == 404
        assert api(who).get(f"/api/v1/incoming/{doc.pk}/").status_code == 404
        assert IncomingPolicy.undertaking_actions(who, lead) == set()
    # the 三员 of the platform see nothing either
    assert not incoming_for(people.admin).filter(pk=doc.pk).exists()


def test_a_classified_document_cannot_go_to_an_organization_whose_receivers_are_not_cleared(people):
    clerk = person("李静怡")  # cleared for 机密
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市应急管理局", doc_number="某应急发〔2026〕77号",
                                     title="关于某专项检查的通知", classification=Classification.CONFIDENTIAL, copy_no="000012")
    doc = services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
    services.incoming_start_handling(actor=clerk, document=doc)
    with pytest.raises(ServiceError) as exc:
        services.incoming_plan(actor=people.director, document=doc, lead_department=org("fgj"))
    message = str(exc.value)
    assert "县发改局的签收人员不能承办机密收文" in message and "杨帆" in message
    assert "lead_department" in exc.value.fields
    with pytest.raises(ServiceError, match="城关镇的签收人员不能承办机密收文"):
        services.incoming_plan(actor=people.director, document=doc, lead_department=dept("机要保密室", doc.organization), co_departments=[org("cgz")])
    # once the liaison is cleared, the arrangement goes through
    org_services.user_set_clearance(actor=None, user=people.liaison, clearance=Clearance.IMPORTANT, reason="测试：保密审查")
    services.incoming_plan(actor=people.director, document=doc, lead_department=org("fgj"))
    doc.refresh_from_db()
    assert doc.lead_organization == org("fgj")


def test_the_plan_refuses_the_own_organization_and_inactive_ones(people):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    with pytest.raises(ServiceError, match="本机关请选择具体的内设机构"):
        services.incoming_plan(actor=people.director, document=doc, lead_department=doc.organization)
    with pytest.raises(ServiceError, match="不能同时作为协办单位"):
        services.incoming_plan(actor=people.director, document=doc, lead_department=org("fgj"), co_departments=[org("fgj")])
    other_dept = Department.objects.get(organization=org("fgj"), code="BGS")
    with pytest.raises(ServiceError, match="承办部门应为本机关的内设机构"):
        services.incoming_plan(actor=people.director, document=doc, lead_department=other_dept)


def test_the_plan_form_shows_saved_organizations_and_posts_them(people, client):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    fgj, cgz = org("fgj"), org("cgz")
    client.force_login(people.director)
    resp = client.post(f"/incoming/{doc.pk}/plan/", {"lead_department": f"o:{fgj.pk}", "co_departments": [f"o:{cgz.pk}"], "workdays": "5"})
    assert resp.status_code == 302
    doc.refresh_from_db()
    assert doc.lead_organization == fgj and list(doc.co_organizations.all()) == [cgz] and doc.deadline is not None
    page = client.get(doc.get_absolute_url()).content.decode()
    form = page[page.index('id="plan"'):]
    assert f'<option value="o:{fgj.pk}" selected>县发改局</option>' in form
    co_select = form[form.index('name="co_departments"'):]
    assert f'<option value="o:{cgz.pk}" selected>城关镇</option>' in co_select
    assert f'value="{doc.deadline:%Y-%m-%d}"' in form


def test_the_answerer_does_not_review_his_own_units_answer(people, client):
    """Separation of duties: 罗文博 (信息科 head, also a 文秘) acts for 信息科's part; when his department answers —
    by him or by the person he handed it to — he sees neither 审核办结 nor 退回重办; another 文秘 does."""
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    doc = through_instruction(people, doc, lead=dept("信息科", doc.organization))
    lead = doc.undertakings.get(role="lead")
    head = person("罗文博")
    services.undertaking_hand_to(actor=head, undertaking=lead, assignee=person("宋佳琪"))
    services.undertaking_reply(actor=person("宋佳琪"), undertaking=lead, reply="信息科已办理。")
    lead.refresh_from_db()
    assert "close" not in IncomingPolicy.allowed_actions(head, doc)
    assert "reply_return" not in IncomingPolicy.undertaking_actions(head, lead)
    client.force_login(head)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "审核办结" not in page and "退回重办" not in page
    with pytest.raises(PermissionDenied):
        services.incoming_close(actor=head, document=doc)
    with pytest.raises(PermissionDenied):
        services.undertaking_return(actor=head, undertaking=lead, reason="自己退自己")
    assert "close" in IncomingPolicy.allowed_actions(people.clerk, doc)
    assert head.pk not in {p.pk for p in part_reviewers(lead)}


def test_api_for_a_bureau(people, api):
    doc = cross_assigned(people)
    lead = doc.undertakings.get(role="lead")
    client = api(people.liaison)
    body = client.get(f"/api/v1/incoming/{doc.pk}/").json()
    assert [u["id"] for u in body["undertakings"]] == [lead.pk]
    assert body["undertakings"][0]["department"] == "县发改局" and body["circulations"] == []
    assert set(body["undertakings"][0]["actions"]) == {"accept", "hand_to", "reply", "extension"}
    town = doc.undertakings.get(organization=org("cgz"))
    assert client.post(f"/api/v1/incoming/{doc.pk}/accept/", {"undertaking": town.pk}, format="json").status_code == 404
    assert client.post(f"/api/v1/incoming/{doc.pk}/accept/", {"undertaking": lead.pk}, format="json").status_code == 200
    staff = bureau_member()
    resp = client.post(f"/api/v1/incoming/{doc.pk}/hand-to/", {"undertaking": lead.pk, "assignee": people.clerk.pk}, format="json")
    assert resp.status_code == 400 and "本单位" in resp.json()["error"]
    assert client.post(f"/api/v1/incoming/{doc.pk}/hand-to/", {"undertaking": lead.pk, "assignee": staff.pk}, format="json").status_code == 200
    later = add_workdays(lead.deadline, 3, organization_id=doc.organization_id)
    resp = api(staff).post(f"/api/v1/incoming/{doc.pk}/extension/", {"undertaking": lead.pk, "requested_deadline": later.isoformat(), "reason": "需要时间"}, format="json")
    assert resp.status_code == 200
    resp = api(staff).post(f"/api/v1/incoming/{doc.pk}/reply/", {"undertaking": lead.pk, "reply": "已办理。"}, format="json")
    assert resp.status_code == 200 and resp.json()["undertakings"][0]["status"] == "replied"
    # the office's view has every part, and plans with organizations through the API too
    office = api(people.clerk).get(f"/api/v1/incoming/{doc.pk}/").json()
    assert {u["department"] for u in office["undertakings"]} == {"县发改局", "城关镇", "督查室"}
    assert api(liaison_of("czj")).get(f"/api/v1/incoming/{doc.pk}/").status_code == 404


def test_api_plan_with_organizations(people, api):
    doc = IncomingDocument.objects.get(title=DEMO_TITLE)
    client = api(people.director)
    resp = client.post(f"/api/v1/incoming/{doc.pk}/plan/", {"lead_organization": org("fgj").pk, "co_organizations": [org("cgz").pk]}, format="json")
    assert resp.status_code == 200, resp.json()
    doc.refresh_from_db()
    assert doc.lead_organization == org("fgj") and list(doc.co_organizations.all()) == [org("cgz")]
    resp = client.post(f"/api/v1/incoming/{doc.pk}/plan/", {"lead_organization": doc.organization_id}, format="json")
    assert resp.status_code == 400
    resp = client.post(f"/api/v1/incoming/{doc.pk}/plan/", {"lead_organization": 10**9}, format="json")
    assert resp.status_code == 400


def test_the_demo_gives_the_bureau_and_its_liaison_a_part_to_sign(people, client):
    doc = IncomingDocument.objects.get(title="某市发展和改革委员会关于做好2027年重点项目申报工作的通知")
    lead = doc.undertakings.get(role="lead")
    assert lead.organization == org("fgj") and lead.accepted_at is None
    assert {p.username for p in part_actors(lead)} == {"bureau", "liaison"}
    assert doc.undertakings.get(role="co").organization == org("cgz")
    client.force_login(people.bureau)
    page = client.get("/incoming/mine/").content.decode()
    assert doc.title in page and "县发改局" in page
