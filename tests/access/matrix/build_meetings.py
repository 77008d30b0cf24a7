"""办会 in the access matrix: meetings at each classification — notified to named invitees, a draft only its
organizer and the office see, a 机密 draft by the office director — a room booking and a weekly series titled with
markers (organization-wide by design), materials with numbered copies, 议定事项 turned into 督办 items. Agenda,
material and decision texts carry no marker: they are shown with the meeting, whose title carries one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.meetings import services
from zhongshu.meetings.models import Room
from zhongshu.org.models import Department

KIND = "会议"


def _approve(meeting) -> None:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import flow_start, work_item_approve

    flow_start(actor=meeting.organizer, subject=meeting)
    for _ in range(5):
        item = WorkItem.objects.filter(instance__object_id=meeting.pk, instance__business_type="meeting", status="pending", kind="todo").first()
        if item is None:
            return
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")


def build(w: Any) -> None:
    p = w.people
    clerk, director = p.clerk, p.director
    services.room_save(actor=director, name=w.title("会议室"), building="县政府大楼", floor="4楼", capacity=12)
    rooms = {r.name: r for r in Room.objects.filter(organization=clerk.organization)}
    internal = next(c for c in services.categories_for(clerk.organization_id) if c.code == "internal")
    base = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=40)
    slot = [0]

    def make(level=Classification.INTERNAL, *, actor=None, room="第二会议室", invitees=(), notify=True):
        slot[0] += 1
        start = base + datetime.timedelta(hours=3 * slot[0])
        title = w.title(KIND)
        m = services.meeting_create(actor=actor or clerk, title=title, category=internal, classification=int(level), start=start,
                                    end=start + datetime.timedelta(hours=1), room=rooms[room], invitees=list(invitees),
                                    purpose=w.body(title))
        services.agenda_add(actor=actor or clerk, meeting=m, title="听取汇报", presenter="县发改局", minutes=20)
        if notify:
            _approve(m)
            m.refresh_from_db()
            m = services.meeting_notify(actor=actor or clerk, meeting=m)
        return m

    make(invitees=[p.deputy, p.archivist])  # 内部, notified: the invitees, the clerk (organizer) and the office
    secret = make(Classification.SECRET, room="常务会议室", invitees=[p.leader])
    material = services.material_add(actor=clerk, meeting=secret, title="审议材料", classification=Classification.SECRET,
                                     upload=SimpleUploadedFile("审议材料.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    services.copy_issue(actor=clerk, material=material, holder=p.leader)
    services.reply(actor=p.leader, meeting=secret, answer="attend")
    services.decision_add(actor=clerk, meeting=secret, text="抓紧推进有关工作", lead_department=Department.objects.get(organization__code="fgj", code="BGS"),
                          deadline=timezone.localdate() + datetime.timedelta(days=30))
    services.decisions_to_supervision(actor=clerk, meeting=secret, responsible_leader=p.deputy)
    make(notify=False, invitees=[p.deputy])  # a draft: the organizer and the office only
    approved = make(notify=False, invitees=[p.deputy])
    _approve(approved)  # approved, waiting for its notice
    asking = make(invitees=[p.deputy, p.archivist])
    services.reply(actor=p.archivist, meeting=asking, answer="leave", reason="出差")  # a 请假 waiting for the organizer
    make(Classification.CONFIDENTIAL, actor=director, room="常务会议室", invitees=[p.leader], notify=False)
    soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)  # in the week the room page shows
    services.booking_create(actor=clerk, room=rooms["第二会议室"], start=soon, end=soon + datetime.timedelta(hours=1),
                            title=w.title("会议室预订"))
