"""办会 policy: who reads a meeting (organizer, invitees and substitutes once notified, the office, the granted),
what each person may do to it now, and the same for rooms and bookings (organization-wide, never classified)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import Attendee, Booking, Meeting, Room


def _person(user: Any) -> bool:
    return not (user is None or getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False) or user.admin_role)


class MeetingPolicy(Policy):
    model = Meeting
    area = "meetings"
    noun = "会议"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        invited = Attendee.objects.filter(Q(user_id=user.pk) | Q(substitute_id=user.pk)).values("meeting_id")
        told = Q(status__in=[Meeting.Status.NOTIFIED, Meeting.Status.CLOSED]) | Q(status=Meeting.Status.CANCELLED, notified_at__isnull=False)
        q = Q(organizer_id=user.pk) | (Q(pk__in=invited) & told)
        if has_perm(user, "meetings.manage"):
            q |= Q(pk__isnull=False)  # the office organizes every meeting of its organization
        return q

    @classmethod
    def organizes(cls, user: Any, obj: Meeting) -> bool:
        return obj.organizer_id == user.pk or has_perm(user, "meetings.manage")

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        from zhongshu.core.locks import edit_lock

        assert isinstance(obj, Meeting)
        if not _person(user) or user.organization_id != obj.organization_id:
            return set()
        acts: set[str] = set()
        S = Meeting.Status
        org = cls.organizes(user, obj)
        if obj.status == S.DRAFT and org and not edit_lock(obj):
            acts |= {"agenda", "invite", "materials", "cancel"}
            if obj.organizer_id == user.pk and has_perm(user, "flow.view"):
                acts.add("submit_review")
        elif obj.status == S.APPROVED and org:
            acts |= {"agenda", "invite", "materials", "notify", "cancel"}
            if has_perm(user, "outgoing.draft") and obj.notice_document_id is None:
                acts.add("outgoing_notice")
        elif obj.status == S.NOTIFIED:
            mine = Attendee.objects.filter(meeting=obj, user_id=user.pk).exists()
            if mine:
                acts.add("reply")
            if org:
                acts |= {"agenda", "invite", "materials", "remind", "decide_leave", "checkin_manual", "copies", "record",
                         "decisions", "close", "cancel"}
                if has_perm(user, "supervision.manage"):
                    acts.add("to_supervision")
                if has_perm(user, "outgoing.draft"):
                    if obj.notice_document_id is None:
                        acts.add("outgoing_notice")
                    if obj.minutes_document_id is None and obj.minutes:
                        acts.add("outgoing_minutes")
        elif obj.status == S.CLOSED and org and has_perm(user, "outgoing.draft") and obj.minutes_document_id is None and obj.minutes:
            acts.add("outgoing_minutes")
        return acts


class RoomPolicy(Policy):
    """Rooms: every member of the organization sees them; the office (meetings.manage) keeps them."""

    model = Room
    area = "meetings"
    noun = "会议室"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        return Q(pk__isnull=False)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        assert isinstance(obj, Room)
        if not _person(user) or user.organization_id != obj.organization_id:
            return set()
        acts = {"book"} if has_perm(user, "meetings.book") and obj.is_active else set()
        if has_perm(user, "meetings.manage"):
            acts |= {"edit", "attach"}
        return acts


class BookingPolicy(Policy):
    """Bookings are times and rooms (never classified: a meeting's booking shows the meeting through its own policy)."""

    model = Booking
    area = "meetings"
    noun = "会议室预订"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        return Q(pk__isnull=False)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        assert isinstance(obj, Booking)
        if not _person(user) or user.organization_id != obj.organization_id or obj.status != Booking.Status.ACTIVE:
            return set()
        if obj.meeting_id is None and (obj.booked_by_id == user.pk or has_perm(user, "meetings.manage")):
            return {"cancel", "move"}
        return set()


register(MeetingPolicy)
register(RoomPolicy)
register(BookingPolicy)
