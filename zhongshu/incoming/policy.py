"""收文 policy: who reads a 收文, what each person may do to it, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, is_system, register
from zhongshu.org import units

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
    def cross_organization(cls, user: Any) -> Q | None:
        # Another organization on the platform that holds a 承办 part (主办/协办 named in the 承办安排): the people
        # who act for that part — its principal, its liaisons, the person it was handed to — read the document.
        # The classification ceiling still applies (restrict() adds it to this branch too).
        if getattr(user, "organization_id", None) is None:
            return None
        parts = Undertaking.objects.filter(organization_id=user.organization_id).filter(undertaking_handlers_q(user))
        return Q(pk__in=parts.values("document_id"))

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
            # separation of duties: whoever gave or acts for the 主办 answer does not also approve it (审核办结)
            # 审核办结 waits for every 协办 part: their opinions are part of the answer.
            if (lead is not None and lead.status == Undertaking.Status.REPLIED and not acts_for_answer(user, lead)
                    and not doc.undertakings.filter(role=Undertaking.Role.CO, status=Undertaking.Status.OPEN).exists()):
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


def acts_for_answer(user: Any, u: Undertaking) -> bool:
    """Separation of duties: the person who answered, or anyone acting for the unit that answered, does not review it."""
    return u.replied_by_id == user.pk or Undertaking.objects.filter(undertaking_handlers_q(user), pk=u.pk).exists()


def _signs_for(user: Any, u: Undertaking) -> bool:
    return units.signs_for(user, department=u.department, organization=u.organization)


def undertaking_actions(user: Any, u: Undertaking) -> set[str]:
    """accept (签收) / hand_to / reply / extension for the 承办 unit — a department of the document's organization or
    another organization on the platform; reply_return / chase for the office — never on an answer the same person
    gave or acts for (separation of duties)."""
    doc = u.document
    if not _person(user) or doc.status != IncomingDocument.Status.ASSIGNED or int(user.max_classification) < doc.classification:
        return set()
    home = user.organization_id == doc.organization_id
    if not home and (u.organization_id is None or user.organization_id != u.organization_id):
        return set()
    acts: set[str] = set()
    if u.external_id is not None:  # an outside organ on paper: the office records its part and reviews it
        if home and _office(user, doc):
            if u.status == Undertaking.Status.OPEN:
                acts.add("record_paper")
            if u.status == Undertaking.Status.REPLIED and not acts_for_answer(user, u):
                acts.add("reply_return")
        return acts
    if u.status == Undertaking.Status.OPEN and Undertaking.objects.filter(undertaking_handlers_q(user), pk=u.pk).exists():
        acts.add("reply")
        if u.role == Undertaking.Role.LEAD:
            acts.add("extension")
        if _signs_for(user, u):
            acts.add("hand_to")
            if u.accepted_at is None:
                acts.add("accept")
    if home and _office(user, doc):
        if u.status == Undertaking.Status.REPLIED and not acts_for_answer(user, u):
            acts.add("reply_return")
        if u.status == Undertaking.Status.OPEN:
            acts.add("chase")
    return acts


def part_actors(undertaking: Undertaking) -> list[Any]:
    """Who must act on a 承办 part now (for the one 待办): while it is open, the person it was handed to, else the
    unit's signers (head/principal and liaisons) — cleared for the document; nobody once it is answered (then the
    office reviews: `part_reviewers`)."""
    u = undertaking
    if u.status != Undertaking.Status.OPEN or u.document.status != IncomingDocument.Status.ASSIGNED:
        return []
    if u.external_id is not None:  # on paper: the office records what the outside organ did
        from .services.handling import office_people

        return [p for p in office_people(u.document.organization_id) if _office(p, u.document)]
    people = units.contacts(department=u.department, organization=u.organization, assignee=u.assignee if u.assignee_id else None)
    return [p for p in people if IncomingPolicy.may_receive(p, u.document)]


def part_reviewers(undertaking: Undertaking) -> list[Any]:
    """Who reviews an answered part (审核办结 / 退回重办): the office of the document's organization, cleared for it,
    except whoever answered or acts for the part."""
    from zhongshu.org.models import User

    u = undertaking
    if u.status != Undertaking.Status.REPLIED or u.document.status != IncomingDocument.Status.ASSIGNED:
        return []
    office = User.objects.filter(organization_id=u.document.organization_id, is_active=True, admin_role="",
                                 role_assignments__role__in=["clerk", "office_director"]).distinct()
    return [p for p in office if _office(p, u.document) and not acts_for_answer(p, u)]


def part_actors_q(user: Any) -> Q:
    """A filter on Undertaking: the open parts `user` must act on (the inbox's indexed query; combine with
    `Undertaking.objects.restrict(user)`)."""
    return undertaking_handlers_q(user) & Q(status=Undertaking.Status.OPEN, document__status=IncomingDocument.Status.ASSIGNED)
