from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.meetings import services
from zhongshu.meetings.models import Meeting, Room
from zhongshu.org.models import User


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


@pytest.fixture
def rooms(county):
    return {r.name: r for r in Room.objects.filter(organization__code="zfb")}


@pytest.fixture
def who(county):
    class Who:
        def __getattr__(self, name):
            names = {"xu": "许建平", "ma": "马丽华", "gao": "高晓燕", "li": "李静怡", "sun": "孙雨桐", "liu": "刘晓楠", "zheng": "郑海涛"}
            if name in names:
                return User.objects.get(real_name=names[name])
            return User.objects.get(username=name)

    return Who()


def category(code: str):
    return next(c for c in services.categories_for(User.objects.get(username="clerk").organization_id) if c.code == code)


@pytest.fixture
def plan(rooms, who):
    """A draft meeting of the clerk in 第二会议室 (内部) with four invitees, three days ahead."""

    def make(*, classification=Classification.INTERNAL, room="第二会议室", invitees=None, days=3, **kw) -> Meeting:
        values = {"title": "关于测试工作的专题会议", "category": category("internal"), "start": at(days, 9), "end": at(days, 11)}
        values.update(kw)
        return services.meeting_create(
            actor=who.clerk, classification=classification, room=rooms[room] if room else None,
            invitees=invitees if invitees is not None else [who.leader, who.deputy, who.xu, who.ma], **values,
        )

    return make


def approve(meeting: Meeting) -> Meeting:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import flow_start, work_item_approve

    flow_start(actor=meeting.organizer, subject=meeting)
    for _ in range(5):
        item = WorkItem.objects.filter(instance__object_id=meeting.pk, instance__business_type="meeting", status="pending", kind="todo").first()
        if item is None:
            break
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def notified(plan, who):
    def make(**kw) -> Meeting:
        m = approve(plan(**kw))
        assert m.status == "approved"
        return services.meeting_notify(actor=who.clerk, meeting=m)

    return make
