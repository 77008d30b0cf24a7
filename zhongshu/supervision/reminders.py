"""The daily scan (registered in apps.py, run by core.jobs.run_daily): opens cycle report slots, reminds
before / on / after report dates, 分阶段目标 and deadlines, escalates overdue items to the responsible leader
with an automatic 催办单, and refreshes the lights. Idempotent: every reminder is logged once (ReminderLog),
every slot is unique per task and period."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongshu.access.policy import SYSTEM
from zhongshu.audit.services import record
from zhongshu.notify.services import notify
from zhongshu.workdays.calendar import is_workday

from . import services
from .models import Cycle, ProgressReport, ReminderLog, ReminderNotice, SupervisionItem, SupervisionTask
from .schedule import LIVE_SLOTS, before_day, opens_on, period_of, report_due


def _once(item: SupervisionItem, key: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(item=item, key=key, sent_on=today)
    except IntegrityError:
        return False
    return True


def _tell_all(item: SupervisionItem, title: str, body: str = "") -> None:
    for task in item.tasks.exclude(status__in=[SupervisionTask.Status.REASSIGNED, SupervisionTask.Status.DONE]).select_related("department", "item"):
        services._tell(task, title, body=body)


def _phase(today: datetime.date, due: datetime.date, org: int) -> str | None:
    if today > due:
        return "overdue"
    if today == due:
        return "due"
    if today >= before_day(due, organization_id=org):
        return "before"
    return None


def reminders_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"opened": 0, "report_due": 0, "report_overdue": 0, "before": 0, "due": 0, "overdue": 0, "milestones": 0}
    items = SupervisionItem.objects.filter(status__in=SupervisionItem.OPEN).select_related("responsible_leader")
    for item in items.iterator(chunk_size=500):
        org = item.organization_id
        if not is_workday(today, organization_id=org):
            continue  # nothing is opened or sent on rest days; the next working day catches up
        with transaction.atomic():
            if item.status == SupervisionItem.Status.IN_PROGRESS:
                counts["opened"] += _open_slots(item, today)
                _report_reminders(item, today, counts)
                _milestones(item, today, counts)
                _deadline(item, today, counts)
            services.refresh_light(item, today)
    return counts


def _open_slots(item: SupervisionItem, today: datetime.date) -> int:
    if item.cycle == Cycle.NONE or item.assigned_on is None:
        return 0
    start, end = period_of(item.cycle, today)
    due = report_due(start, end, organization_id=item.organization_id)
    if today < opens_on(due, organization_id=item.organization_id) or item.assigned_on >= due or due > item.deadline:
        return 0
    opened = 0
    tasks = item.tasks.filter(status__in=[SupervisionTask.Status.ACCEPTED, SupervisionTask.Status.PENDING]).select_related("department", "item")
    for task in tasks:
        _, created = ProgressReport.objects.get_or_create(
            task=task, kind=ProgressReport.Kind.PROGRESS, period_start=start,
            defaults={"item": item, "period_end": end, "due_date": due},
        )
        if created:
            opened += 1
            services._tell(task, f"请报送督办进展：{item.title}", body=f"本期（{start:%m月%d日}—{end:%m月%d日}）进展请于{due:%Y年%m月%d日}前报送。")
    if opened:
        record(actor=SYSTEM, action="supervision.report_open", target=item, after={"period": start, "due": due, "slots": opened})
    return opened


def _report_reminders(item: SupervisionItem, today: datetime.date, counts: dict[str, int]) -> None:
    slots = ProgressReport.objects.filter(item=item, status__in=LIVE_SLOTS, due_date__lte=today).select_related("task__department", "task__item")
    for slot in slots:
        assert slot.due_date is not None
        phase = "due" if slot.due_date == today else "overdue"
        if _once(item, f"report:{slot.pk}:{phase}", today):
            counts[f"report_{phase}"] += 1
            title = f"今日须报送督办进展：{item.title}" if phase == "due" else f"督办进展逾期未报：{item.title}"
            services._tell(slot.task, title, body=f"报送时限：{slot.due_date:%Y年%m月%d日}")


def _milestones(item: SupervisionItem, today: datetime.date, counts: dict[str, int]) -> None:
    for stage in item.milestones.filter(done_on__isnull=True, due_date__lte=today + datetime.timedelta(days=30)):
        phase = _phase(today, stage.due_date, item.organization_id)
        if phase and _once(item, f"milestone:{stage.pk}:{stage.due_date}:{phase}", today):
            counts["milestones"] += 1
            words = {"before": "即将到期", "due": "今日到期", "overdue": "已超期"}[phase]
            _tell_all(item, f"分阶段目标{words}：{stage.title}", body=f"{item.title}，阶段时限{stage.due_date:%Y年%m月%d日}")


def _deadline(item: SupervisionItem, today: datetime.date, counts: dict[str, int]) -> None:
    phase = _phase(today, item.deadline, item.organization_id)
    if not phase or not _once(item, f"deadline:{item.deadline}:{phase}", today):
        return
    counts[phase] += 1
    words = {"before": "即将到期", "due": "今日到期", "overdue": "已超期"}[phase]
    if phase != "overdue":  # the overdue 催办单 below tells the departments itself
        _tell_all(item, f"督办事项{words}：{item.title}", body=f"办结时限：{item.deadline:%Y年%m月%d日}")
    record(actor=SYSTEM, action="supervision.remind", target=item, after={"phase": phase, "deadline": item.deadline})
    if phase == "overdue":
        # 超期: escalate to the responsible leader and issue a 催办单 of record.
        notify(recipients=[item.responsible_leader], title=f"督办事项超期：{item.title}", body=f"办结时限{item.deadline:%Y年%m月%d日}，尚未办结。",
               url=item.get_absolute_url(), level="warning", webhook=False, subject=item)
        record(actor=SYSTEM, action="supervision.escalate", target=item, after={"leader": item.responsible_leader_id})
        services.supervision_reminder_issue(actor=SYSTEM, item=item, kind=ReminderNotice.Kind.OVERDUE)
