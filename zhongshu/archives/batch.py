"""Year-end batch filing (年终集中归档): a job files every finished, unfiled 发文/收文 of a year, storing its
progress in FilingBatch (the page polls it) and a report of what could not be filed and why."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.faults import fault
from zhongshu.core.jobs import enqueue
from zhongshu.org.models import User

from .models import FilingBatch
from .services import _require_settings, item_file_incoming, item_file_outgoing

log = logging.getLogger(__name__)


def unfiled_outgoing(user: User, year: int | None = None):
    from zhongshu.outgoing.models import OutgoingDocument

    finished = [OutgoingDocument.Status.DISTRIBUTED, OutgoingDocument.Status.FILED]
    qs = OutgoingDocument.objects.restrict(user).filter(status__in=finished, archive_item__isnull=True)
    return qs.filter(issue_date__year=year) if year else qs


def unfiled_incoming(user: User, year: int | None = None):
    from zhongshu.incoming.models import IncomingDocument

    qs = IncomingDocument.objects.restrict(user).filter(status="closed", archive_item__isnull=True)
    if year:
        qs = qs.filter(Q(received_on__year=year) | Q(received_on__isnull=True, created_at__year=year))
    return qs


def batch_start(*, actor: User, year: int) -> FilingBatch:
    """Queue the batch; the worker (inline in tests and single-process tools) runs `batch_run` after commit."""
    if not has_perm(actor, "archives.file") or actor.organization_id is None:
        raise PermissionDenied()
    _require_settings(actor.organization_id)
    try:
        year = int(year)
        if not 1990 <= year <= timezone.localdate().year:
            raise ValueError
    except (TypeError, ValueError):
        raise ServiceError("年度无效。", fields={"year": f"请填写 1990～{timezone.localdate().year} 之间的年度。"})
    with transaction.atomic():
        if FilingBatch.objects.filter(organization_id=actor.organization_id, status__in=[FilingBatch.Status.QUEUED, FilingBatch.Status.RUNNING]).exists():
            raise Conflict("已有一个集中归档任务在进行，请等它完成。")
        batch = FilingBatch.objects.create(organization_id=actor.organization_id, year=year, started_by=actor)
        record(actor=actor, action="archives.batch_start", target=batch, after={"year": year})
        transaction.on_commit(lambda: enqueue("zhongshu.archives.batch.batch_run", batch.pk))
    return batch


def _owner_alive(owner: str) -> bool:
    """Is the lease holder still running? Known only for a process on this host (a dead pid frees the lease at
    once); one on another host holds it until lease_until."""
    host, _, rest = owner.partition(":")
    if host != socket.gethostname():
        return True
    try:
        pid = int(rest.partition(":")[0])
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True
    return True


def _lease_seconds() -> int:
    return max(5, int(getattr(settings, "JOB_LEASE_SECONDS", 60)))


def _claim(batch_id: int, me: str) -> FilingBatch | None:
    """Take the batch for this run unless it is finished or another live worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        batch = FilingBatch.objects.select_for_update().select_related("started_by").get(pk=batch_id)
        if batch.status not in (FilingBatch.Status.QUEUED, FilingBatch.Status.RUNNING):
            return None
        if batch.lease_owner and batch.lease_until and batch.lease_until > now and _owner_alive(batch.lease_owner):
            return None
        batch.status, batch.lease_owner = FilingBatch.Status.RUNNING, me
        batch.lease_until = now + datetime.timedelta(seconds=_lease_seconds())
        batch.save(update_fields=["status", "lease_owner", "lease_until"])
    return batch


def batch_run(batch_id: int) -> str:
    """The job. Resumable and exactly-once: each document is filed in one transaction together with the batch's
    progress (processed, filed, report) under the batch's row lock, and only by the lease holder; a run after a
    crash (re-delivered job, `recover`) skips what is filed or already reported and goes on from there."""
    batch = FilingBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status in (FilingBatch.Status.DONE, FilingBatch.Status.FAILED):
        return "已处理"
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    claimed = _claim(batch_id, me)
    if claimed is None:
        return "已处理" if FilingBatch.objects.filter(pk=batch_id, status__in=[FilingBatch.Status.DONE, FilingBatch.Status.FAILED]).exists() \
            else "正由另一后台进程处理"
    batch = claimed
    actor = batch.started_by
    reported = {(r.get("type"), r.get("id")) for r in batch.report}
    todo = [("发文", doc, item_file_outgoing) for doc in unfiled_outgoing(actor, batch.year).order_by("issue_date", "pk")]
    todo += [("收文", doc, item_file_incoming) for doc in unfiled_incoming(actor, batch.year).order_by("received_on", "pk")]
    todo = [t for t in todo if (t[0], t[1].pk) not in reported]
    FilingBatch.objects.filter(pk=batch.pk, lease_owner=me).update(total=batch.processed + len(todo))
    try:
        for kind, doc, fn in todo:
            if not _file_one(batch.pk, me, kind, doc, fn, actor):
                return "租约已被接管，停止"
            fault("archives.batch.item")
        status = FilingBatch.Status.DONE
        note = ""
    except Exception as exc:  # the database went away etc.: recorded; the batch can be started again
        log.exception("batch %s interrupted", batch_id)
        status, note = FilingBatch.Status.FAILED, f"任务中断：{exc}"[:300]
    with transaction.atomic():
        batch = FilingBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.lease_owner != me or batch.status != FilingBatch.Status.RUNNING:
            return "租约已被接管，停止"
        if note:
            batch.report = [*batch.report, {"type": "", "id": None, "title": "", "reason": note}]
        batch.status, batch.finished_at, batch.lease_owner, batch.lease_until = status, timezone.now(), "", None
        batch.total = max(batch.total, batch.processed)
        batch.save(update_fields=["status", "finished_at", "lease_owner", "lease_until", "report", "total"])
        failed = len(batch.report)
        record(actor=actor, action="archives.batch_done", target=batch, after={"filed": batch.filed, "failed": failed})
    return f"归档 {batch.filed} 件，未归档 {failed} 件"


def _file_one(batch_id: int, me: str, kind: str, doc, fn, actor: User) -> bool:
    """File one document and count it in the same transaction; False when this run has lost its lease."""
    with transaction.atomic():
        batch = FilingBatch.objects.select_for_update().get(pk=batch_id)
        if batch.lease_owner != me:
            return False
        if type(doc).objects.filter(pk=doc.pk, archive_item__isnull=False).exists():
            return True  # filed meanwhile (by hand): not this batch's, not counted twice
        try:
            with transaction.atomic():
                fn(actor=actor, document=doc)
            batch.filed += 1
        except ServiceError as exc:
            batch.report = [*batch.report, {"type": kind, "id": doc.pk, "title": doc.title, "reason": exc.message}]
        except Exception as exc:  # a broken file must not stop the year's filing: reported, next one
            batch.report = [*batch.report, {"type": kind, "id": doc.pk, "title": doc.title, "reason": f"系统错误：{exc}"[:300]}]
        batch.processed += 1
        batch.total = max(batch.total, batch.processed)
        batch.lease_until = timezone.now() + datetime.timedelta(seconds=_lease_seconds())
        batch.save(update_fields=["filed", "report", "processed", "total", "lease_until"])
        fault("archives.batch.in_tx")
    return True


def recover() -> int:
    """Recovery (run by the worker supervisor at start and every minute): queue again every unfinished batch whose
    runner is gone — its job was lost with a killed worker (a Redis queue does not re-deliver) or is waiting for the
    queue's retry. A second delivery is harmless: the lease lets one run at a time."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=_lease_seconds())
    count = 0
    for batch in FilingBatch.objects.filter(status__in=[FilingBatch.Status.QUEUED, FilingBatch.Status.RUNNING]):
        if batch.lease_owner and batch.lease_until and batch.lease_until > now and _owner_alive(batch.lease_owner):
            continue
        if not batch.lease_owner and batch.created_at > stale:
            continue  # just queued: its job is on the way
        enqueue("zhongshu.archives.batch.batch_run", batch.pk)
        count += 1
    return count
