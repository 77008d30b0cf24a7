"""发文 on the flow engine: the 审核签发 route (核稿 → 办公室审核 → 会签 → 签发) is a flow definition that each
organization configures; the steps after 签发 (复核, 编号登记, 印制, 用印, 分发, 归档) are the office's own
actions in this module. The person who approves the last step is the 签发人."""

from __future__ import annotations

from typing import Any

from zhongshu.flow.registry import FlowSubject, register_subject

from .models import Direction, OutgoingDocument


class OutgoingSubject(FlowSubject):
    business_type = "outgoing"
    label = "发文"
    model = OutgoingDocument

    def title(self, obj: OutgoingDocument) -> str:
        return obj.title

    def facts(self, obj: OutgoingDocument) -> dict[str, Any]:
        return {
            "doc_type": obj.doc_type,
            "classification": int(obj.classification),
            "department": obj.drafting_department.code if obj.drafting_department_id else None,
            "amount": None,
            "upward": obj.direction == Direction.UP,
            "countersign": obj.countersign_departments.exists(),
        }

    def assignees(self, obj: OutgoingDocument, step_name: str) -> list[Any]:
        """会签: the heads of the departments named on the 发文稿纸 as 会签单位."""
        return [d.head for d in obj.countersign_departments.select_related("head").order_by("order", "id") if d.head_id]

    def summary(self, obj: OutgoingDocument) -> list[tuple[str, str]]:
        return [
            ("文种", obj.doc_type), ("行文方向", obj.get_direction_display()), ("密级", obj.marking or obj.get_classification_display()),
            ("拟稿", f"{obj.drafting_department or ''} {obj.drafter.display_name}"),
            ("主送", "、".join(o.short_name or o.name for o in obj.main_recipients.all()) or "—"),
        ]

    def body(self, obj: OutgoingDocument) -> str:
        return obj.body

    def preview_url(self, obj: OutgoingDocument, user: Any) -> str:
        """The draft laid out per GB/T 9704 (outgoing:file, same origin, may be framed) when the reader may download it."""
        from django.urls import reverse

        from .policy import OutgoingPolicy

        return reverse("outgoing:file", args=[obj.pk, "pdf"]) if OutgoingPolicy.can(user, obj, "download_pdf") else ""

    def can_start(self, actor: Any, obj: OutgoingDocument) -> str | None:
        # Only outgoing_submit starts this flow: it checks the 行文规则 first and moves the draft to 审核中.
        from .policy import OutgoingPolicy

        if not OutgoingPolicy.may_start_flow(actor, obj):
            return "只有拟稿人可以送审。"
        if obj.status == OutgoingDocument.Status.DRAFT:
            return "请在发文稿纸上点“送审”，系统会先检查行文规则。"
        if obj.status != OutgoingDocument.Status.REVIEWING:
            return "该稿已经签发或办结。"
        return None

    def startable(self, actor: Any):
        return OutgoingDocument.objects.none()  # not offered on the generic 发起审批 page (see can_start)

    def approve_refusal(self, obj: OutgoingDocument, step_name: str) -> str | None:
        """核稿 and every later step: the 稿纸 must be right before it moves on (份数 covers every recipient)."""
        from .services import copies_refusal

        refusal = copies_refusal(obj.copies, obj.main_recipients.count() + obj.cc_recipients.count())
        return f"{step_name}未通过：{refusal}请修改发文稿纸，或退回拟稿人。" if refusal else None

    def on_approved(self, *, instance: Any, obj: OutgoingDocument, actor: Any) -> None:
        """签发: the last approver signs; 成文日期 is today (a service, audited)."""
        from .services import outgoing_flow_signed

        outgoing_flow_signed(actor=actor, document=obj, instance=instance)

    def finished_message(self, obj: OutgoingDocument) -> str:
        return "已签发，待办公室编号印制"

    def on_ended(self, *, instance: Any, obj: OutgoingDocument, actor: Any) -> None:
        """撤回 or 终止: the draft goes back to its drafter (a service, audited)."""
        from .services import outgoing_return_to_draft

        outgoing_return_to_draft(actor=actor, document=obj)


register_subject(OutgoingSubject())
