"""Reads of the organization directory that users see."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhongshu.access.permissions import has_perm

from .models import Delegation, Department, ExternalOrgan, Organization, User


def people_visible_to(user: User) -> QuerySet[User]:
    """通讯录/人员: members of the user's organization; platform administrators see everyone."""
    qs = User.objects.select_related("organization", "position").prefetch_related("memberships__department")
    if has_perm(user, "org.manage") or has_perm(user, "security.manage"):
        return qs
    if not has_perm(user, "org.view_directory") or user.organization_id is None:
        return qs.none()
    return qs.filter(organization_id=user.organization_id, is_active=True)


def departments_visible_to(user: User) -> QuerySet[Department]:
    qs = Department.objects.select_related("organization", "parent", "head", "leader_in_charge")
    if has_perm(user, "org.manage"):
        return qs
    if user.organization_id is None or not has_perm(user, "org.view_directory"):
        return qs.none()
    return qs.filter(organization_id=user.organization_id)


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    if has_perm(user, "org.manage") or has_perm(user, "security.manage"):
        return Organization.objects.all()
    # Organizations on the platform are public to each other (document exchange needs their names).
    return Organization.objects.filter(is_active=True) if user.is_authenticated else Organization.objects.none()


def external_organs_visible_to(user: User) -> QuerySet[ExternalOrgan]:
    qs = ExternalOrgan.objects.select_related("platform_organization")
    if has_perm(user, "org.manage"):
        return qs
    if user.organization_id is None or not has_perm(user, "org.view_directory"):
        return qs.none()
    return qs.filter(organization_id=user.organization_id)


def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    qs = Delegation.objects.select_related("delegator", "delegate", "created_by")
    if has_perm(user, "org.manage_delegation"):
        return qs.filter(organization_id=user.organization_id) if not has_perm(user, "org.manage") else qs
    return qs.filter(Q(delegator=user) | Q(delegate=user))


def principals_of(user: User, day: datetime.date | None = None) -> list[User]:
    """Those whose pending work `user` may handle today (委托 in force)."""
    day = day or timezone.localdate()
    return [
        d.delegator
        for d in Delegation.objects.select_related("delegator").filter(
            delegate=user, revoked_at__isnull=True, start_date__lte=day, end_date__gte=day
        )
    ]


def acting_label(actor: User, principal: User | None) -> str:
    """“张三 代 李四” when acting for someone, else the actor's name."""
    if principal is None or principal.pk == actor.pk:
        return actor.display_name
    return f"{actor.display_name} 代 {principal.display_name}"
