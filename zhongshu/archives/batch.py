"""Year-end batch filing (年终集中归档): a job files every finished, unfiled 发文/收文 of a year, storing its
progress in FilingBatch (the page polls it) and a report of what could not be filed and why."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.jobs import enqueue
from zhongshu.org.models import User

from .models import FilingBatch
from .services import _require_settings, item_file_incoming, item_file_outgoing


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


def batch_run(batch_id: int) -> str:
    batch = FilingBatch.objects.select_related("started_by").get(pk=batch_id)
    if batch.status != FilingBatch.Status.QUEUED:
        return "已处理"
    actor = batch.started_by
    outgoing = list(unfiled_outgoing(actor, batch.year).order_by("issue_date", "pk"))
    incoming = list(unfiled_incoming(actor, batch.year).order_by("received_on", "pk"))
    FilingBatch.objects.filter(pk=batch.pk).update(status=FilingBatch.Status.RUNNING, total=len(outgoing) + len(incoming))
    report: list[dict] = []
    filed = processed = 0
    try:
        for kind, docs, fn in (("发文", outgoing, item_file_outgoing), ("收文", incoming, item_file_incoming)):
            for doc in docs:
                try:
                    fn(actor=actor, document=doc)
                    filed += 1
                except ServiceError as exc:
                    report.append({"type": kind, "id": doc.pk, "title": doc.title, "reason": exc.message})
                except Exception as exc:  # a broken file must not stop the year's filing: reported, next one
                    report.append({"type": kind, "id": doc.pk, "title": doc.title, "reason": f"系统错误：{exc}"[:300]})
                processed += 1
                FilingBatch.objects.filter(pk=batch.pk).update(processed=processed, filed=filed, report=report)
        status = FilingBatch.Status.DONE
    except Exception as exc:
        report.append({"type": "", "id": None, "title": "", "reason": f"任务中断：{exc}"[:300]})
        status = FilingBatch.Status.FAILED
    FilingBatch.objects.filter(pk=batch.pk).update(status=status, report=report, processed=processed, filed=filed, finished_at=timezone.now())
    with transaction.atomic():
        record(actor=actor, action="archives.batch_done", target=batch, after={"filed": filed, "failed": len(report)})
    return f"归档 {filed} 件，未归档 {len(report)} 件"
