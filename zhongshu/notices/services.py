"""通知公告 writes: draft, edit, publish (notifies the audience), withdraw, mark read."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import diff, record, snapshot
from zhongshu.core.classification import MAX_SECRECY_YEARS, Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.locks import edit_lock
from zhongshu.notify.services import notify
from zhongshu.org.models import Department, User

from .models import Notice, NoticeRead

FIELDS = ("title", "body", "classification", "secrecy_period", "scope", "recipient_departments", "recipient_users", "pinned")
PERIOD_RE = re.compile(r"^(\d{1,2})(年|个月)$")


def _validate(
    *,
    author: User,
    title: str,
    body: str,
    classification: int,
    secrecy_period: str,
    scope: str,
    departments: list[Department],
    users: list[User],
) -> tuple[str, str, Classification, str]:
    errors: dict[str, list[str] | str] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 120:
        errors["title"] = "标题不能超过 120 个字。"
    if not body:
        errors["body"] = "请填写正文。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"] = "密级无效。"
        level = Classification.INTERNAL
    if level > author.max_classification:
        errors["classification"] = f"您的涉密等级只能处理{author.max_classification.label}及以下的内容。"
    secrecy_period = (secrecy_period or "").strip()
    if secrecy_period:
        m = PERIOD_RE.match(secrecy_period)
        if level < Classification.SECRET:
            errors["secrecy_period"] = "非涉密内容不标注保密期限。"
        elif not m:
            errors["secrecy_period"] = "保密期限应写作“N年”或“N个月”。"
        else:
            years = int(m.group(1)) if m.group(2) == "年" else int(m.group(1)) / 12
            if m.group(2) == "个月" and int(m.group(1)) >= 12:
                errors["secrecy_period"] = "一年及以上的期限以年计，如“1年”。"
            elif years > MAX_SECRECY_YEARS[level]:
                errors["secrecy_period"] = f"{level.label}保密期限最长 {MAX_SECRECY_YEARS[level]} 年。"
    if scope not in Notice.Scope.values:
        errors["scope"] = "知悉范围无效。"
    elif scope == Notice.Scope.SELECTED and not departments and not users:
        errors["recipient_users"] = "请至少指定一个部门或人员。"
    if level >= Classification.SECRET and scope == Notice.Scope.ORGANIZATION:
        errors["scope"] = "涉密通知必须指定知悉范围，不能发给本机关全体。"
    if any(d.organization_id != author.organization_id for d in departments):
        errors["recipient_departments"] = "只能发给本机关的部门。"
    if any(u.organization_id != author.organization_id for u in users):
        errors["recipient_users"] = "只能发给本机关的人员。"
    elif level >= Classification.SECRET:
        short = [u.display_name for u in users if u.max_classification < level]
        if short:
            errors["recipient_users"] = "以下人员的涉密等级不足以阅读该密级的内容：" + "、".join(short)
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    return title, body, level, secrecy_period


def notice_create(
    *,
    actor: User,
    title: str,
    body: str,
    classification: int = Classification.INTERNAL,
    secrecy_period: str = "",
    scope: str = Notice.Scope.ORGANIZATION,
    recipient_departments: Iterable[Department] = (),
    recipient_users: Iterable[User] = (),
    pinned: bool = False,
) -> Notice:
    """起草通知 (saved as a draft)."""
    if not has_perm(actor, "notices.add") or actor.organization_id is None:
        raise PermissionDenied()
    deps, users = list(recipient_departments), list(recipient_users)
    title, body, level, period = _validate(
        author=actor, title=title, body=body, classification=classification, secrecy_period=secrecy_period,
        scope=scope, departments=deps, users=users,
    )
    with transaction.atomic():
        notice = Notice.objects.create(
            organization_id=actor.organization_id, title=title, body=body, classification=level, secrecy_period=period,
            scope=scope, author=actor, department=actor.primary_department, pinned=pinned and has_perm(actor, "notices.manage"),
        )
        notice.recipient_departments.set(deps)
        notice.recipient_users.set(users)
        record(actor=actor, action="notices.create", target=notice, after=snapshot(notice, FIELDS))
    return notice


def _policy():
    from .policy import NoticePolicy

    return NoticePolicy


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def notice_update(*, actor: User, notice: Notice, **values) -> Notice:
    """修改草稿 (only the author, only while a draft)."""
    with transaction.atomic():
        notice = _lock(notice)
        if notice.status != Notice.Status.DRAFT:
            raise Conflict("通知已发布或撤回，不能再修改。")
        locked = edit_lock(notice)
        if locked:
            raise Conflict(locked)
        _policy().require(actor, notice, "edit", "只有起草人可以修改。")
        before = snapshot(notice, FIELDS)
        deps = list(values.pop("recipient_departments", notice.recipient_departments.all()))
        users = list(values.pop("recipient_users", notice.recipient_users.all()))
        for key in values:
            if key not in FIELDS:
                raise ServiceError(f"不能修改字段 {key}。", fields={key: "不能修改此字段。"})
        merged = {k: values.get(k, getattr(notice, k)) for k in ("title", "body", "classification", "secrecy_period", "scope")}
        title, body, level, period = _validate(author=actor, departments=deps, users=users, **merged)
        notice.title, notice.body, notice.classification, notice.secrecy_period = title, body, level, period
        notice.scope = merged["scope"]
        if "pinned" in values:
            notice.pinned = bool(values["pinned"]) and has_perm(actor, "notices.manage")
        notice.save()
        notice.recipient_departments.set(deps)
        notice.recipient_users.set(users)
        b, a = diff(before, snapshot(notice, FIELDS))
        record(actor=actor, action="notices.update", target=notice, before=b, after=a)
    return notice


def audience(notice: Notice) -> list[User]:
    """Everyone who may read the notice now (need-to-know AND clearance), for notifications."""
    qs = User.objects.filter(organization_id=notice.organization_id, is_active=True, admin_role="")
    if notice.scope == Notice.Scope.SELECTED:
        qs = qs.filter(pk__in=set(notice.recipient_users.values_list("pk", flat=True)) | set(
            User.objects.filter(memberships__department__in=notice.recipient_departments.all()).values_list("pk", flat=True)
        ))
    return [u for u in qs.filter(clearance__gte=max(1, notice.classification)) if u.pk != notice.author_id]


def notice_publish(*, actor: User, notice: Notice) -> Notice:
    """发布: the audience gets an in-app notification (e-mail/webhook after commit)."""
    with transaction.atomic():
        notice = _lock(notice)
        if notice.status != Notice.Status.DRAFT:
            raise Conflict("该通知已经发布或撤回，请刷新页面。")
        _policy().require(actor, notice, "publish", "只有起草人或办公室负责人可以发布。")
        notice.status = Notice.Status.PUBLISHED
        notice.published_at = timezone.now()
        notice.save(update_fields=["status", "published_at"])
        record(actor=actor, action="notices.publish", target=notice, before={"status": "draft"}, after={"status": "published"})
        readers = audience(notice)
        notify(recipients=readers, title=f"新通知：{notice.title}", url=reverse("notices:detail", args=[notice.pk]),
               webhook=False, subject=notice)
    return notice


def notice_withdraw(*, actor: User, notice: Notice, reason: str) -> Notice:
    """撤回已发布的通知 (author or office manager), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写撤回原因。", fields={"reason": "请填写撤回原因。"})
    with transaction.atomic():
        notice = _lock(notice)
        if notice.status != Notice.Status.PUBLISHED:
            raise Conflict("只有已发布的通知可以撤回。")
        _policy().require(actor, notice, "withdraw", "只有起草人或办公室负责人可以撤回。")
        notice.status = Notice.Status.WITHDRAWN
        notice.save(update_fields=["status"])
        record(actor=actor, action="notices.withdraw", target=notice, before={"status": "published"}, after={"status": "withdrawn"}, note=reason[:300])
    return notice


def notice_mark_read(*, user: User, notice: Notice) -> bool:
    """Record that the user read the notice; True the first time."""
    try:
        with transaction.atomic():
            _, created = NoticeRead.objects.get_or_create(notice=notice, user=user)
    except IntegrityError:
        return False
    return created
