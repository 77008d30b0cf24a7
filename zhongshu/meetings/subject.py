"""会议方案审批 on the flow engine: the plan (caps checked, each violation named) goes to the organization's
"meeting" definition; approval marks it approved through the module's own service."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from zhongshu.flow.registry import FlowSubject, register_subject

from .models import Meeting


class MeetingSubject(FlowSubject):
    business_type = "meeting"
    label = "会议方案"
    model = Meeting

    def title(self, obj: Meeting) -> str:
        return obj.title

    def facts(self, obj: Meeting) -> dict[str, Any]:
        return {
            "doc_type": "会议方案",
            "classification": int(obj.classification),
            "department": obj.department.code if obj.department_id else None,
            "amount": float(obj.budget),
            "upward": False,
        }

    def summary(self, obj: Meeting) -> list[tuple[str, str]]:
        from django.utils import timezone

        from .services import plan_violations

        violations = plan_violations(obj)
        return [
            ("密级", obj.classification_label),
            ("会议类别", obj.category.name),
            ("时间", f"{timezone.localtime(obj.start):%Y-%m-%d %H:%M} 至 {timezone.localtime(obj.end):%Y-%m-%d %H:%M}"),
            ("地点", obj.place),
            ("参会范围", obj.scope or "—"),
            ("计划人数", str(max(obj.planned_attendees, obj.attendees.count()))),
            ("经费预算", f"{obj.budget} 元"),
            ("定额检查", "；".join(violations) if violations else "符合定额"),
            ("承办人", obj.organizer.display_name),
        ]

    def body(self, obj: Meeting) -> str:
        agenda = "\n".join(f"{a.order}. {a.title}（{a.presenter or '—'}，{a.minutes}分钟）" for a in obj.agenda.all())
        return f"{obj.purpose}\n\n议程：\n{agenda or '（未编排）'}"

    def can_start(self, actor: Any, obj: Meeting) -> str | None:
        from .services import plan_violations

        if obj.organizer_id != actor.pk:
            return "只有承办人可以报批会议方案。"
        if obj.status != Meeting.Status.DRAFT:
            return "只有草稿状态的会议方案可以报批。"
        violations = plan_violations(obj)
        if violations:
            return "会议方案超出厉行节约定额：" + "；".join(violations) + "。"
        return None

    def startable(self, actor: Any):
        from zhongshu.flow.models import FlowInstance

        running = FlowInstance.objects.filter(content_type=ContentType.objects.get_for_model(Meeting),
                                              status=FlowInstance.Status.RUNNING).values("object_id")
        return Meeting.objects.filter(organizer=actor, status=Meeting.Status.DRAFT).exclude(pk__in=running).order_by("-id")

    def authors(self, obj: Meeting) -> set[int]:
        return {obj.organizer_id}

    def on_approved(self, *, instance: Any, obj: Meeting, actor: Any) -> None:
        from zhongshu.access.policy import SYSTEM

        from .services import meeting_approved

        if obj.status == Meeting.Status.DRAFT:
            meeting_approved(meeting=obj, actor=actor or SYSTEM)

    def finished_message(self, obj: Meeting) -> str:
        return "会议方案已批准"


register_subject(MeetingSubject())
