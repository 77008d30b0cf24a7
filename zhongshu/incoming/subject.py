"""收文 on the flow engine: 拟办 (the office proposes) → 批示 (leaders instruct) → … as each organization
configures it; the opinions are the flow's history, shown on the 收文 page in order. 办结 closes the document."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

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

    def preview_url(self, obj: IncomingDocument, user: Any) -> str:
        """An exchanged document is rendered from the sender's 发文 (incoming:file); a registered one shows its first
        PDF scan (`/files/<id>/?inline=1`). Both are same-origin responses that the item page may frame."""
        from django.urls import reverse

        from zhongshu.core.attachments import attachments_of

        if obj.outgoing_id:
            return reverse("incoming:file", args=[obj.pk, "pdf"])
        scan = attachments_of(obj).filter(mime="application/pdf").order_by("id").first()
        return f"{scan.get_absolute_url()}?inline=1" if scan is not None else ""

    def assignees(self, obj: IncomingDocument, step_name: str) -> list[Any]:
        """批示 (“由业务单据指定”): the leaders 拟办 named, in that order; else the 分管领导 of the department of whoever
        sent the document to 拟办 (the default), else the organization's principal."""
        from zhongshu.flow.models import FlowInstance
        from zhongshu.org.models import User

        if obj.proposed_leaders:
            found = {u.pk: u for u in User.objects.filter(pk__in=obj.proposed_leaders, organization_id=obj.organization_id, is_active=True)}
            people = [found[pk] for pk in obj.proposed_leaders if pk in found]
            if people:
                return people
        instance = (FlowInstance.objects.filter(business_type=self.business_type, object_id=obj.pk, status=FlowInstance.Status.RUNNING)
                    .select_related("initiator_department__leader_in_charge", "organization__principal").first())
        if instance is not None and instance.initiator_department is not None and instance.initiator_department.leader_in_charge:
            return [instance.initiator_department.leader_in_charge]
        principal = obj.organization.principal
        return [principal] if principal is not None else []

    def item_form(self, obj: IncomingDocument, item: Any, user: Any, *, data: Any = None, designates: Any = None, confirm: bool = False) -> Any:
        from zhongshu.org.models import User
        from zhongshu.org.roles import Role

        from .forms import InstructionForm

        if obj.status != IncomingDocument.Status.HANDLING:
            return None
        leaders = None
        if designates is not None:
            leaders = (User.objects.filter(organization_id=obj.organization_id, is_active=True, admin_role="", role_assignments__role=Role.LEADER,
                                           clearance__gte=max(1, int(obj.classification)))
                       .exclude(pk=user.pk).select_related("position").distinct().order_by("position__rank", "id"))
        return InstructionForm(data, document=obj, designates=designates, leaders=leaders, confirm=confirm)

    def before_approve(self, *, actor: Any, obj: IncomingDocument, item: Any, data: dict[str, Any], finishing: bool) -> None:
        """Save the 承办安排 and the proposed leaders with the opinion; a 批示 that would close the document without a
        主办 needs `no_undertaking` (“无需承办，直接办结？”)."""
        from zhongshu.core.errors import ServiceError

        from .services import incoming_plan, incoming_propose_leaders

        lead = data.get("lead_department")
        co = list(data.get("co_departments") or [])
        deadline = data.get("deadline")
        from .forms import unit_value

        current_lead = unit_value(obj.lead_unit) if obj.lead_unit is not None else None
        current_co = {unit_value(u) for u in obj.co_units()}
        if lead is not None or co or (deadline is not None and deadline != obj.deadline):
            changed = ((unit_value(lead) if lead is not None else None) != current_lead or {unit_value(u) for u in co} != current_co
                       or (deadline is not None and deadline != obj.deadline))
            if changed:
                incoming_plan(actor=actor, document=obj, lead_department=lead, co_departments=co, deadline=deadline)
        if data.get("leaders") is not None:
            incoming_propose_leaders(actor=actor, document=obj, leaders=data["leaders"])
        if finishing and not data.get("no_undertaking"):
            has_lead = IncomingDocument.objects.filter(Q(lead_department__isnull=False) | Q(lead_organization__isnull=False) | Q(lead_external__isnull=False),
                                                     pk=obj.pk).exists()
            if not has_lead:
                raise ServiceError("尚未指定主办部门：无需承办，直接办结？确认的，请勾选“无需承办，直接办结”后再提交；需要承办的，请选择主办部门。",
                                   fields={"no_undertaking": "无需承办，直接办结？"}, code="confirm_no_undertaking")

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
