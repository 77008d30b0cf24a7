"""拟办 names the leaders the document goes to for 批示, and the order (the office director proposes, e.g. 分管副县长
then 县长); the 批示 step whose rule is “由业务单据指定” reads them through `IncomingSubject.assignees`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.org.models import User

from ..models import IncomingDocument

MAX_LEADERS = 5


def incoming_propose_leaders(*, actor: User, document: IncomingDocument, leaders: Iterable[User]) -> IncomingDocument:
    """Save the ordered leaders (empty: back to the default 分管领导). Only whoever holds the document at 拟办/批示."""
    from .handling import _holds_flow_item

    people = list(dict.fromkeys(p for p in leaders if p is not None))
    if len(people) > MAX_LEADERS:
        raise ServiceError(f"最多依次送 {MAX_LEADERS} 位领导批示。", fields={"leaders": f"最多 {MAX_LEADERS} 位。"})
    bad = [p.display_name for p in people if p.organization_id != document.organization_id or not p.is_active or p.admin_role]
    if bad:
        msg = "以下人员不能批示本机关的收文：" + "、".join(bad)
        raise ServiceError(msg, fields={"leaders": msg})
    if any(p.pk == actor.pk for p in people):
        raise ServiceError("不能把收文送给自己批示。", fields={"leaders": "不能送给自己批示。"})
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != IncomingDocument.Status.HANDLING:
            raise Conflict("只有拟办、批示过程中的收文可以确定送批领导。")
        if not _holds_flow_item(actor, doc):
            raise PermissionDenied("只有正在拟办或批示该文的人员可以确定送批领导。")
        ids = [p.pk for p in people]
        if ids == list(doc.proposed_leaders or []):
            return doc
        before = {"leaders": list(doc.proposed_leaders or [])}
        doc.proposed_leaders = ids
        doc.save(update_fields=["proposed_leaders"])
        record(actor=actor, action="incoming.propose_leaders", target=doc, before=before,
               after={"leaders": ids, "names": [p.display_name for p in people]})
    document.proposed_leaders = ids
    return doc
