"""Job queue façade over django-q2: database broker by default (no extra server), Redis when REDIS_URL is set.

Periodic jobs are registered by apps (`register_daily`) and run by one daily task, scheduled when the
worker starts (`ensure_schedules`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
DAILY_JOBS: dict[str, str] = {}
RECOVERY_JOBS: dict[str, str] = {}


def enqueue(func_path: str, *args, **kwargs) -> str | None:
    """Run `func_path(*args)` in the worker; inline when QUEUE_SYNC (tests, single-process tools)."""
    if settings.Q_CLUSTER.get("sync"):
        import_string(func_path)(*args, **kwargs)
        return None
    from django_q.tasks import async_task

    from .context import request_id

    # Through run_job, so the job's log lines carry the id of the request that queued it.
    return async_task("zhongshu.core.jobs.run_job", func_path, request_id.get(), *args, **kwargs)


def run_job(func_path: str, rid: str, *args, **kwargs):
    """What the worker runs for `enqueue`: the function, with the queuing request's id in the log context."""
    import time
    import uuid

    from .context import request_id

    rid = rid or f"job-{uuid.uuid4().hex[:12]}"
    token = request_id.set(rid)
    started = time.monotonic()
    try:
        result = import_string(func_path)(*args, **kwargs)
    except Exception:
        log.exception("job %s failed after %.3fs", func_path, time.monotonic() - started, extra={"request_id": rid})
        raise
    else:
        log.info("job %s done in %.3fs", func_path, time.monotonic() - started, extra={"request_id": rid})
        return result
    finally:
        request_id.reset(token)


def register_daily(name: str, func_path: str) -> None:
    DAILY_JOBS[name] = func_path


def register_recovery(name: str, func_path: str) -> None:
    """A function that queues again the multi-step work whose runner died (a killed worker's job may be lost: the
    Redis queue does not re-deliver, the database queue only after Q_CLUSTER["retry"]). It must be cheap and
    harmless to call at any time; the work itself must be resumable (see archives/batch.py)."""
    RECOVERY_JOBS[name] = func_path


def recover() -> dict[str, str]:
    """Run every recovery function (the worker supervisor does, at start and every RECOVERY_SECONDS)."""
    results: dict[str, str] = {}
    for name, path in sorted(RECOVERY_JOBS.items()):
        try:
            results[name] = str(import_string(path)())
        except Exception as exc:  # one failing recovery must not stop the others nor the supervisor
            log.exception("recovery %s failed", name)
            results[name] = f"失败：{exc}"
    return results


def run_daily() -> dict[str, str]:
    """The daily reminder scan: every registered job, each isolated so one failure does not stop the rest."""
    results: dict[str, str] = {}
    for name, path in sorted(DAILY_JOBS.items()):
        try:
            fn: Callable[[], object] = import_string(path)
            results[name] = str(fn())
        except Exception as exc:  # logged and reported; the next job still runs
            log.exception("daily job %s failed", name)
            results[name] = f"失败：{exc}"
    return results


def ensure_schedules() -> None:
    """The daily reminder scan at 07:30 local time (DAILY_SCAN_HOUR/MINUTE), created once, kept if present; the audit
    anchor every AUDIT_ANCHOR_MINUTES (writes only when the chain head moved)."""
    import datetime

    from django.utils import timezone
    from django_q.models import Schedule

    hour = getattr(settings, "DAILY_SCAN_HOUR", 7)
    minute = getattr(settings, "DAILY_SCAN_MINUTE", 30)
    now = timezone.localtime()
    first = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if first <= now:
        first += datetime.timedelta(days=1)
    Schedule.objects.get_or_create(
        name="每日提醒扫描",
        defaults={"func": "zhongshu.core.jobs.run_daily", "schedule_type": Schedule.DAILY, "next_run": first, "repeats": -1},
    )
    minutes = max(1, int(getattr(settings, "AUDIT_ANCHOR_MINUTES", 10)))
    anchor, created = Schedule.objects.get_or_create(
        name="审计链锚点",
        defaults={"func": "zhongshu.audit.anchors.anchor_job", "schedule_type": Schedule.MINUTES, "minutes": minutes,
                  "next_run": now, "repeats": -1},
    )
    if not created and anchor.minutes != minutes:
        anchor.minutes = minutes
        anchor.save(update_fields=["minutes"])
    ensure_backup_schedule()


def ensure_backup_schedule() -> None:
    """The daily backup (core/backup.py) at BACKUP_HOUR:BACKUP_MINUTE, with its own time limit (a big database takes
    longer than the queue's default 120 s); removed when BACKUP_DAILY is off."""
    import datetime

    from django.utils import timezone
    from django_q.models import Schedule

    if not getattr(settings, "BACKUP_DAILY", False):
        Schedule.objects.filter(name="每日备份").delete()
        return
    now = timezone.localtime()
    first = now.replace(hour=settings.BACKUP_HOUR, minute=settings.BACKUP_MINUTE, second=0, microsecond=0)
    if first <= now:
        first += datetime.timedelta(days=1)
    Schedule.objects.update_or_create(
        name="每日备份",
        defaults={"func": "zhongshu.core.backup.scheduled_backup", "schedule_type": Schedule.DAILY, "repeats": -1,
                  "kwargs": f"q_options={{'timeout': {int(settings.BACKUP_TIMEOUT_SECONDS)}}}"},
        create_defaults={"func": "zhongshu.core.backup.scheduled_backup", "schedule_type": Schedule.DAILY, "repeats": -1,
                         "next_run": first, "kwargs": f"q_options={{'timeout': {int(settings.BACKUP_TIMEOUT_SECONDS)}}}"},
    )
