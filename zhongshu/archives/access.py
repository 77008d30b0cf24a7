"""Need-to-know extension: whoever files archives sees the finished 发文 (已分发/已归档) and 收文 (已办结) of
their organization — still within their clearance, which restrict() applies in any case."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm


def finished_documents(model: type, user: Any) -> Q | None:
    label = model._meta.label_lower  # type: ignore[attr-defined]
    if label not in ("outgoing.outgoingdocument", "incoming.incomingdocument") or not has_perm(user, "archives.file"):
        return None
    if label == "outgoing.outgoingdocument":
        return Q(status__in=["distributed", "filed"])
    return Q(status="closed")
