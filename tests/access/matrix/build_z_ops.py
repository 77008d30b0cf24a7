"""运行状态 (zhongshu/ops) in the access matrix, built last: a failed background job whose error message quotes the
title of the most classified document of the world — as an exception raised while rendering or indexing it could.
The system administrator's 运行状态 page lists the job with a 重试 form (so the matrix reaches ops:retry and posts it
as every persona) but shows only the error's type: the marker must never appear on it."""

from __future__ import annotations

import uuid

from django.utils import timezone
from django_q.models import Task

from zhongshu.outgoing.models import OutgoingDocument


def build(w) -> None:
    doc = OutgoingDocument.objects.order_by("-classification", "pk").first()
    title = doc.title if doc else w.title("后台任务")
    now = timezone.now()
    Task.objects.create(
        id=uuid.uuid4().hex, name="matrix-failed-job", func="zhongshu.core.jobs.run_job",
        args=("zhongshu.search.indexing.remove_object", "", "outgoing", 0), kwargs={},
        started=now, stopped=now, success=False, attempt_count=3,
        result=f"无法生成《{title}》的版式文件 : Traceback (most recent call last):\n  ...\nValueError: 无法生成《{title}》的版式文件",
    )
