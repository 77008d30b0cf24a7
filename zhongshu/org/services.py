"""Writes for organizations, departments, positions, people, roles, clearance and delegation.

Every function validates, changes state in one transaction, and records the audit entry there too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import diff, record, snapshot
from zhongshu.core.classification import Clearance
from zhongshu.core.errors import PermissionDenied, ServiceError

from . import creditcode
from .models import (
    Delegation,
    Department,
    ExternalOrgan,
    Membership,
    Organization,
    Position,
    RoleAssignment,
    User,
)
from .roles import AdminRole, Role

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,29}$")
USER_FIELDS = ("username", "real_name", "organization", "position", "phone", "email", "is_active")
DEPARTMENT_FIELDS = ("name", "code", "parent", "head", "leader_in_charge", "order", "is_active")


def _require(actor: User | None, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise PermissionDenied()


def _clean_text(value: str | None, field: str, label: str, *, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(value) > max_len:
        raise ServiceError(f"{label}不能超过 {max_len} 个字符。", fields={field: f"{label}不能超过 {max_len} 个字符。"})
    return value


# ---- organizations ---------------------------------------------------------------------------
def organization_create(
    *, actor: User | None, name: str, short_name: str, code: str, doc_prefix: str = "", fonds_code: str = "", order: int = 100
) -> Organization:
    """新建机关单位."""
    _require(actor, "org.manage")
    name = _clean_text(name, "name", "机关名称", max_len=100)
    short_name = _clean_text(short_name, "short_name", "简称", max_len=40)
    code = _clean_text(code, "code", "机构代码", max_len=40)
    if creditcode.looks_like(code):  # the 18-character 统一社会信用代码, kept in upper case
        code = code.upper()
        if (why := creditcode.problem(code)) is not None:
            raise ServiceError(why, fields={"code": why})
    elif not re.fullmatch(r"[a-z0-9-]+", code):
        msg = "机构代码应为 18 位统一社会信用代码，或小写字母、数字和连字符（如 xfgj）。"
        raise ServiceError(msg, fields={"code": msg})
    if fonds_code and not re.fullmatch(r"[A-Za-z0-9]{4}", fonds_code):
        raise ServiceError("全宗号应为 4 位字母或数字。", fields={"fonds_code": "全宗号应为 4 位字母或数字。"})
    if Organization.objects.filter(name=name).exists():
        raise ServiceError("已有同名机关。", fields={"name": "已有同名机关。"})
    if Organization.objects.filter(code=code).exists():
        raise ServiceError("机构代码已被使用。", fields={"code": "机构代码已被使用。"})
    with transaction.atomic():
        org = Organization.objects.create(
            name=name, short_name=short_name, code=code, doc_prefix=doc_prefix.strip(), fonds_code=fonds_code, order=order
        )
        record(actor=actor, action="org.organization_create", target=org, after=snapshot(org, ("name", "code", "doc_prefix", "fonds_code")))
    return org


def organization_update(*, actor: User | None, organization: Organization, **changes) -> Organization:
    """修改机关单位信息 (名称、简称、机关代字、全宗号、主要负责人)."""
    _require(actor, "org.manage")
    fields = ("name", "short_name", "doc_prefix", "fonds_code", "principal", "order", "is_active")
    before = snapshot(organization, fields)
    for key, value in changes.items():
        if key not in fields:
            raise ServiceError(f"不能修改字段 {key}。", fields={key: "不能修改此字段。"})
        setattr(organization, key, value)
    organization.name = _clean_text(organization.name, "name", "机关名称", max_len=100)
    if organization.fonds_code and not re.fullmatch(r"[A-Za-z0-9]{4}", organization.fonds_code):
        raise ServiceError("全宗号应为 4 位字母或数字。", fields={"fonds_code": "全宗号应为 4 位字母或数字。"})
    if organization.principal_id and not User.objects.filter(pk=organization.principal_id, organization_id=organization.pk).exists():
        raise ServiceError("主要负责人必须是本机关人员。", fields={"principal": "主要负责人必须是本机关人员。"})
    if Organization.objects.filter(name=organization.name).exclude(pk=organization.pk).exists():
        raise ServiceError("已有同名机关。", fields={"name": "已有同名机关。"})
    with transaction.atomic():
        organization.save()
        b, a = diff(before, snapshot(organization, fields))
        record(actor=actor, action="org.organization_update", target=organization, before=b, after=a)
    return organization


# ---- departments -----------------------------------------------------------------------------
def _check_department_people(dept: Department) -> None:
    for field, label in (("head", "负责人"), ("leader_in_charge", "分管领导")):
        person = getattr(dept, field)
        if person is not None and person.organization_id != dept.organization_id:
            raise ServiceError(f"{label}必须是本机关人员。", fields={field: f"{label}必须是本机关人员。"})


def department_create(
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    code: str,
    parent: Department | None = None,
    head: User | None = None,
    leader_in_charge: User | None = None,
    order: int = 100,
) -> Department:
    """新建内设机构."""
    _require(actor, "org.manage")
    name = _clean_text(name, "name", "机构名称", max_len=60)
    code = _clean_text(code, "code", "机构代码", max_len=20).upper()
    if not re.fullmatch(r"[A-Z0-9]{1,20}", code):
        raise ServiceError("机构代码应为大写字母或数字，如 BGS。", fields={"code": "应为大写字母或数字，如 BGS。"})
    if parent is not None and parent.organization_id != organization.pk:
        raise ServiceError("上级机构必须属于同一机关。", fields={"parent": "上级机构必须属于同一机关。"})
    if Department.objects.filter(organization=organization, name=name).exists():
        raise ServiceError("本机关已有同名机构。", fields={"name": "本机关已有同名机构。"})
    if Department.objects.filter(organization=organization, code=code).exists():
        raise ServiceError("本机关已有相同的机构代码。", fields={"code": "本机关已有相同的机构代码。"})
    dept = Department(
        organization=organization, name=name, code=code, parent=parent, head=head, leader_in_charge=leader_in_charge, order=order
    )
    _check_department_people(dept)
    with transaction.atomic():
        dept.save()
        record(actor=actor, action="org.department_create", target=dept, after=snapshot(dept, DEPARTMENT_FIELDS))
    return dept


def department_update(*, actor: User | None, department: Department, **changes) -> Department:
    """修改内设机构, including moving it in the tree (no cycles) and setting 负责人/分管领导."""
    _require(actor, "org.manage")
    before = snapshot(department, DEPARTMENT_FIELDS)
    for key, value in changes.items():
        if key not in DEPARTMENT_FIELDS:
            raise ServiceError(f"不能修改字段 {key}。", fields={key: "不能修改此字段。"})
        setattr(department, key, value)
    department.name = _clean_text(department.name, "name", "机构名称", max_len=60)
    department.code = _clean_text(department.code, "code", "机构代码", max_len=20).upper()
    if department.parent is not None:
        if department.parent.organization_id != department.organization_id:
            raise ServiceError("上级机构必须属于同一机关。", fields={"parent": "上级机构必须属于同一机关。"})
        node: Department | None = department.parent
        while node is not None:
            if node.pk == department.pk:
                raise ServiceError("不能把机构移到它自己或其下级机构之下。", fields={"parent": "不能形成循环。"})
            node = node.parent
    _check_department_people(department)
    dupe = Department.objects.filter(organization_id=department.organization_id).exclude(pk=department.pk)
    if dupe.filter(name=department.name).exists():
        raise ServiceError("本机关已有同名机构。", fields={"name": "本机关已有同名机构。"})
    if dupe.filter(code=department.code).exists():
        raise ServiceError("本机关已有相同的机构代码。", fields={"code": "本机关已有相同的机构代码。"})
    with transaction.atomic():
        department.save()
        b, a = diff(before, snapshot(department, DEPARTMENT_FIELDS))
        record(actor=actor, action="org.department_update", target=department, before=b, after=a)
    return department


def position_create(
    *, actor: User | None, organization: Organization, name: str, rank: int = 100, is_leadership: bool = False
) -> Position:
    """新建职务."""
    _require(actor, "org.manage")
    name = _clean_text(name, "name", "职务名称", max_len=40)
    if Position.objects.filter(organization=organization, name=name).exists():
        raise ServiceError("本机关已有该职务。", fields={"name": "本机关已有该职务。"})
    with transaction.atomic():
        pos = Position.objects.create(organization=organization, name=name, rank=rank, is_leadership=is_leadership)
        record(actor=actor, action="org.position_create", target=pos, after={"name": name, "rank": rank})
    return pos


# ---- people ----------------------------------------------------------------------------------
def _set_password(user: User, password: str) -> None:
    from zhongshu.accounts.passwords import remember_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("密码不符合要求：" + "；".join(exc.messages), fields={"password": exc.messages})
    user.set_password(password)
    user.password_changed_at = timezone.now()
    remember_password(user)


def _validate_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        if unknown & set(AdminRole.values):
            raise ServiceError(
                "三员角色不能作为业务角色分配，请使用“设置三员角色”。", fields={"roles": "三员角色不能作为业务角色分配。"}
            )
        raise ServiceError("未知的角色：" + "、".join(sorted(unknown)), fields={"roles": "包含未知的角色。"})
    return roles


def user_create(
    *,
    actor: User | None,
    organization: Organization,
    username: str,
    real_name: str,
    department: Department | None = None,
    position: Position | None = None,
    roles: Iterable[str] = (),
    phone: str = "",
    email: str = "",
    password: str | None = None,
    must_change_password: bool = True,
) -> User:
    """新建人员. Clearance starts at 非涉密; only the security administrator raises it.

    A password may be given only from the command line or the demo (actor=None): an administrator never sets a
    usable secret for someone else — the person gets an activation (user_reset_password) instead.
    """
    _require(actor, "org.manage")
    if password and actor is not None:
        raise ServiceError("管理员不能为他人设定密码，新账号通过激活码由本人设置密码。", fields={"password": "不能由管理员设定。"})
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        raise ServiceError(
            "登录名应以字母开头，由 2～30 位字母、数字、下划线、点或连字符组成。",
            fields={"username": "应以字母开头，由 2～30 位字母、数字、下划线、点或连字符组成。"},
        )
    real_name = _clean_text(real_name, "real_name", "姓名", max_len=40)
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError("登录名已被使用。", fields={"username": "登录名已被使用。"})
    if department is not None and department.organization_id != organization.pk:
        raise ServiceError("部门必须属于所选机关。", fields={"department": "部门必须属于所选机关。"})
    if position is not None and position.organization_id != organization.pk:
        raise ServiceError("职务必须属于所选机关。", fields={"position": "职务必须属于所选机关。"})
    role_set = _validate_roles(roles)
    user = User(
        username=username,
        real_name=real_name,
        organization=organization,
        position=position,
        phone=phone.strip()[:30],
        email=email.strip(),
        must_change_password=must_change_password,
    )
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError:
            raise ServiceError("登录名已被使用。", fields={"username": "登录名已被使用。"})
        if password:
            _set_password(user, password)
        else:
            user.set_unusable_password()
        user.save()
        if department is not None:
            Membership.objects.create(user=user, department=department, is_primary=True)
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in sorted(role_set)])
        record(
            actor=actor,
            action="org.user_create",
            target=user,
            after={**snapshot(user, USER_FIELDS), "department": department.pk if department else None, "roles": sorted(role_set)},
        )
    return user


UNCHANGED: Any = object()


def user_update(*, actor: User | None, user: User, department: Any = UNCHANGED, **changes) -> User:
    """修改人员基本信息与所在部门."""
    _require(actor, "org.manage")
    allowed = ("real_name", "position", "phone", "email", "is_active")
    before = {**snapshot(user, USER_FIELDS), "department": user.primary_department.pk if user.primary_department else None}
    for key, value in changes.items():
        if key not in allowed:
            raise ServiceError(f"不能修改字段 {key}。", fields={key: "不能修改此字段。"})
        setattr(user, key, value)
    user.real_name = _clean_text(user.real_name, "real_name", "姓名", max_len=40)
    if user.position is not None and user.position.organization_id != user.organization_id:
        raise ServiceError("职务必须属于该人员所在机关。", fields={"position": "职务必须属于该人员所在机关。"})
    if department is not UNCHANGED and department is not None and department.organization_id != user.organization_id:
        raise ServiceError("部门必须属于该人员所在机关。", fields={"department": "部门必须属于该人员所在机关。"})
    if actor is not None and actor.pk == user.pk and changes.get("is_active") is False:
        raise ServiceError("不能停用自己的账号。", fields={"is_active": "不能停用自己的账号。"})
    with transaction.atomic():
        user.save()
        if department is not UNCHANGED:
            Membership.objects.filter(user=user, is_primary=True).delete()
            if department is not None:
                Membership.objects.filter(user=user, department=department).delete()
                Membership.objects.create(user=user, department=department, is_primary=True)
        user.__dict__.pop("primary_department", None)
        user.__dict__.pop("department_ids", None)
        after = {**snapshot(user, USER_FIELDS), "department": user.primary_department.pk if user.primary_department else None}
        b, a = diff(before, after)
        record(actor=actor, action="org.user_update", target=user, before=b, after=a)
        if not user.is_active:
            from zhongshu.accounts.services import tokens_revoke_all

            tokens_revoke_all(actor=actor, user=user, reason="停用账号")
    return user


def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    """设置业务角色. 三员 accounts take no business role (least privilege)."""
    _require(actor, "org.manage")
    role_set = _validate_roles(roles)
    if user.admin_role and role_set:
        raise ServiceError(
            f"该账号是{AdminRole(user.admin_role).label}，三员账号不得兼任业务角色。",
            fields={"roles": "三员账号不得兼任业务角色。"},
        )
    with transaction.atomic():
        before = sorted(user.role_assignments.values_list("role", flat=True))
        user.role_assignments.exclude(role__in=role_set).delete()
        existing = set(user.role_assignments.values_list("role", flat=True))
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in sorted(role_set - existing)])
        user.__dict__.pop("role_set", None)
        user.__dict__.pop("_zs_perms", None)
        record(actor=actor, action="org.user_set_roles", target=user, before={"roles": before}, after={"roles": sorted(role_set)})
    return user


def user_set_admin_role(*, actor: User | None, user: User, admin_role: str) -> User:
    """指定三员角色. One account never holds two of them, nor any business role alongside.

    Only the command line (`zhongshu createadmin` / `init`, actor=None) or the system administrator
    assigning the other two roles to other accounts may do this.
    """
    if admin_role not in AdminRole.values:
        raise ServiceError("未知的三员角色。", fields={"admin_role": "未知的三员角色。"})
    if actor is not None:
        if actor.admin_role != AdminRole.SYSTEM:
            raise PermissionDenied("只有系统管理员可以指定三员角色。")
        if actor.pk == user.pk:
            raise ServiceError("不能给自己指定三员角色。", fields={"admin_role": "不能给自己指定三员角色。"})
    if user.admin_role and user.admin_role != admin_role:
        raise ServiceError(
            f"该账号已是{AdminRole(user.admin_role).label}，三员不得由同一账号兼任。",
            fields={"admin_role": "三员不得由同一账号兼任。"},
        )
    if user.role_assignments.exists():
        raise ServiceError("该账号持有业务角色，不能再担任三员。", fields={"admin_role": "该账号持有业务角色。"})
    with transaction.atomic():
        before = user.admin_role
        user.admin_role = admin_role
        user.save(update_fields=["admin_role"])
        user.__dict__.pop("role_set", None)
        user.__dict__.pop("_zs_perms", None)
        record(actor=actor, action="org.user_set_admin_role", target=user, before={"admin_role": before}, after={"admin_role": admin_role})
    return user


def user_set_clearance(*, actor: User | None, user: User, clearance: int, reason: str) -> User:
    """设定涉密人员类别 — the security administrator's (安全保密管理员) task, with a recorded reason."""
    _require(actor, "security.manage")
    try:
        level = Clearance(int(clearance))
    except (TypeError, ValueError):
        raise ServiceError("涉密人员类别无效。", fields={"clearance": "涉密人员类别无效。"})
    reason = _clean_text(reason, "reason", "调整事由", max_len=200)
    if user.admin_role:
        raise ServiceError("三员账号不处理涉密业务，不能设定涉密类别。", fields={"clearance": "三员账号不能设定涉密类别。"})
    with transaction.atomic():
        before = user.clearance
        user.clearance = int(level)
        user.save(update_fields=["clearance"])
        record(actor=actor, action="org.user_set_clearance", target=user, before={"clearance": before}, after={"clearance": int(level)}, note=reason)
    return user


def user_reset_password(*, actor: User | None, user: User, reason: str = "重置密码") -> Any:
    """重置密码 (also used for a new account): the old password stops working at once and a one-time, expiring
    activation is opened. The administrator never learns or chooses the new secret: the security administrator
    approves, then the code goes to the person's e-mail or into two sealed envelopes printed by the two
    administrators (see zhongshu.accounts.services and docs/decisions/0009-authentication-hardening.md)."""
    from zhongshu.accounts.services import activation_request

    _require(actor, "org.manage")
    return activation_request(actor=actor, user=user, reason=reason)


# ---- address book ----------------------------------------------------------------------------
EXTERNAL_FIELDS = ("name", "short_name", "doc_prefix", "relation", "platform_organization", "contact", "phone", "order")


def external_organ_save(*, actor: User, organization: Organization, organ: ExternalOrgan | None = None, **values) -> ExternalOrgan:
    """新增或修改通讯录中的外单位 (主送/抄送 with 机关代字)."""
    if not (has_perm(actor, "org.manage") or has_perm(actor, "notices.manage")):
        raise PermissionDenied()
    if actor.organization_id != organization.pk and not has_perm(actor, "org.manage"):
        raise PermissionDenied()
    organ = organ or ExternalOrgan(organization=organization)
    before = snapshot(organ, EXTERNAL_FIELDS) if organ.pk else {}
    for key, value in values.items():
        if key not in EXTERNAL_FIELDS:
            raise ServiceError(f"不能修改字段 {key}。", fields={key: "不能修改此字段。"})
        setattr(organ, key, value)
    organ.name = _clean_text(organ.name, "name", "机关全称", max_len=100)
    if organ.relation not in ExternalOrgan.Relation.values:
        raise ServiceError("行文关系无效。", fields={"relation": "行文关系无效。"})
    if ExternalOrgan.objects.filter(organization=organization, name=organ.name).exclude(pk=organ.pk).exists():
        raise ServiceError("通讯录中已有该单位。", fields={"name": "通讯录中已有该单位。"})
    with transaction.atomic():
        created = organ.pk is None
        organ.save()
        after = snapshot(organ, EXTERNAL_FIELDS)
        b, a = diff(before, after)
        record(actor=actor, action="org.external_create" if created else "org.external_update", target=organ, before=None if created else b, after=a)
    return organ


# ---- delegation ------------------------------------------------------------------------------
def delegation_create(
    *, actor: User, delegator: User, delegate: User, start_date: datetime.date, end_date: datetime.date, reason: str
) -> Delegation:
    """委托: a person hands their pending work to a deputy for a date range.

    Anyone may delegate their own work; the office director or system administrator may record it for others.
    """
    if actor.pk != delegator.pk and not has_perm(actor, "org.manage_delegation"):
        raise PermissionDenied("只能为自己设置委托。")
    reason = _clean_text(reason, "reason", "委托事由", max_len=200)
    if delegate.pk == delegator.pk:
        raise ServiceError("不能委托给自己。", fields={"delegate": "不能委托给自己。"})
    if delegator.organization_id is None or delegate.organization_id != delegator.organization_id:
        raise ServiceError("受托人必须与委托人同属一个机关。", fields={"delegate": "受托人必须与委托人同属一个机关。"})
    if not delegate.is_active:
        raise ServiceError("受托人账号已停用。", fields={"delegate": "受托人账号已停用。"})
    if delegate.admin_role:
        raise ServiceError("不能委托给三员账号。", fields={"delegate": "不能委托给三员账号。"})
    if int(delegate.max_classification) < int(delegator.max_classification) and getattr(settings, "NOTIFY_UNCLEARED", "drop") != "redact":
        # 涉密但不泄密: a delegate acts on everything the delegator receives, so they must be cleared as high. Where the
        # organization chose NOTIFY_UNCLEARED = "redact", the delegation stands but the flow policy keeps items above the
        # delegate's clearance from them (notify drops/redacts the titles, WorkItemPolicy refuses the actions).
        msg = (f"受托人{delegate.display_name}为{delegate.get_clearance_display()}，低于委托人{delegator.display_name}"
               f"（{delegator.get_clearance_display()}），不能代为办理其可能收到的{delegator.max_classification.label}事项；"
               "请选择涉密等级相同或更高的人员。")
        raise ServiceError(msg, fields={"delegate": msg}, code="not_cleared")
    if end_date < start_date:
        raise ServiceError("结束日期不能早于开始日期。", fields={"end_date": "结束日期不能早于开始日期。"})
    if end_date < timezone.localdate():
        raise ServiceError("结束日期已经过去。", fields={"end_date": "结束日期已经过去。"})
    overlapping = Delegation.objects.filter(
        delegator=delegator, revoked_at__isnull=True, start_date__lte=end_date, end_date__gte=start_date
    )
    if overlapping.exists():
        raise ServiceError("该时段已有生效的委托，请先撤销原委托。", fields={"start_date": "与已有委托的时段重叠。"})
    with transaction.atomic():
        d = Delegation.objects.create(
            organization_id=delegator.organization_id,
            delegator=delegator,
            delegate=delegate,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
            created_by=actor,
        )
        record(
            actor=actor,
            action="org.delegation_create",
            target=d,
            after={"delegator": delegator.pk, "delegate": delegate.pk, "start": start_date, "end": end_date, "reason": reason},
        )
    return d


def delegation_revoke(*, actor: User, delegation: Delegation) -> Delegation:
    """撤销委托."""
    if actor.pk not in (delegation.delegator_id, delegation.created_by_id) and not has_perm(actor, "org.manage_delegation"):
        raise PermissionDenied("只能撤销自己的委托。")
    if delegation.revoked_at is not None:
        raise ServiceError("该委托已经撤销。")
    with transaction.atomic():
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        record(actor=actor, action="org.delegation_revoke", target=delegation)
    return delegation
