"""收文 on the flow engine: 拟办 (the office proposes) → 批示 (leaders instruct) → … as each organization
configures it; the opinions are the flow's history, shown on the 收文 page in order. 办结 closes the document."""

from __future__ import annotations

from typing import Any

from zhongshu.access.permissions import has_perm
from zhongshu.flow.registry import FlowSubject, register_subject

from .models import IncomingDocument


class IncomingSubject(FlowSubject):
    business_type = "incoming"
    label = "收文"
    model = IncomingDocument

    def title(self, obj: IncomingDocument) -> str:
        return obj.title

    def facts(self, obj: IncomingDocument) -> dict[str, Any]:
        return {"doc_type": obj.doc_type or None, "classification": int(obj.classification), "department": None, "amount": None, "upward": False}

    def summary(self, obj: IncomingDocument) -> list[tuple[str, str]]:
        return [("收文编号", obj.receipt_number), ("来文单位", obj.sender_name), ("来文字号", obj.doc_number or "—"),
                ("密级", obj.get_classification_display()), ("紧急程度", obj.urgency or "—"),
                ("办理时限", obj.deadline.isoformat() if obj.deadline else "—")]

    def body(self, obj: IncomingDocument) -> str:
        return obj.body

    def can_start(self, actor: Any, obj: IncomingDocument) -> str | None:
        if not has_perm(actor, "incoming.register"):
            return "只有办公室文秘可以送拟办。"
        if obj.status != IncomingDocument.Status.RECEIVED:
            return "只有已签收、尚未办理的收文可以送拟办。"
        if obj.reviewed_at is None:
            return "请先完成初审。"
        if obj.kind != IncomingDocument.Kind.HANDLE:
            return "阅件直接传阅，不送拟办。"
        return None

    def startable(self, actor: Any):
        if not has_perm(actor, "incoming.register"):
            return IncomingDocument.objects.none()
        # read scope first (organization, clearance, need-to-know), then the state in which 送拟办 is allowed
        return IncomingDocument.objects.restrict(actor).filter(organization_id=actor.organization_id, status=IncomingDocument.Status.RECEIVED,
                                               reviewed_at__isnull=False, kind=IncomingDocument.Kind.HANDLE).order_by("-id")

    def on_approved(self, *, instance: Any, obj: IncomingDocument, actor: Any) -> None:
        from .services import undertakings_open

        undertakings_open(document=obj, actor=actor)  # 承办 when a 主办 department was named, else 办结

    def finished_message(self, obj: IncomingDocument) -> str:
        obj.refresh_from_db(fields=["status"])
        if obj.status == IncomingDocument.Status.ASSIGNED:
            return "批示完成，已转承办"
        if obj.status == IncomingDocument.Status.CLOSED:
            return "批示完成，已办结"
        return "拟办批示已完成"

    def on_ended(self, *, instance: Any, obj: IncomingDocument, actor: Any) -> None:
        from .services import incoming_flow_ended

        incoming_flow_ended(actor=actor, document=obj)


register_subject(IncomingSubject())
