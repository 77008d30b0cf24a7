"""收文 policy: who reads a 收文, what each person may do to it, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, is_system, register

from .models import (
    Circulation,
    CirculationSlot,
    ExtensionRequest,
    IncomingDocument,
    Undertaking,
    undertaking_handlers_q,
)


class IncomingPolicy(Policy):
    model = IncomingDocument
    area = "incoming"
    noun = "收文"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The office registers and distributes every incoming document (收文 is centrally managed); others see one
        # when the flow or an explicit grant brings it to them.
        if has_perm(user, "incoming.register"):
            return Q(pk__isnull=False)
        # 承办 departments (their head, liaisons and the person a task was handed to) and 传阅 readers who hold or
        # held the document.
        undertaking = Undertaking.objects.filter(undertaking_handlers_q(user))
        # received_at is set only when a reader actually holds the document: a queued reader whose turn never came
        # (改送, 收回) never sees it.
        reading = CirculationSlot.objects.filter(reader_id=user.pk, received_at__isnull=False)
        return (Q(registered_by_id=user.pk) | Q(pk__in=undertaking.values("document_id"))
                | Q(pk__in=reading.values("circulation__document_id")))

    @classmethod
    def allowed_actions(cls, user: Any, obj: IncomingDocument) -> set[str]:
        """sign_in / return (退文) / review (初审) / start (送拟办) / plan (承办安排) / circulate / recall / redirect /
        read (已阅) / close (办结) / decide_extension / supervise (转督办). 承办 actions: undertaking_actions()."""
        return _actions(user, obj)

    @classmethod
    def undertaking_actions(cls, user: Any, undertaking: Undertaking) -> set[str]:
        return undertaking_actions(user, undertaking)


register(IncomingPolicy)


def _person(user: Any) -> bool:
    return (user is not None and not is_system(user) and getattr(user, "is_authenticated", False) and user.is_active
            and not user.admin_role and user.organization_id is not None)


def _office(user: Any, doc: IncomingDocument) -> bool:
    """The office (文秘/办公室主任) of the document's organization, cleared for it."""
    return (user.organization_id == doc.organization_id and has_perm(user, "incoming.register")
            and int(user.max_classification) >= doc.classification)


def _actions(user: Any, doc: IncomingDocument) -> set[str]:
    S = IncomingDocument.Status
    if not _person(user) or user.organization_id != doc.organization_id or int(user.max_classification) < doc.classification:
        return set()
    acts: set[str] = set()
    office = _office(user, doc)
    if office:
        if doc.status == S.PENDING:
            acts |= {"sign_in", "return"}
        if doc.status == S.RECEIVED and doc.reviewed_at is None:
            acts |= {"review", "return"}
        if doc.status == S.RECEIVED and doc.reviewed_at is not None and doc.kind == IncomingDocument.Kind.HANDLE:
            acts.add("start")
        active = doc.circulations.filter(status=Circulation.Status.ACTIVE).exists()
        if active:
            acts |= {"recall", "redirect"}
        elif doc.status in (S.HANDLING, S.ASSIGNED, S.CLOSED) or (doc.status == S.RECEIVED and doc.kind == IncomingDocument.Kind.READ
                                                                 and doc.reviewed_at is not None):
            acts.add("circulate")
        if doc.status in (S.HANDLING, S.ASSIGNED, S.CLOSED):
            acts.add("supervise")
        if doc.status == S.CIRCULATING:
            acts.add("close")
        elif doc.status == S.ASSIGNED:
            lead = doc.undertakings.filter(role=Undertaking.Role.LEAD).first()
            # separation of duties: whoever gave the 主办 answer does not also approve it (审核办结)
            if lead is not None and lead.status == Undertaking.Status.REPLIED and lead.replied_by_id != user.pk:
                acts.add("close")
            if has_perm(user, "incoming.manage") and ExtensionRequest.objects.filter(
                    undertaking__document=doc, status=ExtensionRequest.Status.PENDING).exclude(requested_by_id=user.pk).exists():
                acts.add("decide_extension")
    if doc.status == S.HANDLING:
        from zhongshu.flow.services import flow_state

        if flow_state(doc).held_by(user):
            acts.add("plan")  # 承办安排 at 拟办/批示
    if CirculationSlot.objects.filter(circulation__document=doc, reader_id=user.pk, status=CirculationSlot.Status.HOLDING).exists():
        acts.add("read")
    return acts


def undertaking_actions(user: Any, u: Undertaking) -> set[str]:
    """hand_to / reply / extension for the 承办 department; reply_return / chase for the office — never on the answer
    the same person gave (separation of duties)."""
    doc = u.document
    if not _person(user) or doc.status != IncomingDocument.Status.ASSIGNED or int(user.max_classification) < doc.classification:
        return set()
    if user.organization_id != doc.organization_id:
        return set()
    acts: set[str] = set()
    if u.status == Undertaking.Status.OPEN and Undertaking.objects.filter(undertaking_handlers_q(user), pk=u.pk).exists():
        acts.add("reply")
        if u.role == Undertaking.Role.LEAD:
            acts.add("extension")
        if u.department.head_id == user.pk or ("liaison" in user.role_set and u.department_id in user.department_ids):
            acts.add("hand_to")
    if _office(user, doc):
        if u.status == Undertaking.Status.REPLIED and u.replied_by_id != user.pk:
            acts.add("reply_return")
        if u.status == Undertaking.Status.OPEN:
            acts.add("chase")
    return acts
