"""承办单位 — a unit that receives a part of someone else's work: an internal department (内设机构, of this or of
another organization on the platform) or a whole organization on the platform (a county bureau, a township).

One rule, used by 收文 承办 (`zhongshu/incoming`) and 督办 tasks (`zhongshu/supervision`), for

- who **signs for** a unit's part (签收, 交办/转交 to a person): a department's 负责人 and its 部门联络员; an
  organization's 主要负责人 and its 联络员 (people of that organization with the liaison role);
- who is **told** about it (`contacts`): the person it was handed to, else the signers;
- who **acts** on it (`acts_q`, for the row filter): the person it was handed to and the signers.

Nothing here writes; modules ask, then check classification (`Policy.require_receivers`) themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Department, Organization, User
from .roles import Role

LIAISON = Role.LIAISON.value


def unit_label(*, department: Department | None = None, organization: Organization | None = None,
               home_organization_id: int | None = None) -> str:
    """How a unit is named to the office that sent the work: 综合科, 县发改局·办公室, 县发改局."""
    if organization is not None:
        return organization.short_name or organization.name
    if department is None:
        return ""
    if department.organization_id == home_organization_id:
        return department.name
    return f"{department.organization.short_name}·{department.name}"


def signers(*, department: Department | None = None, organization: Organization | None = None) -> list[User]:
    """The people who sign for a unit's part (active, not 三员), head/principal first."""
    people: list[User] = []
    base = User.objects.filter(is_active=True, admin_role="")
    if department is not None:
        if department.head_id:
            people += list(base.filter(pk=department.head_id))
        people += list(base.filter(memberships__department_id=department.pk, role_assignments__role=LIAISON).distinct().order_by("id"))
    elif organization is not None:
        if organization.principal_id:
            people += list(base.filter(pk=organization.principal_id, organization_id=organization.pk))
        people += list(base.filter(organization_id=organization.pk, role_assignments__role=LIAISON).distinct().order_by("id"))
    return list(dict.fromkeys(people))


def contacts(*, department: Department | None = None, organization: Organization | None = None,
             assignee: User | None = None, fallback_members: bool = False) -> list[User]:
    """Who hears about a unit's part: the person it was handed to, else its signers (else, when asked, every active
    member of the department — 督办 tells someone rather than no one)."""
    if assignee is not None:
        return [assignee] if assignee.is_active else []
    people = signers(department=department, organization=organization)
    if not people and fallback_members and department is not None:
        people = list(User.objects.filter(memberships__department_id=department.pk, is_active=True, admin_role="").distinct())
    return people


def signs_for(user: Any, *, department: Department | None = None, organization: Organization | None = None) -> bool:
    """May `user` sign for (签收, hand on) this unit's part?"""
    if user is None or not getattr(user, "is_authenticated", False) or bool(getattr(user, "admin_role", "")):
        return False
    if department is not None:
        return department.head_id == user.pk or (LIAISON in user.role_set and department.pk in user.department_ids)
    if organization is not None:
        return user.organization_id == organization.pk and (organization.principal_id == user.pk or LIAISON in user.role_set)
    return False


def members(*, department: Department | None = None, organization: Organization | None = None) -> QuerySet[User]:
    """Whom a unit may hand its part to: the department's members, or the organization's people."""
    base = User.objects.filter(is_active=True, admin_role="")
    if department is not None:
        return base.filter(memberships__department_id=department.pk).distinct()
    if organization is not None:
        return base.filter(organization_id=organization.pk)
    return base.none()


def is_member(user: Any, *, department: Department | None = None, organization: Organization | None = None) -> bool:
    if department is not None:
        return department.pk in user.department_ids
    if organization is not None:
        return user.organization_id == organization.pk
    return False


def acts_q(user: Any, *, department: str = "department", organization: str | None = None, assignee: str = "assignee") -> Q:
    """A filter on rows that carry a unit (`department` and/or `organization` foreign keys) and an `assignee`: the
    rows whose part `user` acts for — handed to him, or he signs for the unit."""
    q = Q(**{f"{assignee}_id": user.pk}) | Q(**{f"{department}__head_id": user.pk})
    if LIAISON in user.role_set and user.department_ids:
        q |= Q(**{f"{department}_id__in": user.department_ids})
    if organization is not None and user.organization_id is not None:
        mine = Q(**{f"{organization}_id": user.organization_id})
        if LIAISON in user.role_set:
            q |= mine
        else:
            q |= mine & Q(**{f"{organization}__principal_id": user.pk})
    return q
