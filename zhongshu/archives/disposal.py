"""鉴定 and 销毁 (appraisal and destruction) of items whose 保管期限 has ended.

《机关档案管理规定》: expired records are appraised; those still of value get a new period; those to be
destroyed go on a 档案销毁清册, approved by the head (机关负责人), destroyed under at least two supervisors
(监销人) who sign it; the register is kept permanently. Destroyed items keep their catalogue line; their files
are overwritten and then deleted.
"""

from __future__ import annotations

import datetime
import os

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.sequences import next_serial
from zhongshu.org.models import User

from .models import Appraisal, ArchiveItem, Destruction, DestructionLine, DestructionSequence, FileDisposal
from .services import _require_settings


def expired_items(user: User, today: datetime.date | None = None) -> QuerySet[ArchiveItem]:
    """Items whose period has ended and that still wait for an appraisal decision (鉴定)."""
    if not has_perm(user, "archives.manage"):
        return ArchiveItem.objects.none()
    today = today or timezone.localdate()
    return ArchiveItem.objects.restrict(user).filter(status=ArchiveItem.Status.FILED, expires_on__isnull=False, expires_on__lt=today)


def item_appraise(*, actor: User, item: ArchiveItem, decision: str, opinion: str, new_years: int | None = None) -> Appraisal:
    """鉴定: keep (the period is extended by `new_years`) or mark for destruction."""
    if not has_perm(actor, "archives.manage") or actor.organization_id != item.organization_id:
        raise PermissionDenied()
    opinion = (opinion or "").strip()
    if not opinion:
        raise ServiceError("请填写鉴定意见。", fields={"opinion": "请填写鉴定意见。"})
    if decision not in Appraisal.Decision.values:
        raise ServiceError("鉴定结论只能是继续保存或拟销毁。", fields={"decision": "结论无效。"})
    years = None
    if decision == Appraisal.Decision.KEEP:
        try:
            years = int(new_years)  # type: ignore[arg-type]
            if not 1 <= years <= 50:
                raise ValueError
        except (TypeError, ValueError):
            raise ServiceError("继续保存须填写延长年限（1～50 年）。", fields={"new_years": "请填写 1～50 的年限。"})
    with transaction.atomic():
        row = ArchiveItem.objects.select_for_update().get(pk=item.pk)
        today = timezone.localdate()
        if row.status != ArchiveItem.Status.FILED or row.expires_on is None or row.expires_on >= today:
            raise Conflict("只有保管期满、尚未鉴定的档案可以鉴定。")
        appraisal = Appraisal.objects.create(item=row, decision=decision, new_years=years, opinion=opinion[:300], decided_by=actor)
        before = {"status": row.status, "expires_on": row.expires_on}
        if years is not None:
            row.expires_on = datetime.date(today.year + years, 12, 31)
        else:
            row.status = ArchiveItem.Status.TO_DESTROY
        row.save(update_fields=["expires_on", "status"])
        record(actor=actor, action="archives.appraise", target=row, before=before, after={"status": row.status, "expires_on": row.expires_on}, note=opinion)
    return appraisal


def destruction_create(*, actor: User, items: list[ArchiveItem], reason: str) -> Destruction:
    """编制销毁清册 from items appraised “拟销毁”; each item can be on one register only."""
    if not has_perm(actor, "archives.manage") or actor.organization_id is None:
        raise PermissionDenied()
    _require_settings(actor.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写销毁理由。", fields={"reason": "请填写销毁理由。"})
    if not items:
        raise ServiceError("请选择拟销毁的档案。", fields={"items": "请选择拟销毁的档案。"})
    with transaction.atomic():
        rows = list(ArchiveItem.objects.select_for_update().filter(pk__in=[i.pk for i in items], organization_id=actor.organization_id).order_by("archival_code"))
        if len(rows) != len({i.pk for i in items}) or any(r.status != ArchiveItem.Status.TO_DESTROY for r in rows):
            raise Conflict("只有经鉴定为“拟销毁”的本机关档案可以列入销毁清册。")
        if DestructionLine.objects.filter(item__in=rows).exists():
            raise Conflict("所选档案已列入其他销毁清册。")
        year = timezone.localdate().year
        serial = next_serial(DestructionSequence, organization_id=actor.organization_id, year=year)
        d = Destruction.objects.create(organization_id=actor.organization_id, year=year, serial=serial, reason=reason[:300], created_by=actor)
        for n, r in enumerate(rows, start=1):
            DestructionLine.objects.create(destruction=d, item=r, order=n, archival_code=r.archival_code, title=r.title, year=r.year,
                                           retention=r.retention, pages=r.pages, classification=r.classification)
        record(actor=actor, action="archives.destruction_create", target=d, after={"items": [r.archival_code for r in rows]}, note=reason)
        settings = _require_settings(actor.organization_id)
        heads = User.objects.filter(organization_id=actor.organization_id, is_active=True, role_assignments__role=settings.destruction_approver_role)
        from zhongshu.notify.services import notify

        notify(recipients=list(heads), title=f"{d}待批准", body=f"共 {len(rows)} 件，理由：{reason[:100]}", url=d.get_absolute_url())
    return d


def _require_cleared(actor: User, d: Destruction) -> None:
    if d.lines.filter(classification__gt=int(actor.max_classification)).exists():
        raise PermissionDenied("清册中有超出您涉密等级的档案，不能办理。")


def destruction_approve(*, actor: User, destruction: Destruction) -> Destruction:
    """机关负责人批准 (the role is a setting: 领导 by default)."""
    settings = _require_settings(destruction.organization_id)
    if actor.organization_id != destruction.organization_id or settings.destruction_approver_role not in actor.role_set:
        raise PermissionDenied("销毁清册须由机关负责人批准。")
    with transaction.atomic():
        d = Destruction.objects.select_for_update().get(pk=destruction.pk)
        if d.status != Destruction.Status.DRAFT:
            raise Conflict("该清册已批准或已销毁。")
        _require_cleared(actor, d)
        d.status, d.approved_by, d.approved_at = Destruction.Status.APPROVED, actor, timezone.now()
        d.save(update_fields=["status", "approved_by", "approved_at"])
        record(actor=actor, action="archives.destruction_approve", target=d)
    return d


def _shred(name: str) -> None:
    """Overwrite the stored file with zeros, flush it to disk, then delete it (清除剩余信息)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # a remote storage cannot be overwritten in place; delete only
        default_storage.delete(name)
        return
    if os.path.exists(path):
        size = os.path.getsize(path)
        with open(path, "r+b") as fh:
            chunk = b"\0" * 65536
            left = size
            while left > 0:
                fh.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.remove(path)


def destruction_execute(*, actor: User, destruction: Destruction, supervisors: list[User]) -> Destruction:
    """销毁: after approval, under two distinct supervisors (监销人); items keep their catalogue line, their files
    are overwritten and deleted, and each removal is written into the register."""
    if not has_perm(actor, "archives.manage") or actor.organization_id != destruction.organization_id:
        raise PermissionDenied()
    people = {s.pk: s for s in supervisors if s is not None}
    if len(people) < 2:
        raise ServiceError("销毁须有两名不同的监销人。", fields={"supervisors": "请选择两名不同的监销人。"})
    if any(s.organization_id != destruction.organization_id or not s.is_active for s in people.values()):
        raise ServiceError("监销人须为本机关在岗人员。", fields={"supervisors": "监销人须为本机关在岗人员。"})
    s1, s2 = list(people.values())[:2]
    to_remove: list[str] = []
    with transaction.atomic():
        d = Destruction.objects.select_for_update().get(pk=destruction.pk)
        _require_cleared(actor, d)
        if d.status != Destruction.Status.APPROVED:
            raise Conflict("清册须经机关负责人批准后才能销毁。" if d.status == Destruction.Status.DRAFT else "该清册已经销毁。")
        now = timezone.now()
        for line in d.lines.select_related("item"):
            item = ArchiveItem.objects.select_for_update().get(pk=line.item_id)
            for f in item.files.all():
                FileDisposal.objects.create(line=line, name=f.name, sha256=f.sha256, size=f.size)
                to_remove.append(str(f.file.name))
                f.delete()
            item.status, item.destroyed_at = ArchiveItem.Status.DESTROYED, now
            item.note = (f"已销毁，见{d}" + (f"；{item.note}" if item.note else ""))[:200]
            item.save(update_fields=["status", "destroyed_at", "note"])
        d.status, d.supervisor1, d.supervisor2, d.executed_by, d.executed_at = Destruction.Status.DONE, s1, s2, actor, now
        d.save(update_fields=["status", "supervisor1", "supervisor2", "executed_by", "executed_at"])
        record(actor=actor, action="archives.destruction_execute", target=d, after={"supervisors": [s1.pk, s2.pk], "items": d.lines.count()})

        def shred_all() -> None:
            for name in to_remove:
                _shred(name)

        transaction.on_commit(shred_all)
    return d
