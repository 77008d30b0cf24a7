"""用印审批 on the flow engine: the organization's 用印审批 definition has a step whose people are “由业务单据指定” —
the approvers the organization's rules give for the request's seal kinds and matter (`services.approvers_for`).
The request's requester is its author: he never approves a step of his own request."""

from __future__ import annotations

from typing import Any

from zhongshu.flow.registry import FlowSubject, register_subject

from .models import UseRequest


class UseRequestSubject(FlowSubject):
    business_type = "seal_use"
    label = "用印审批"
    model = UseRequest

    def title(self, obj: UseRequest) -> str:
        return f"用印：{obj.document_title}"

    def facts(self, obj: UseRequest) -> dict[str, Any]:
        return {"classification": int(obj.classification), "department": obj.department.code if obj.department_id else None,
                "doc_type": obj.matter, "amount": obj.copies}

    def assignees(self, obj: UseRequest, step_name: str) -> list[Any]:
        from .services import approvers_for

        return approvers_for(obj)

    def summary(self, obj: UseRequest) -> list[tuple[str, str]]:
        return [
            ("用印文件", obj.document_title), ("事项", obj.get_matter_display()), ("印章", "、".join(s.name for s in obj.seals.all())),
            ("份数", str(obj.copies)), ("用途", obj.purpose), ("经办", f"{obj.department or ''} {obj.requester.display_name}"),
            ("紧急", "是" if obj.urgent else "否"),
        ]

    def authors(self, obj: UseRequest) -> set[int]:
        return {obj.requester_id}

    def can_start(self, actor: Any, obj: UseRequest) -> str | None:
        if actor.pk != obj.requester_id:
            return "只有申请人可以送审。"
        if obj.status != UseRequest.Status.PENDING:
            return "该用印申请已不在审批中。"
        return None

    def startable(self, actor: Any):
        return UseRequest.objects.none()  # started by request_create, not from the generic 发起审批 page

    def on_approved(self, *, instance: Any, obj: UseRequest, actor: Any) -> None:
        from .services import request_flow_approved

        names = [a.actor.display_name for a in instance.history.filter(action="approve").select_related("actor") if a.actor_id]
        request_flow_approved(request=obj, actor=actor, approvers=list(dict.fromkeys(names)))

    def on_ended(self, *, instance: Any, obj: UseRequest, actor: Any) -> None:
        from .services import request_flow_ended

        request_flow_ended(request=obj, actor=actor)

    def finished_message(self, obj: UseRequest) -> str:
        return "用印申请已批准，待印章保管人用印"


register_subject(UseRequestSubject())
