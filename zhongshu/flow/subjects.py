"""Adapters for modules that go through the engine. 通知公告 (notices) today: 通知审核 before publication.

The adapter lives here, not in the notices app, so the notices module stays unaware of the engine; its
publication rule (`notice_publish`) is called as the completion callback.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from zhongshu.access.permissions import has_perm
from zhongshu.notices.models import Notice

from .registry import FlowSubject, register_subject


class NoticeSubject(FlowSubject):
    business_type = "notice"
    label = "通知公告"
    model = Notice

    def title(self, obj: Notice) -> str:
        return obj.title

    def facts(self, obj: Notice) -> dict[str, Any]:
        return {
            "doc_type": "通知",
            "classification": int(obj.classification),
            "department": obj.department.code if obj.department_id else None,
            "amount": None,
            "upward": False,
        }

    def summary(self, obj: Notice) -> list[tuple[str, str]]:
        return [
            ("密级", obj.marking or obj.classification_label),
            ("起草人", obj.author.display_name),
            ("发布部门", str(obj.department or "—")),
            ("知悉范围", obj.get_scope_display()),
            ("状态", obj.get_status_display()),
        ]

    def body(self, obj: Notice) -> str:
        return obj.body

    def can_start(self, actor: Any, obj: Notice) -> str | None:
        if obj.author_id != actor.pk:
            return "只有起草人可以提交审核。"
        if obj.status != Notice.Status.DRAFT:
            return "只有草稿可以提交审核。"
        return None

    def startable(self, actor: Any):
        from .models import FlowInstance

        running = FlowInstance.objects.filter(
            content_type=ContentType.objects.get_for_model(Notice), status=FlowInstance.Status.RUNNING
        ).values("object_id")
        return Notice.objects.filter(author=actor, status=Notice.Status.DRAFT).exclude(pk__in=running).order_by("-id")

    def on_approved(self, *, instance: Any, obj: Notice, actor: Any) -> None:
        """审核通过即发布. The approver publishes when entitled to, otherwise the author (who always may)."""
        from zhongshu.notices.services import notice_publish

        if obj.status != Notice.Status.DRAFT:
            return
        publisher = actor if actor is not None and has_perm(actor, "notices.manage") else obj.author
        notice_publish(actor=publisher, notice=obj)


    def finished_message(self, obj: Notice) -> str:
        obj.refresh_from_db(fields=["status"])
        return "审核通过，已发布" if obj.status != Notice.Status.DRAFT else "审核通过"


register_subject(NoticeSubject())
