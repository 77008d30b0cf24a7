"""The single row-level restriction: `Model.objects.restrict(user, action)`.

Applied in SQL, in this order: the role permission for the action, the user's organization, the
classification ceiling (密级 ≤ the user's clearance), and need-to-know (知悉范围: the read scope of the model's
policy — zhongshu/access/policy.py — OR an unexpired explicit grant). Lists, detail pages, search, workbench counts,
exports, attachment downloads and the API all call it; a filtered-out object answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .permissions import has_perm


def grants_q(model: type[models.Model], user: Any, action: str) -> Q:
    from .models import Grant

    ct = ContentType.objects.get_for_model(model)
    now = timezone.now()
    grantee = Q(user_id=user.pk)
    if user.department_ids:
        grantee |= Q(department_id__in=user.department_ids)
    ids = Grant.objects.filter(grantee, content_type=ct, action__in={action, "view"} if action == "view" else {action}).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return Q(pk__in=ids.values("object_id"))


# Extra need-to-know sources that apply to every model: e.g. the flow engine lets the people who hold or
# held a work item on an object read that object. Each returns a Q on the model's pk, or None.
NEED_TO_KNOW_EXTENSIONS: list[Callable[[type[models.Model], Any], Q | None]] = []


def register_need_to_know(fn: Callable[[type[models.Model], Any], Q | None]) -> None:
    if fn not in NEED_TO_KNOW_EXTENSIONS:
        NEED_TO_KNOW_EXTENSIONS.append(fn)


def restrict(qs: models.QuerySet, user: Any, action: str = "view") -> models.QuerySet:
    from .policy import policy_for

    model = qs.model
    policy = policy_for(model)
    if policy is None:
        raise TypeError(f"{model.__name__} 未登记访问策略（policy.py），不能用于业务查询")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if not has_perm(user, f"{policy.area}.view") or (action != "view" and not has_perm(user, f"{policy.area}.{action}")):
        return qs.none()
    if user.organization_id is None:
        return qs.none()
    knows = policy.need_to_know(user) | grants_q(model, user, "view")
    for extension in NEED_TO_KNOW_EXTENSIONS:
        extra = extension(model, user)
        if extra is not None:
            knows |= extra
    q = Q(**{policy.organization_field: user.organization_id}) & knows
    outside = policy.cross_organization(user)
    if outside is not None:
        q |= outside
    return qs.filter(q & Q(**{f"{policy.classification_field}__lte": int(user.max_classification)}))


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> models.QuerySet:
        return restrict(self, user, action)
