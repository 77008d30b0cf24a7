"""While an object is under review, its own module may not change it (except where the module says the
reviewers edit it, as 发文 does): registered with zhongshu.core.locks."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType


def review_lock(obj: Any) -> str | None:
    from .models import FlowInstance
    from .registry import business_type_of

    if getattr(obj, "pk", None) is None or business_type_of(obj) is None:
        return None
    running = FlowInstance.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status=FlowInstance.Status.RUNNING
    ).first()
    if running is None:
        return None
    return f"正在审批中（{running.current_step_name or '审核'}），不能修改；如需修改请先撤回。"
