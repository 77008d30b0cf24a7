"""Reads of the access app that people see: the grants list of the security administrator."""

from __future__ import annotations

from typing import Any

from .models import Grant
from .policy import label_for, policy_for


def grant_rows(user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Grants on objects of the user's organization. The security administrator manages need-to-know but reads no
    business content: each object is named by its policy's redacted line (level, kind, and a 文号 where the module
    shows one), never by its title."""
    rows = []
    for g in Grant.objects.select_related("content_type", "user", "department", "granted_by").order_by("-created_at")[:limit]:
        model = g.content_type.model_class()
        obj = model._default_manager.filter(pk=g.object_id).first() if model else None
        policy = policy_for(model) if model else None
        if obj is not None and policy is not None:
            if getattr(obj, f"{policy.organization_field}_id", None) != user.organization_id:
                continue
            shown = label_for(user, obj, with_number=True)
        else:
            shown = "（已不存在）"
        rows.append({"grant": g, "shown": shown, "type": model._meta.verbose_name if model else g.content_type.model})
    return rows
