"""办会's task sources for the one inbox: 回执 due (each invitee who has not answered), 请假 to approve and
会议通知 to send (the organizer), 清退 outstanding after the meeting (the organizer). 方案审批 is a flow step."""

from __future__ import annotations

from django.utils import timezone

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source

from .models import Attendee, Material, MaterialCopy, Meeting
from .policy import MeetingPolicy

register_kind(
    TaskKind("meetings.reply", "会议回执", order=40),
    TaskKind("meetings.office", "办会事项", order=41),
)


def _base(m: Meeting, **kw) -> dict:
    return {"title": m.title, "organization_id": m.organization_id, "classification": m.classification,
            "url": m.get_absolute_url(), "origin": "办会", **kw}


def meeting_tasks(m: Meeting) -> list[Spec]:
    out: list[Spec] = []
    if m.status == Meeting.Status.APPROVED:
        out.append(Spec(kind="meetings.office", assignee_id=m.organizer_id, since=None, action="发会议通知", key="notify",
                        deadline=timezone.localtime(m.start).date(), **_base(m)))
    if m.status != Meeting.Status.NOTIFIED:
        return out
    rows = list(m.attendees.all())
    leaves = sum(1 for a in rows if a.reply == Attendee.Reply.LEAVE and a.leave_status == Attendee.Leave.PENDING)
    if leaves and MeetingPolicy.can(m.organizer, m, "decide_leave"):
        out.append(Spec(kind="meetings.office", assignee_id=m.organizer_id, since=None, action=f"审批请假（{leaves}人）",
                        key="leave", deadline=timezone.localtime(m.start).date(), **_base(m)))
    if timezone.now() >= m.end:
        n = MaterialCopy.objects.filter(material__meeting=m, status=MaterialCopy.Status.ISSUED).count()
        action = f"清退涉密材料（{n}份未退）" if n else "结束会议"
        out.append(Spec(kind="meetings.office", assignee_id=m.organizer_id, since=None, action=action, key="close",
                        deadline=None, **_base(m)))
    return out


def reply_tasks(a: Attendee) -> list[Spec]:
    """回执: the invitee, while the meeting is notified and has not started."""
    m = a.meeting
    if a.reply != Attendee.Reply.PENDING or m.status != Meeting.Status.NOTIFIED or timezone.now() >= m.start:
        return []
    return [Spec(kind="meetings.reply", assignee_id=a.user_id, since=None, action="回执", key="reply",
                 deadline=m.reply_deadline, deadline_provisional=m.reply_deadline_provisional, **_base(m))]


register_source(Attendee, reply_tasks, actor=lambda a: a.user_id if a.replied_at else None, select=("meeting",),
                related={Meeting: lambda m: m.attendees.all()},
                all=lambda: Attendee.objects.filter(reply="pending", meeting__status="notified"))
register_source(Meeting, meeting_tasks, select=("organizer",),
                related={Attendee: lambda a: [a.meeting], MaterialCopy: lambda c: [c.material.meeting],
                         Material: lambda mat: [mat.meeting]},
                all=lambda: Meeting.objects.filter(status__in=[Meeting.Status.APPROVED, Meeting.Status.NOTIFIED]))
