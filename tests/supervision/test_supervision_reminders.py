"""Cycle report slots and reminders across the 2026 National Day holiday, with a frozen clock (time_machine).

Calendar 2026: 10-01..10-07 off, 09-27 (Sunday) and 10-10 (Saturday) are make-up working days."""

import datetime

import pytest

from zhongshu.core.jobs import DAILY_JOBS
from zhongshu.notify.models import Notification
from zhongshu.supervision import services
from zhongshu.supervision.models import ProgressReport, ReminderNotice, SupervisionItem
from zhongshu.supervision.reminders import reminders_scan
from zhongshu.supervision.schedule import opens_on, period_of, report_due

from .conftest import at, liaison

pytestmark = pytest.mark.django_db
D = datetime.date


def scan(day: str) -> dict:
    with at(day, 7):
        return reminders_scan()


def test_job_registered(county):
    from zhongshu.core.jobs import run_daily

    assert DAILY_JOBS["supervision_scan"] == "zhongshu.supervision.jobs.scan"
    with at("2026-11-27", 7):  # a Friday
        assert run_daily()["supervision_scan"].startswith("开放报送")


def test_periods_and_due_dates_around_the_holiday():
    assert period_of("weekly", D(2026, 10, 8)) == (D(2026, 10, 5), D(2026, 10, 11))
    # The holiday week: due on its make-up Saturday; the form opens two working days before (10-08).
    assert report_due(D(2026, 10, 5), D(2026, 10, 11)) == D(2026, 10, 10)
    assert opens_on(D(2026, 10, 10)) == D(2026, 10, 8)
    # The week before: 09-30 is its last working day.
    assert report_due(D(2026, 9, 28), D(2026, 10, 4)) == D(2026, 9, 30)
    assert period_of("half_month", D(2026, 10, 20)) == (D(2026, 10, 16), D(2026, 10, 31))
    assert report_due(D(2026, 10, 16), D(2026, 10, 31)) == D(2026, 10, 30)
    assert period_of("monthly", D(2026, 2, 3)) == (D(2026, 2, 1), D(2026, 2, 28))


def test_weekly_slots_reminders_and_overdue_across_national_day(assigned, people):
    with at("2026-09-24"):
        item = assigned(cycle="weekly", deadline=D(2026, 10, 14), workdays=None)
        task = item.tasks.get()
        services.supervision_task_accept(actor=liaison("fgj"), task=task)
    fgj = liaison("fgj")

    def slots():
        return list(ProgressReport.objects.filter(task=task).order_by("period_start").values_list("period_start", "due_date", "status"))

    assert scan("2026-09-28")["opened"] == 1  # week 09-28..10-04 is due 09-30; opens two working days before
    assert scan("2026-09-28")["opened"] == 0  # idempotent
    assert slots() == [(D(2026, 9, 28), D(2026, 9, 30), "open")]
    assert Notification.objects.filter(recipient=fgj, title__startswith="请报送督办进展").count() == 1
    r = scan("2026-09-30")
    assert r["report_due"] == 1 and r["opened"] == 0
    with at("2026-09-30", 15):
        services.supervision_report_submit(actor=fgj, task=task, content="本周已完成方案起草。")
    # The holiday: nothing is opened or sent.
    for day in ("2026-10-01", "2026-10-03", "2026-10-05", "2026-10-07"):
        assert scan(day) == {"opened": 0, "report_due": 0, "report_overdue": 0, "before": 0, "due": 0, "overdue": 0, "milestones": 0}
    r = scan("2026-10-08")  # the holiday week's slot opens on the first working day after the holiday
    assert r["opened"] == 1 and r["before"] == 0
    assert slots()[-1] == (D(2026, 10, 5), D(2026, 10, 10), "open")
    item.refresh_from_db()
    assert item.light == "green" and item.next_report_due == D(2026, 10, 10)
    # The make-up Saturday is the slot's due date and 3 working days before the deadline (10-12, 10-13, 10-14).
    r = scan("2026-10-10")
    assert r["report_due"] == 1 and r["before"] == 1
    item.refresh_from_db()
    assert item.light == "yellow"
    assert scan("2026-10-11")["report_overdue"] == 0  # Sunday: nothing
    r = scan("2026-10-12")
    assert r["report_overdue"] == 1
    item.refresh_from_db()
    assert item.light == "red"  # a slot past its due date
    assert Notification.objects.filter(recipient=fgj, title__startswith="督办进展逾期未报").count() == 1
    assert scan("2026-10-14")["due"] == 1
    r = scan("2026-10-15")
    assert r["overdue"] == 1
    assert scan("2026-10-15")["overdue"] == 0
    # Overdue: the responsible leader hears of it and an automatic 催办单 is on record.
    assert Notification.objects.filter(recipient=people.deputy, title=f"督办事项超期：{item.title}").count() == 1
    notice = ReminderNotice.objects.get(item=item)
    assert notice.kind == "overdue" and "已超期1天" in notice.text
    assert SupervisionItem.objects.get(pk=item.pk).light == "red"


def test_extension_restarts_deadline_reminders(assigned, people):
    with at("2026-09-24"):
        item = assigned(deadline=D(2026, 10, 9), workdays=None)
        task = item.tasks.get()
        services.supervision_task_accept(actor=liaison("fgj"), task=task)
    assert scan("2026-10-09")["due"] == 1
    with at("2026-10-09", 10):
        ext = services.supervision_extension_request(actor=liaison("fgj"), task=task, new_deadline=D(2026, 10, 20), reason="节后才能完成验收")
        services.supervision_extension_decide(actor=people.clerk, extension=ext, approve=True)
    item.refresh_from_db()
    assert item.light == "green" and item.original_deadline == D(2026, 10, 9)
    assert scan("2026-10-12")["overdue"] == 0
    assert scan("2026-10-20")["due"] == 1


def test_milestone_reminders(assigned, people):
    with at("2026-09-24"):
        item = assigned(deadline=D(2026, 11, 30), workdays=None, milestones=[("完成调研", D(2026, 10, 9))])
    assert scan("2026-09-28")["milestones"] == 0
    assert scan("2026-09-29")["milestones"] == 1  # three working days before 10-09: 10-08, 09-30, 09-29
    assert scan("2026-09-30")["milestones"] == 0
    assert scan("2026-10-08")["milestones"] == 0
    assert scan("2026-10-09")["milestones"] == 1
    assert scan("2026-10-12")["milestones"] == 1  # overdue
    item.refresh_from_db()
    assert item.light == "yellow"  # a missed 分阶段目标
