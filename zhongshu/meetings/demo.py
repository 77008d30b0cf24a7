"""Demo 办会, through the services: four rooms (two 涉密), a weekly fixed booking and a few bookings this week, last
week's 县政府常务会议 (秘密) approved on the flow engine, notified, with replies (请假 approved, one 代参), sign-in,
a numbered classified copy still out (清退), the record, a 纪要 and two 议定事项 turned into 督办 items, and a plan
for next week's meeting in draft."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, Organization, User

from . import services
from .flowdemo import build_meeting_flow
from .models import Attendee, Booking, Meeting


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


def _approve_all(meeting: Meeting) -> None:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    for _ in range(5):
        item = WorkItem.objects.filter(instance__object_id=meeting.pk, instance__business_type="meeting", status="pending", kind="todo").first()
        if item is None:
            return
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")


def build_demo_meetings() -> None:
    zfb = Organization.objects.get(code="zfb")
    if Meeting.objects.filter(organization=zfb).exists():
        return
    from zhongshu.flow.services import flow_start

    director, clerk = User.objects.get(username="director"), User.objects.get(username="clerk")
    leader, deputy = User.objects.get(username="leader"), User.objects.get(username="deputy")
    xu, ma, gao = (User.objects.get(real_name=n) for n in ("许建平", "马丽华", "高晓燕"))
    li = User.objects.get(real_name="李静怡")
    build_meeting_flow(zfb, director, leader)
    services.ensure_default_categories()

    rooms = {
        key: services.room_save(actor=director, name=name, building="县政府大楼", floor=floor, capacity=cap, equipment=eq, is_classified=secret)
        for key, name, floor, cap, eq, secret in [
            ("standing", "常务会议室", "3楼", 40, "会议话筒、屏蔽设备", True),
            ("one", "第一会议室", "3楼", 24, "投影、视频会议终端", True),
            ("two", "第二会议室", "2楼", 16, "投影", False),
            ("hall", "大会议室", "1楼", 200, "主席台、音响、投影、电子桌签", False),
        ]
    }
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    services.series_create(actor=clerk, room=rooms["one"], title="县政府领导班子碰头会", weekday=0, start_time=datetime.time(8, 30),
                           end_time=datetime.time(9, 30), first_day=tomorrow, last_day=tomorrow + datetime.timedelta(days=55))
    services.booking_create(actor=clerk, room=rooms["two"], start=_at(tomorrow, 14, 30), end=_at(tomorrow, 16, 30), title="秘书一科业务学习")
    services.booking_create(actor=director, room=rooms["hall"], start=_at(today + datetime.timedelta(days=2), 9), end=_at(today + datetime.timedelta(days=2), 12),
                            title="全县办公室系统业务培训会")

    # Last week's 常务会议: planned, approved, notified and answered before it took place (the history is built
    # now and then moved back to last Monday, the only way to build a past meeting through the services).
    internal = next(c for c in services.categories_for(zfb.pk) if c.code == "internal")
    now = timezone.now().replace(second=0, microsecond=0)
    m = services.meeting_create(
        actor=clerk, title="县政府第12次常务会议", category=internal, classification=Classification.SECRET,
        start=now + datetime.timedelta(hours=3), end=now + datetime.timedelta(hours=5, minutes=30), room=rooms["standing"],
        scope="县长、副县长，县政府办公室主任；列席：秘书一科", purpose="研究部署年底前重点工作。",
        contact="秘书一科 王思远 0000-1234567", invitees=[leader, deputy, xu, ma, director, li],
    )
    a1 = services.agenda_add(actor=clerk, meeting=m, title="听取全县重点项目推进情况汇报", presenter="县发改局", minutes=30)
    services.agenda_add(actor=clerk, meeting=m, title="研究冬季安全生产工作", presenter="县应急管理局", minutes=30)
    services.agenda_add(actor=clerk, meeting=m, title="其他事项", presenter="", minutes=20)
    secret = services.material_add(actor=clerk, meeting=m, title="全县重点项目推进情况（审议稿）", agenda_item=a1,
                                   classification=Classification.SECRET,
                                   upload=SimpleUploadedFile("重点项目推进情况.pdf", b"%PDF-1.4 demo", content_type="application/pdf"))
    flow_start(actor=clerk, subject=m, opinion="请审批。")
    _approve_all(m)
    m.refresh_from_db()
    m = services.meeting_notify(actor=clerk, meeting=m)
    services.reply(actor=leader, meeting=m, answer="attend")
    services.reply(actor=deputy, meeting=m, answer="attend")
    services.reply(actor=director, meeting=m, answer="attend")
    xu_row = services.reply(actor=xu, meeting=m, answer="leave", reason="赴省外学习考察")
    services.leave_decide(actor=director, attendee=xu_row, approve=True)
    services.reply(actor=ma, meeting=m, answer="substitute", substitute=gao)
    for row in m.attendees.exclude(reply__in=[Attendee.Reply.LEAVE, Attendee.Reply.PENDING]):
        services.checkin_manual(actor=clerk, attendee=row)
    services.copy_issue(actor=clerk, material=secret, holder=leader)
    second = services.copy_issue(actor=clerk, material=secret, holder=deputy)
    services.copy_return(actor=clerk, copy=second)
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    shift = _at(last_monday, 9) - m.start
    Meeting.objects.filter(pk=m.pk).update(start=m.start + shift, end=m.end + shift, notified_at=m.notified_at - datetime.timedelta(days=7),
                                           reply_deadline=last_monday - datetime.timedelta(days=1))
    for b in Booking.objects.filter(meeting=m):
        Booking.objects.filter(pk=b.pk).update(start=b.start + shift, end=b.end + shift)
    for row in m.attendees.filter(signed_in_at__isnull=False):
        Attendee.objects.filter(pk=row.pk).update(signed_in_at=row.signed_in_at + shift - datetime.timedelta(minutes=10))
    m.refresh_from_db()
    services.record_save(actor=clerk, meeting=m, record_text="（会议记录，演示）周国梁主持。一、县发改局汇报重点项目推进情况……",
                         minutes="县政府第12次常务会议纪要\n会议研究了全县重点项目推进和冬季安全生产工作，议定如下：\n一、……\n二、……")
    fgj = Department.objects.get(organization__code="fgj", code="BGS")
    yjj = Department.objects.get(organization__code="yjj", code="BGS")
    services.decision_add(actor=clerk, meeting=m, text="年底前完成重点项目年度投资目标，每周报送进展", lead_department=fgj,
                          deadline=today + datetime.timedelta(days=25))
    services.decision_add(actor=clerk, meeting=m, text="开展冬季安全生产大检查", lead_department=yjj, deadline=today + datetime.timedelta(days=20))
    services.decisions_to_supervision(actor=director, meeting=m, responsible_leader=deputy)

    # Next week's meeting: a plan in draft, within the caps of 三类会议.
    class3 = next(c for c in services.categories_for(zfb.pk) if c.code == "class3")
    next_wed = today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7)
    services.meeting_create(
        actor=clerk, title="全县冬季安全生产工作会议", category=class3, start=_at(next_wed, 9), end=_at(next_wed, 11, 30),
        room=rooms["hall"], scope="各乡镇、县直各部门分管负责人", planned_attendees=120, budget=12000, purpose="部署冬季安全生产工作。",
        contact="秘书一科 王思远", invitees=[leader, deputy, director],
    )
