"""Deadlines in working days across the 2026 National Day holiday, reminders and escalation (frozen clock)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhongshu.core.jobs import DAILY_JOBS, run_daily
from zhongshu.flow import services
from zhongshu.flow.models import ReminderLog
from zhongshu.flow.selectors import urgency_bounds
from zhongshu.notify.models import Notification

from .conftest import pending

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 9):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SH), tick=False)


def scan(day: str) -> dict:
    with at(day, 7):
        return services.reminders_scan()


def test_daily_job_is_registered():
    assert DAILY_JOBS["flow_reminders"] == "zhongshu.flow.jobs.scan"


def test_five_working_days_across_national_day(define, people, person, draft):
    with at("2026-09-29"):
        define([{"name": "科长审核", "assignee_rule": "initiator_head", "deadline_days": 5}])
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
        item = pending(inst).get()
    # 09-30, (10-01..07 holiday), 10-08, 10-09, 10-10 (Saturday make-up day), 10-12.
    assert item.due_date == datetime.date(2026, 10, 12) and not item.due_provisional
    head = person("李静怡")

    def reminders():
        return Notification.objects.filter(recipient=head, title__contains=inst.title).exclude(title__startswith="待办").count()

    assert scan("2026-10-08") == {"before": 0, "due": 0, "overdue": 0}
    assert scan("2026-10-09") == {"before": 0, "due": 0, "overdue": 0}
    assert scan("2026-10-10") == {"before": 1, "due": 0, "overdue": 0}  # the working day before the deadline
    assert scan("2026-10-10") == {"before": 0, "due": 0, "overdue": 0}  # idempotent
    assert scan("2026-10-11") == {"before": 0, "due": 0, "overdue": 0}  # Sunday: nothing is sent
    assert scan("2026-10-12") == {"before": 0, "due": 1, "overdue": 0}
    assert reminders() == 2
    with at("2026-10-12"):
        assert item.urgency(*urgency_bounds(item.organization_id)) == "yellow"
    assert scan("2026-10-13") == {"before": 0, "due": 0, "overdue": 1}
    assert scan("2026-10-13") == {"before": 0, "due": 0, "overdue": 0}
    assert scan("2026-10-14") == {"before": 0, "due": 0, "overdue": 0}
    escalation = Notification.objects.get(title=f"超期督办：{inst.title}")
    assert escalation.recipient == people.director and escalation.level == "warning"
    assert Notification.objects.filter(recipient=head, title__startswith="已超期").count() == 1
    with at("2026-10-13"):
        assert item.urgency(*urgency_bounds(item.organization_id)) == "red"
    kinds = list(inst.history.filter(action__in=["remind", "escalate"]).values_list("action", flat=True))
    assert kinds == ["remind", "remind", "escalate"]
    assert ReminderLog.objects.filter(work_item=item).count() == 3


def test_reminder_before_the_holiday_for_a_deadline_after_it(define, people, person, draft):
    with at("2026-09-28"):
        define([{"name": "科长审核", "assignee_rule": "initiator_head", "deadline_days": 3}])
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
        item = pending(inst).get()
    assert item.due_date == datetime.date(2026, 10, 8)
    with at("2026-09-29"):
        assert item.urgency(*urgency_bounds(item.organization_id)) == "green"
    assert scan("2026-09-29")["before"] == 0
    with at("2026-09-30"):
        assert item.urgency(*urgency_bounds(item.organization_id)) == "yellow"  # next working day is 10-08
    assert scan("2026-09-30")["before"] == 1
    for day in range(1, 8):
        assert scan(f"2026-10-0{day}") == {"before": 0, "due": 0, "overdue": 0}, day
    assert scan("2026-10-08")["due"] == 1


def test_done_items_get_no_reminders(define, people, person, draft):
    with at("2026-09-28"):
        define([{"name": "科长审核", "assignee_rule": "initiator_head", "deadline_days": 1}])
        inst = services.flow_start(actor=people.clerk, subject=draft(people.clerk))
        services.work_item_approve(actor=person("李静怡"), item=pending(inst).get())
    assert scan("2026-09-29") == {"before": 0, "due": 0, "overdue": 0}
    assert scan("2026-10-09") == {"before": 0, "due": 0, "overdue": 0}


def test_run_daily_reports_the_scan(define, people, draft):
    with at("2026-10-09", 7):
        result = run_daily()
    assert "超期督办" in result["flow_reminders"]
