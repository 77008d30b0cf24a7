"""收文 传阅: the office circulates a document to readers one after another (依次) or all at once (同时);
everyone sees who holds it and since when, 已阅 marks and the comments of earlier readers; the office can
recall a round or take the document from one reader and give it to another. Classified documents go only to
readers cleared for them — the system refuses the others and says why."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.signals import updated
from zhongshu.org.models import User

from ..models import Circulation, CirculationSlot, IncomingDocument
from ..policy import IncomingPolicy
from .handling import _require_office, _tell


def _refusals(document: IncomingDocument, readers: Iterable[User]) -> list[str]:
    """Why each unsuitable reader cannot receive the document (empty when all can): another organization, or what
    the 收文 policy says (account disabled, one of the 三员, clearance below the document's 密级)."""
    out = []
    for r in readers:
        if r.organization_id != document.organization_id:
            out.append(f"{r.display_name}（非本机关人员）")
            continue
        reason = IncomingPolicy.clearance_refusal(r, document)
        if reason:
            out.append(reason if r.display_name in reason else f"{r.display_name}（{reason}）")
    return out


def _check_readers(document: IncomingDocument, readers: list[User], field: str = "readers") -> list[User]:
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise ServiceError("请选择阅文人。", fields={field: "请选择阅文人。"})
    bad = _refusals(document, readers)
    if bad:
        msg = "以下人员不能传阅该文：" + "；".join(bad) + "。"
        raise ServiceError(msg, fields={field: msg}, code="not_cleared")
    return readers


def circulation_start(*, actor: User, document: IncomingDocument, readers: Iterable[User], mode: str) -> Circulation:
    """传阅: a 阅件 after 初审, or any signed-in document the office wants leaders to read."""
    if mode not in Circulation.Mode.values:
        raise ServiceError("请选择传阅方式。", fields={"mode": "请选择依次传阅或同时传阅。"})
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        _require_office(actor, doc)
        if doc.status in (IncomingDocument.Status.PENDING, IncomingDocument.Status.RETURNED):
            raise Conflict("签收之前或退文之后的来文不能传阅。")
        if doc.status == IncomingDocument.Status.RECEIVED and doc.reviewed_at is None:
            raise Conflict("请先完成初审。")
        if doc.status == IncomingDocument.Status.RECEIVED and doc.kind != IncomingDocument.Kind.READ:
            raise Conflict("办件应先送拟办；阅件才能直接传阅。")
        if doc.circulations.filter(status=Circulation.Status.ACTIVE).exists():
            raise Conflict("该文正在传阅中，请等本轮传阅完毕或先收回。")
        people = _check_readers(doc, list(readers))
        circ = Circulation.objects.create(document=doc, mode=mode, started_by=actor)
        now = timezone.now()
        parallel = mode == Circulation.Mode.PARALLEL
        CirculationSlot.objects.bulk_create([
            CirculationSlot(circulation=circ, reader=r, order=i,
                            status=CirculationSlot.Status.HOLDING if parallel or i == 0 else CirculationSlot.Status.QUEUED,
                            received_at=now if parallel or i == 0 else None)
            for i, r in enumerate(people)
        ])
        updated(circ)  # bulk_create sends no post_save: derived data (the readers' 待阅) follows the round
        if doc.status == IncomingDocument.Status.RECEIVED:
            doc.status = IncomingDocument.Status.CIRCULATING
            doc.save(update_fields=["status"])
        record(actor=actor, action="incoming.circulate", target=doc, after={"mode": mode, "readers": [r.display_name for r in people]})
        _tell(doc, recipients=people if parallel else people[:1], title=f"传阅：{doc.title}", url=doc.get_absolute_url())
    return circ


def _advance(circ: Circulation, actor: User) -> None:
    """After a reader finishes or is recalled: pass the document on (依次) or end the round when all have read."""
    slots = list(circ.slots.select_for_update(of=("self",)).select_related("reader").order_by("order", "id"))
    if circ.mode == Circulation.Mode.SEQUENTIAL and not any(s.status == CirculationSlot.Status.HOLDING for s in slots):
        nxt = next((s for s in slots if s.status == CirculationSlot.Status.QUEUED), None)
        if nxt is not None:
            nxt.status, nxt.received_at = CirculationSlot.Status.HOLDING, timezone.now()
            nxt.save(update_fields=["status", "received_at"])
            _tell(circ.document, recipients=[nxt.reader], title=f"传阅：{circ.document.title}", url=circ.document.get_absolute_url())
            return
    if all(s.status in (CirculationSlot.Status.READ, CirculationSlot.Status.RECALLED) for s in slots):
        circ.status, circ.finished_at = Circulation.Status.FINISHED, timezone.now()
        circ.save(update_fields=["status", "finished_at"])
        doc = circ.document
        if doc.status == IncomingDocument.Status.CIRCULATING:
            # A 阅件 is done once everyone has read it.
            doc.status, doc.closed_at, doc.closed_by, doc.close_note = IncomingDocument.Status.CLOSED, timezone.now(), actor, "传阅完毕"
            doc.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
            record(actor=actor, action="incoming.close", target=doc, after={"status": "closed"}, note="传阅完毕")
        _tell(doc, recipients=[circ.started_by], title=f"传阅完毕：{doc.title}", url=doc.get_absolute_url())


def _lock_slot(slot: CirculationSlot) -> tuple[Circulation, CirculationSlot]:
    """Locks in one order everywhere — document, then round, then slot — so two readers finishing at once
    wait for each other instead of deadlocking."""
    circulation_id = CirculationSlot.objects.values_list("circulation_id", flat=True).get(pk=slot.pk)
    document_id = Circulation.objects.values_list("document_id", flat=True).get(pk=circulation_id)
    IncomingDocument.objects.select_for_update().get(pk=document_id)
    circ = Circulation.objects.select_for_update(of=("self",)).select_related("document").get(pk=circulation_id)
    return circ, CirculationSlot.objects.select_for_update(of=("self",)).select_related("reader").get(pk=slot.pk)


def circulation_read(*, actor: User, slot: CirculationSlot, comment: str = "") -> CirculationSlot:
    """已阅: the reader finishes, optionally with a comment that later readers see."""
    comment = (comment or "").strip()
    if len(comment) > 300:
        raise ServiceError("阅文意见不能超过 300 字。", fields={"comment": "不能超过 300 字。"})
    with transaction.atomic():
        circ, s = _lock_slot(slot)
        if s.reader_id != actor.pk:
            raise PermissionDenied("这不是您的传阅件。")
        if s.status != CirculationSlot.Status.HOLDING:
            raise Conflict(f"该传阅件当前为“{s.get_status_display()}”，请刷新。")
        s.status, s.read_at, s.comment = CirculationSlot.Status.READ, timezone.now(), comment
        s.save(update_fields=["status", "read_at", "comment"])
        record(actor=actor, action="incoming.read", target=circ.document, note=comment)
        _advance(circ, actor)
    return s


def circulation_redirect(*, actor: User, slot: CirculationSlot, to: User | None) -> CirculationSlot:
    """改送: the office takes the document from a reader who holds (or has not yet got) it and gives it to another."""
    if to is None:
        raise ServiceError("请选择改送给谁。", fields={"to": "请选择改送给谁。"})
    with transaction.atomic():
        circ, s = _lock_slot(slot)
        _require_office(actor, circ.document)
        if circ.status != Circulation.Status.ACTIVE or s.status not in (CirculationSlot.Status.HOLDING, CirculationSlot.Status.QUEUED):
            raise Conflict("只能改送尚未阅毕的传阅件。")
        if circ.slots.filter(reader=to).exists():
            raise ServiceError(f"{to.display_name}已在本轮传阅名单中。", fields={"to": "已在传阅名单中。"})
        _check_readers(circ.document, [to], field="to")
        holding = s.status == CirculationSlot.Status.HOLDING
        s.status = CirculationSlot.Status.RECALLED
        s.save(update_fields=["status"])
        new = CirculationSlot.objects.create(
            circulation=circ, reader=to, order=s.order,
            status=CirculationSlot.Status.HOLDING if holding else CirculationSlot.Status.QUEUED, received_at=timezone.now() if holding else None,
        )
        record(actor=actor, action="incoming.redirect", target=circ.document, before={"reader": s.reader.display_name}, after={"reader": to.display_name})
        if holding:
            _tell(circ.document, recipients=[s.reader], title=f"传阅件已收回：{circ.document.title}", url=circ.document.get_absolute_url())
            _tell(circ.document, recipients=[to], title=f"传阅：{circ.document.title}", url=circ.document.get_absolute_url())
    return new


def circulation_recall_active(*, actor: User, document: IncomingDocument, reason: str) -> Circulation | None:
    """收回 the active round (inside the caller's transaction): unread copies come back; the round ends."""
    circ = Circulation.objects.select_for_update(of=("self",)).filter(document=document, status=Circulation.Status.ACTIVE).first()
    if circ is None:
        return None
    open_slots = circ.slots.filter(status__in=[CirculationSlot.Status.HOLDING, CirculationSlot.Status.QUEUED])
    holders = [s.reader for s in open_slots.filter(status=CirculationSlot.Status.HOLDING).select_related("reader")]
    open_slots.update(status=CirculationSlot.Status.RECALLED)  # the inbox follows with the circulation's save below
    circ.status, circ.finished_at = Circulation.Status.RECALLED, timezone.now()
    circ.save(update_fields=["status", "finished_at"])
    record(actor=actor, action="incoming.recall", target=document, note=reason[:300])
    _tell(document, recipients=holders, title=f"传阅件已收回：{document.title}", body=reason, url=document.get_absolute_url())
    return circ


def circulation_recall(*, actor: User, document: IncomingDocument, reason: str = "") -> Circulation:
    """收回 by the office: the active round ends; a 阅件 goes back to 已签收 so it can be circulated again."""
    reason = (reason or "").strip()[:300] or "办公室收回"
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        _require_office(actor, doc)
        circ = circulation_recall_active(actor=actor, document=doc, reason=reason)
        if circ is None:
            raise Conflict("该文没有正在进行的传阅。")
        if doc.status == IncomingDocument.Status.CIRCULATING:
            doc.status = IncomingDocument.Status.RECEIVED
            doc.save(update_fields=["status"])
    return circ
