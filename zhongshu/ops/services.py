"""The one write of the 运行状态 page: retry a failed job (系统管理员, `ops.manage`)."""

from __future__ import annotations

from django.db import transaction

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import NotFound, PermissionDenied
from zhongshu.core.jobs import enqueue

from .selectors import job_label


def failed_job_retry(*, actor, task_id: str) -> str:
    """Queue the failed job again with its arguments and remove it from the failed list; returns the job's label."""
    from django_q.models import Failure
    from django_q.tasks import async_task

    if not has_perm(actor, "ops.manage"):
        raise PermissionDenied("只有系统管理员可以重试后台任务。")
    with transaction.atomic():
        failure = Failure.objects.select_for_update().filter(pk=str(task_id)[:32]).first()
        if failure is None:
            raise NotFound("该失败任务不存在或已重试。")
        label = job_label(failure.func, failure.args)
        func, args, kwargs = failure.func, list(failure.args or ()), dict(failure.kwargs or {})
        failure.delete()
        record(actor=actor, action="ops.job_retry", after={"job": label, "attempts": failure.attempt_count})
        if func == "zhongshu.core.jobs.run_job" and len(args) >= 2:  # queued by enqueue(): again through it
            transaction.on_commit(lambda: enqueue(str(args[0]), *args[2:], **kwargs))
        else:
            transaction.on_commit(lambda: async_task(func, *args, **kwargs))
    return label
