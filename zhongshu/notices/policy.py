"""通知公告 policy: who reads a notice, what each person may do to it, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import Notice


class NoticePolicy(Policy):
    model = Notice
    area = "notices"
    noun = "通知"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # Plain column tests plus small subqueries over the recipient tables (only the rows naming this person or
        # their departments): no join that could duplicate rows, and cheap at 100k notices.
        audience = Q(scope=Notice.Scope.ORGANIZATION) | Q(
            pk__in=Notice.recipient_users.through.objects.filter(user_id=user.pk).values("notice_id")
        )
        if user.department_ids:
            audience |= Q(
                pk__in=Notice.recipient_departments.through.objects.filter(department_id__in=user.department_ids).values("notice_id")
            )
        return Q(author_id=user.pk) | (Q(status=Notice.Status.PUBLISHED) & audience)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        """edit / attach / publish / withdraw / submit_review (通知审核 on the flow engine)."""
        from zhongshu.core.locks import edit_lock

        assert isinstance(obj, Notice)
        if getattr(user, "is_system", False) or user is None or not getattr(user, "is_authenticated", False):
            return set()
        if user.organization_id != obj.organization_id or user.admin_role:
            return set()
        acts: set[str] = set()
        mine = obj.author_id == user.pk
        manager = has_perm(user, "notices.manage")
        if obj.status == Notice.Status.DRAFT:
            if mine and not edit_lock(obj):
                acts |= {"edit", "attach"}
                if has_perm(user, "flow.view"):
                    acts.add("submit_review")
            if mine or manager:
                acts.add("publish")
        elif obj.status == Notice.Status.PUBLISHED and (mine or manager):
            acts.add("withdraw")
        return acts


register(NoticePolicy)
