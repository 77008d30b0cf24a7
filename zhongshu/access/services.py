"""知悉范围授权 (explicit grants): the security administrator widens need-to-know for one object."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError

from .models import Grant
from .permissions import has_perm
from .policy import policy_for


def secured_models() -> list[type[models.Model]]:
    """Every business model that goes through restrict() (has a registered policy)."""
    return [m for m in apps.get_models() if policy_for(m) is not None and hasattr(m._default_manager, "restrict")]


def grant_create(
    *,
    actor,
    content_type: ContentType,
    object_id: int,
    user=None,
    department=None,
    reason: str,
    expires_on: datetime.date | None = None,
) -> Grant:
    """授权: one person or one department may see one object (never above their clearance)."""
    if not has_perm(actor, "security.manage"):
        raise PermissionDenied()
    model = content_type.model_class()
    if model is None or model not in secured_models():
        raise ServiceError("该类型的对象不能授权。", fields={"content_type": "该类型的对象不能授权。"})
    obj = model._default_manager.filter(pk=object_id).first()
    policy_ = policy_for(model)
    if obj is None or policy_ is None or getattr(obj, f"{policy_.organization_field}_id", None) != actor.organization_id:
        raise NotFound("找不到该对象，请核对编号。", fields={"object_id": "找不到该对象。"})
    if (user is None) == (department is None):
        raise ServiceError("请指定一名人员或一个部门（二选一）。", fields={"user": "请指定一名人员或一个部门（二选一）。"})
    policy: Any = policy_for(model)
    org_field = policy.organization_field
    org_id = getattr(obj, f"{org_field}_id")
    grantee_org = user.organization_id if user is not None else department.organization_id
    if grantee_org != org_id:
        raise ServiceError("只能授权给该对象所属机关的人员或部门。", fields={"user": "只能授权给本机关的人员或部门。"})
    level = int(getattr(obj, policy.classification_field))
    if user is not None and user.max_classification < level:
        raise ServiceError(
            f"{user.display_name}的涉密等级不足以阅读{Classification(level).label}内容，授权无效。",
            fields={"user": "涉密等级不足，授权不能突破密级。"},
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写授权事由。", fields={"reason": "请填写授权事由。"})
    expires_at = None
    if expires_on is not None:
        if expires_on < timezone.localdate():
            raise ServiceError("有效期不能早于今天。", fields={"expires_on": "有效期不能早于今天。"})
        expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time(23, 59, 59)))
    with transaction.atomic():
        grant = Grant.objects.create(
            content_type=content_type, object_id=obj.pk, user=user, department=department, reason=reason[:200],
            granted_by=actor, expires_at=expires_at,
        )
        record(
            actor=actor, action="access.grant_create", target=obj,
            after={"user": getattr(user, "pk", None), "department": getattr(department, "pk", None), "expires_at": expires_at},
            note=reason[:300],
        )
    return grant


def grant_revoke(*, actor, grant: Grant) -> None:
    """撤销授权 (the row is removed; the audit trail keeps who granted and who revoked)."""
    if not has_perm(actor, "security.manage"):
        raise PermissionDenied()
    with transaction.atomic():
        target = grant.content_type.get_object_for_this_type(pk=grant.object_id) if grant.content_type.model_class() else None
        record(
            actor=actor, action="access.grant_revoke", target=target,
            before={"user": grant.user_id, "department": grant.department_id, "reason": grant.reason},
        )
        grant.delete()
