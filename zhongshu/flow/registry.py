"""Business types plug into the engine with a `FlowSubject` adapter (发文, 收文, 督办, 通知公告 …).

The adapter tells the engine what it needs to know about an object without the engine importing the module:
organization, 密级, title, link, condition facts; and the module's callbacks when a flow ends.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import models


class FlowSubject:
    """Override in a module's adapter; register it with `register_subject`."""

    business_type: str = ""
    label: str = ""
    model: type[models.Model]

    def organization_id(self, obj: Any) -> int:
        return obj.organization_id

    def classification(self, obj: Any) -> int:
        return int(getattr(obj, "classification", 1))

    def title(self, obj: Any) -> str:
        return str(obj)

    def url(self, obj: Any) -> str:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""

    def facts(self, obj: Any) -> dict[str, Any]:
        """Condition facts: doc_type, classification, department (code), amount, upward."""
        return {"classification": self.classification(obj)}

    def assignees(self, obj: Any, step_name: str) -> list[Any]:
        """People for a step whose rule is “由业务单据指定” (e.g. the heads of the 会签 departments)."""
        return []

    def summary(self, obj: Any) -> list[tuple[str, str]]:
        """What an approver sees of the object on the item page (the flow's own access applies there)."""
        return []

    def body(self, obj: Any) -> str:
        return ""

    def preview_url(self, obj: Any, user: Any) -> str:
        """A same-origin PDF of the document for the item page's preview frame ("" when there is none)."""
        return ""

    def item_form(self, obj: Any, item: Any, user: Any, *, data: Any = None, designates: Any = None, confirm: bool = False) -> Any:
        """Extra fields shown inside the 办理 form of a 待办 and saved with the opinion (e.g. 收文's 承办安排 and the
        leaders 拟办 proposes), as a Django form bound to `data` or None. `designates` is the coming step whose rule is
        “由业务单据指定”, when there is one; `confirm` asks the form to show its confirmation field."""
        return None

    def before_approve(self, *, actor: Any, obj: Any, item: Any, data: dict[str, Any], finishing: bool) -> None:
        """Called inside the approving transaction, before the item is closed, with the extra fields' values
        (page or API). Save them with the module's own services; raise ServiceError to refuse the approval.
        `finishing` is True when this approval would finish the flow (办结)."""

    def can_start(self, actor: Any, obj: Any) -> str | None:
        """None when `actor` may submit `obj` for approval, else the Chinese reason."""
        return None

    def startable(self, actor: Any) -> models.QuerySet:
        """Objects the actor could submit now (for the 发起审批 page)."""
        # django-stubs' Model declares no `objects`; subject models define it (possibly a restricting manager).
        objects: models.Manager[Any] = cast(Any, self.model).objects
        return objects.none()

    def authors(self, obj: Any) -> set[int]:
        """Whose submission `obj` is besides the flow's initiator (separation of duties: none of them may approve a
        step of its flow, directly or as a delegate). Default: the object's drafter (拟稿人, 发文) or author."""
        return {pk for pk in (getattr(obj, "drafter_id", None), getattr(obj, "author_id", None)) if pk}

    def approve_refusal(self, obj: Any, step_name: str) -> str | None:
        """None when a step may be approved now, else the Chinese reason (e.g. 发文 at 核稿: 份数 below the number of
        recipients). Asked by work_item_approve before the item closes, so a wrong 稿纸 stops where it is checked."""
        return None

    def on_approved(self, *, instance: Any, obj: Any, actor: Any) -> None:
        """Called inside the transaction that finishes the flow (办结)."""

    def on_ended(self, *, instance: Any, obj: Any, actor: Any) -> None:
        """Called when the flow is withdrawn (撤回) or terminated (终止)."""

    def finished_message(self, obj: Any) -> str:
        """What the initiator is told when the last step approved, after `on_approved` ran: what actually happened
        to the object (签发, 已发布, 转入承办 …), not a generic "已办结"."""
        return f"{self.label}已审批通过"


SUBJECTS: dict[str, FlowSubject] = {}


def register_subject(subject: FlowSubject) -> None:
    if not subject.business_type:
        raise ValueError("FlowSubject 需要 business_type")
    SUBJECTS[subject.business_type] = subject


def subject_for(business_type: str) -> FlowSubject | None:
    return SUBJECTS.get(business_type)


def business_type_of(obj: Any) -> str | None:
    for key, subject in SUBJECTS.items():
        if isinstance(obj, subject.model):
            return key
    return None


def business_type_choices() -> list[tuple[str, str]]:
    return [(key, s.label) for key, s in sorted(SUBJECTS.items())]


def business_type_label(key: str) -> str:
    subject = SUBJECTS.get(key)
    return subject.label if subject else key
