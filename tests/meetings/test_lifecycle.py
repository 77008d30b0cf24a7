"""The meeting: caps, approval on the flow engine, notice, 回执 (请假, 代参) feeding the ranked list, reminders,
QR sign-in, numbered copies and 清退 blocking the close, 议定事项 → 督办 linked both ways."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from tests.meetings.conftest import approve, category
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.meetings import selectors, services
from zhongshu.meetings.models import Category, Meeting
from zhongshu.notify.models import Notification

pytestmark = pytest.mark.django_db

CLASS3 = Category(code="class3", name="三类会议", max_days=2, max_attendees=150, daily_cost_cap=Decimal(650))


@pytest.mark.parametrize("days,people,budget,expected", [
    (1, 100, 65000, []),
    (3, 100, 0, ["会期 3 天，超过三类会议上限 2 天"]),
    (1, 151, 0, ["参会 151 人，超过三类会议上限 150 人"]),
    (2, 100, 130002, ["人均每天 650.01 元，超过三类会议综合定额 650 元"]),
    (3, 200, 600000, ["会期 3 天，超过三类会议上限 2 天", "参会 200 人，超过三类会议上限 150 人",
                      "人均每天 1000.00 元，超过三类会议综合定额 650 元"]),
])
def test_caps_each_violation_named(days, people, budget, expected):
    start = datetime.datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    end = start + datetime.timedelta(days=days - 1, hours=8)
    assert services.cap_violations(category=CLASS3, start=start, end=end, attendees=people, budget=Decimal(budget)) == expected


def test_default_categories_and_organization_override(who):
    defaults = {c.code: c for c in services.categories_for(who.clerk.organization_id)}
    assert (defaults["class2"].max_attendees, defaults["class3"].daily_cost_cap, defaults["class4"].max_days) == (300, 650, 2)
    services.category_save(actor=who.director, code="class3", name="三类会议", max_days=1, max_attendees=100, daily_cost_cap=Decimal(500))
    mine = {c.code: c for c in services.categories_for(who.clerk.organization_id)}
    assert mine["class3"].daily_cost_cap == 500 and mine["class3"].organization_id == who.clerk.organization_id
    assert {c.code: c for c in services.categories_for(None)}["class3"].daily_cost_cap == 650  # others keep the default
    with pytest.raises(PermissionDenied):
        services.category_save(actor=who.clerk, code="x", name="x", max_days=None, max_attendees=None, daily_cost_cap=None)


def test_plan_over_the_caps_cannot_be_submitted(plan, who):
    from zhongshu.flow.services import flow_start

    m = plan(category=category("class3"), room="大会议室", planned_attendees=160, budget=200000)
    with pytest.raises(ServiceError) as exc:
        flow_start(actor=who.clerk, subject=m)
    assert "参会 160 人，超过三类会议上限 150 人" in exc.value.message and "综合定额" in exc.value.message


def test_approval_notice_replies_and_the_ranked_list(notified, who):
    m = notified()
    assert m.status == "notified" and m.reply_deadline is not None
    assert Notification.objects.filter(recipient=who.xu, title__contains=m.title).exists()
    with pytest.raises(ServiceError) as exc:
        services.reply(actor=who.xu, meeting=m, answer="leave")
    assert "事由" in exc.value.message
    xu = services.reply(actor=who.xu, meeting=m, answer="leave", reason="出差")
    services.reply(actor=who.ma, meeting=m, answer="substitute", substitute=who.gao)
    services.reply(actor=who.deputy, meeting=m, answer="attend")
    with pytest.raises(PermissionDenied):
        services.reply(actor=who.sun, meeting=m, answer="attend")  # not invited
    with pytest.raises(PermissionDenied):
        services.leave_decide(actor=who.sun, attendee=xu, approve=True)
    services.leave_decide(actor=who.clerk, attendee=xu, approve=True)
    t = selectors.tally(m)
    assert (t["attend"], t["leave"], t["substitute"], t["pending"]) == (1, 1, 1, 1)
    ranked = selectors.meeting_attendees_ranked(m)
    # 县长 (pending still expected), 副县长, then 高晓燕 in 马丽华's seat (副县长 rank, invited after 许建平); 许建平 on leave
    assert [u.real_name for u in ranked] == ["周国梁", "林卫东", "高晓燕"]
    services.reply(actor=who.ma, meeting=m, answer="attend")  # changes his mind: the substitute leaves the list
    assert [u.real_name for u in selectors.meeting_attendees_ranked(m)] == ["周国梁", "林卫东", "马丽华"]


def test_substitute_must_be_cleared_and_not_already_there(notified, who):
    m = notified(classification=Classification.SECRET, room="常务会议室", invitees=[who.leader, who.deputy])
    with pytest.raises(ServiceError) as exc:
        services.reply(actor=who.deputy, meeting=m, answer="substitute", substitute=who.sun)
    assert "孙雨桐" in exc.value.message
    with pytest.raises(ServiceError):
        services.reply(actor=who.deputy, meeting=m, answer="substitute", substitute=who.leader)


def test_reminders_once_and_only_on_working_days(notified, who):
    m = notified()
    services.reply(actor=who.leader, meeting=m, answer="attend")
    before = Notification.objects.filter(title__startswith="请尽快回执").count()
    assert services.reply_reminders(today=m.reply_deadline) == 3
    assert services.reply_reminders(today=m.reply_deadline) == 0  # a catch-up run sends nothing twice
    assert Notification.objects.filter(title__startswith="请尽快回执").count() == before + 3
    assert services.remind_nonresponders(actor=who.clerk, meeting=m) == 0


def test_reply_task_in_the_inbox(notified, who):
    from zhongshu.inbox.models import Task

    m = notified()
    mine = Task.objects.filter(assignee=who.deputy, kind="meetings.reply", url=m.get_absolute_url())
    assert mine.get().status == "open" and mine.get().deadline == m.reply_deadline
    services.reply(actor=who.deputy, meeting=m, answer="leave", reason="下乡")
    assert mine.get().status == "done"
    assert Task.objects.filter(assignee=who.clerk, kind="meetings.office", object_id=m.pk, status="open", action__startswith="审批请假").exists()


def test_qr_checkin(notified, who, client, web):
    m = notified()
    token = services.checkin_token(m)
    url = f"/meetings/checkin/{token}/"
    anon = client.post(url)
    assert anon.status_code == 302 and "/accounts/login" in anon["Location"]  # not logged in
    with time_machine.travel(m.start - datetime.timedelta(hours=3), tick=False), pytest.raises(ServiceError) as early:
        services.checkin_by_token(actor=who.leader, token=token)
    assert early.value.code == "expired"
    with time_machine.travel(m.start + datetime.timedelta(minutes=10), tick=False):
        with pytest.raises(PermissionDenied):
            services.checkin_by_token(actor=who.sun, token=token)  # not invited
        r = web(who.leader).post(url)
        assert r.status_code == 200 and "已签到" in r.content.decode()
        with pytest.raises(Conflict):
            services.checkin_by_token(actor=who.leader, token=token)
        late, absent = selectors.late_and_absent(m)
        assert [a.user.real_name for a in late] == ["周国梁"]
        assert {a.user.real_name for a in absent} == {"林卫东", "许建平", "马丽华"}
        with pytest.raises(ServiceError):
            services.checkin_by_token(actor=who.deputy, token=signing.dumps({"m": m.pk}, salt="other"))
    with time_machine.travel(m.end + datetime.timedelta(hours=2), tick=False), pytest.raises(ServiceError) as late_exc:
        services.checkin_by_token(actor=who.deputy, token=token)
    assert late_exc.value.code == "expired"


def test_numbered_copies_block_the_close_unless_the_office_records_why(notified, who):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = notified(classification=Classification.SECRET, room="常务会议室", invitees=[who.leader, who.deputy])
    mat = services.material_add(actor=who.clerk, meeting=m, title="审议稿", classification=Classification.SECRET,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    with pytest.raises(ServiceError):
        services.material_add(actor=who.clerk, meeting=m, title="更高密级", classification=Classification.CONFIDENTIAL)
    c1 = services.copy_issue(actor=who.clerk, material=mat, holder=who.leader)
    c2 = services.copy_issue(actor=who.clerk, material=mat, holder=who.deputy)
    assert (c1.number, c2.number) == (1, 2)
    with pytest.raises(ServiceError):
        services.copy_issue(actor=who.clerk, material=mat, holder=who.sun)  # not attending
    services.copy_return(actor=who.clerk, copy=c1)
    with pytest.raises(ServiceError) as exc:
        services.meeting_close(actor=who.clerk, meeting=m)
    assert "审议稿第002份（林卫东）" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.meeting_close(actor=who.clerk, meeting=m, note="林卫东带回办公室")  # the office records why, not the clerk
    closed = services.meeting_close(actor=who.director, meeting=m, note="林卫东带回办公室，次日交回")
    assert closed.status == "closed" and closed.close_note.startswith("林卫东")


def test_close_after_recovery(notified, who):
    m = notified(classification=Classification.SECRET, room="常务会议室", invitees=[who.leader])
    mat = services.material_add(actor=who.clerk, meeting=m, title="审议稿", classification=Classification.SECRET)
    services.copy_return(actor=who.clerk, copy=services.copy_issue(actor=who.clerk, material=mat, holder=who.leader))
    assert services.meeting_close(actor=who.clerk, meeting=m).status == "closed"


def test_decisions_become_supervision_items_linked_both_ways(notified, who):
    from zhongshu.org.models import Department
    from zhongshu.supervision.models import SupervisionItem

    m = notified()
    services.record_save(actor=who.clerk, meeting=m, record_text="记录", minutes="纪要：议定如下")
    fgj = Department.objects.get(organization__code="fgj", code="BGS")
    d = services.decision_add(actor=who.clerk, meeting=m, text="推进测试项目", lead_department=fgj, deadline=timezone.localdate() + datetime.timedelta(days=10))
    with pytest.raises(PermissionDenied):
        services.decisions_to_supervision(actor=who.sun, meeting=m, responsible_leader=who.deputy)
    [done] = services.decisions_to_supervision(actor=who.clerk, meeting=m, responsible_leader=who.deputy)
    item = SupervisionItem.objects.get(pk=done.supervision_item_id)
    assert item.source == "meeting" and item.source_id == m.pk and item.lead_department == fgj
    assert item.meeting_decision == d
    assert m.title not in f"{item.title}{item.content}{item.source_ref}"  # the item's readers are not the meeting's
    with pytest.raises(Conflict):
        services.decisions_to_supervision(actor=who.clerk, meeting=m, responsible_leader=who.deputy)  # once


def test_cancel_frees_the_room_and_tells_the_invitees(notified, who, rooms):
    m = notified()
    services.meeting_cancel(actor=who.clerk, meeting=m, reason="改期")
    assert not m.bookings.filter(status="active").exists()
    assert Notification.objects.filter(recipient=who.deputy, title=f"会议取消：{m.title}").exists()
    services.booking_create(actor=who.director, room=rooms["第二会议室"], start=m.start, end=m.end, title="腾出来的时段")


def test_access_invitees_after_notice_organizer_office(plan, who, api):
    m = plan(classification=Classification.SECRET, room="常务会议室", invitees=[who.leader, who.deputy])
    assert not Meeting.objects.restrict(who.deputy).filter(pk=m.pk).exists()  # a draft is not yet theirs
    m = services.meeting_notify(actor=who.clerk, meeting=approve(m))
    assert Meeting.objects.restrict(who.deputy).filter(pk=m.pk).exists()
    assert not Meeting.objects.restrict(who.sun).filter(pk=m.pk).exists()
    assert api(who.sun).get(f"/api/v1/meetings/{m.pk}/").status_code == 404
    assert api(who.deputy).get(f"/api/v1/meetings/{m.pk}/").json()["actions"] == ["reply"]
    r = api(who.clerk).get(f"/api/v1/meetings/{m.pk}/seating/")
    assert r.status_code == 200 and [p["name"] for p in r.json()["people"]] == ["周国梁", "林卫东"]
    assert api(who.deputy).get(f"/api/v1/meetings/{m.pk}/seating/").status_code == 403
    # a classified subject never leaves the platform: the notice went in-app only
    from django.core import mail

    assert not any(m.title in msg.subject for msg in mail.outbox)


def test_pages_of_the_lifecycle(notified, who, web):
    m = notified()
    page = web(who.clerk).get(m.get_absolute_url()).content.decode()
    for text in ("参会人员与回执", "签到二维码", "提醒未回执人员", "议定事项"):
        assert text in page
    assert web(who.clerk).get(f"/meetings/{m.pk}/qr.svg")["Content-Type"] == "image/svg+xml"
    deputy = web(who.deputy)
    r = deputy.post(f"/meetings/{m.pk}/reply/", {"answer": "leave", "reason": "下乡调研"}, follow=True)
    assert "回执已提交" in r.content.decode()
    assert deputy.get(f"/meetings/{m.pk}/qr.svg").status_code == 404


def test_records_and_minutes_in_the_full_text_index(notified, who, django_capture_on_commit_callbacks):
    from zhongshu.search.registry import search

    m = notified(classification=Classification.SECRET, room="常务会议室", invitees=[who.deputy])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_save(actor=who.clerk, meeting=m, record_text="讨论了鹿鸣湖治理", minutes="会议议定加快鹿鸣湖清淤")
    assert [h.object_id for h in search(who.deputy, "鹿鸣湖清淤", kinds=["meetings"]).hits] == [m.pk]
    assert search(who.sun, "鹿鸣湖清淤", kinds=["meetings"]).hits == []  # neither invited nor cleared
    assert search(who.archivist, "鹿鸣湖", kinds=["meetings"]).hits == []  # cleared, not invited


def test_notice_and_minutes_handed_to_outgoing(notified, who, web):
    from zhongshu.outgoing.models import OutgoingDocument

    m = notified()
    services.agenda_add(actor=who.clerk, meeting=m, title="听取汇报", presenter="县发改局")
    doc = services.notice_to_outgoing(actor=who.clerk, meeting=m)
    assert (doc.doc_type, doc.status, doc.drafter) == ("通知", "draft", who.clerk)
    assert doc.title == f"关于召开{m.title}的通知" and "听取汇报（县发改局）" in doc.body and "回执" in doc.body
    with pytest.raises(PermissionDenied):
        services.notice_to_outgoing(actor=who.clerk, meeting=m)  # once
    with pytest.raises(ServiceError) as none_yet:
        services.minutes_to_outgoing(actor=who.clerk, meeting=m)
    assert none_yet.value.message == "请先起草会议纪要。"
    services.record_save(actor=who.clerk, meeting=m, minutes="会议议定：一、……")
    r = web(who.clerk).post(f"/meetings/{m.pk}/outgoing-minutes/")
    m.refresh_from_db()
    minutes = OutgoingDocument.objects.get(pk=m.minutes_document_id)
    assert r.status_code == 302 and r["Location"] == minutes.get_absolute_url()
    assert (minutes.doc_type, minutes.format, minutes.body) == ("纪要", "minutes", "会议议定：一、……")


def test_reply_reminders_are_a_daily_job():
    from zhongshu.core.jobs import DAILY_JOBS

    assert DAILY_JOBS["meetings_reply_reminders"] == "zhongshu.meetings.services.reply_reminders"
