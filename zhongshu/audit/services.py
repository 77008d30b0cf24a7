"""audit.record(): the one way to write the audit trail (审计日志).

Services call it inside their own transaction so the change and its record commit together.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zhongshu.core.context import client_ip

from . import redact
from .chain import CHAIN_ALGO, GENESIS, entry_hash, is_keyed
from .models import AuditEntry, ChainHead


def _plain(value: Any) -> Any:
    """JSON-safe, deterministic representation of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named fields of an object, for before/after values. Sensitive fields (passwords, keys) must not be
    listed; the content of a classified object (title, body …) comes out as its SM3 fingerprint (decision 0008)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            out[name] = getattr(obj, f"{field.name}_id")
        else:
            out[name] = _plain(getattr(obj, name))
    if redact.is_classified(redact.subject_classification(obj)):
        out = redact.strip_content(out, redact.content_keys(type(obj)))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class Target:
    type: str
    id: str
    repr: str
    classification: int = 0
    organization_id: int | None = None


def target_of(obj: models.Model | None) -> Target | None:
    """What the trail names: type, id, 密级 — the object's own or, for a 待办事项, 借阅, attachment …, that of the
    business object it belongs to — and a description that for classified objects is metadata, never the title."""
    if obj is None:
        return None
    meta = obj._meta
    org_id = getattr(obj, "organization_id", None)
    if meta.label == "org.Organization":
        org_id = obj.pk
    level = redact.subject_classification(obj)
    if redact.is_classified(level):
        description = redact.metadata_line(level, str(meta.verbose_name), obj.pk, redact.number_of(obj))
    else:
        description = str(obj)[:200]
    return Target(type=meta.label_lower, id=str(obj.pk), repr=description, classification=level, organization_id=org_id)


def record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | Target | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    on_behalf_of: Any | None = None,
    note: str = "",
    actor_name: str | None = None,
    organization_id: int | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction (it opens one if none).

    For a target of 秘密 or above nothing that carries content is stored: content keys of before/after become
    SM3 fingerprints, the note a digest, the description a metadata line (redact.py, decision 0008)."""
    tgt = target if isinstance(target, Target) or target is None else target_of(target)
    before_v = _plain(before) if before is not None else None
    after_v = _plain(after) if after is not None else None
    if tgt is not None and redact.is_classified(tgt.classification):
        keys = redact.content_keys(redact.model_for(tgt.type))
        before_v, after_v = redact.strip_content(before_v, keys), redact.strip_content(after_v, keys)
        note = redact.note_digest(note)
        line = redact.metadata_line(tgt.classification, redact.type_label(tgt.type), tgt.id)
        if not (tgt.repr == line or tgt.repr.startswith(line + " ")):  # a Target built by hand: no free text
            tgt = Target(tgt.type, tgt.id, line, tgt.classification, tgt.organization_id)
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=(actor_name if actor_name is not None else (getattr(actor, "display_name", "") or ""))[:80],
            on_behalf_of_id=getattr(on_behalf_of, "pk", None),
            on_behalf_of_name=(getattr(on_behalf_of, "display_name", "") or "")[:80],
            organization_id=organization_id
            if organization_id is not None
            else (tgt.organization_id if tgt and tgt.organization_id else getattr(actor, "organization_id", None)),
            ip=(ip or client_ip.get() or "")[:45],
            action=action,
            target_type=tgt.type if tgt else "",
            target_id=tgt.id if tgt else "",
            target_repr=tgt.repr if tgt else "",
            classification=tgt.classification if tgt else 0,
            before=before_v,
            after=after_v,
            note=note[:300],
            hash_algo=CHAIN_ALGO,
            prev_hash=head.last_hash or GENESIS,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def record_access(*, actor: Any, obj: models.Model, kind: str) -> AuditEntry | None:
    """Record a view/print/download of a classified object (秘密 and above); others are not logged."""
    if int(getattr(obj, "classification", 0) or 0) < 2:
        return None
    return record(actor=actor, action=f"access.{kind}", target=obj)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(*, batch: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first broken, edited or missing link."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seen = 0
    keyed_seen = False
    while True:
        rows = list(AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"缺少第 {expected_seq} 条记录（可能被删除）")
            if entry.prev_hash != prev_hash:
                return VerifyResult(False, checked, entry.seq, f"第 {entry.seq} 条记录的前序摘要与上一条不符")
            if keyed_seen and not is_keyed(entry.hash_algo):
                return VerifyResult(False, checked, entry.seq, f"第 {entry.seq} 条记录改用了不带密钥的摘要（链被重新计算）")
            keyed_seen = keyed_seen or is_keyed(entry.hash_algo)
            if entry_hash(entry) != entry.hash:
                return VerifyResult(False, checked, entry.seq, f"第 {entry.seq} 条记录内容与摘要不符（可能被篡改）")
            prev_hash = entry.hash
            expected_seq += 1
            checked += 1
            last_seen = entry.seq
    head = ChainHead.objects.filter(id=1).first()
    if head and head.last_seq != last_seen:
        return VerifyResult(
            False, checked, last_seen + 1, f"链头记录到第 {head.last_seq} 条，实际只到第 {last_seen} 条（末尾记录被删除）"
        )
    if head and head.last_seq and head.last_hash != prev_hash:
        return VerifyResult(False, checked, last_seen, "链头摘要与最后一条记录不符")
    return VerifyResult(True, checked)
