"""收文 reads: every list, count and statistic goes through restrict() — a user sees only what they may."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhongshu.core.errors import NotFound
from zhongshu.workdays.calendar import workdays_between

from .models import CirculationSlot, IncomingDocument, Undertaking, undertaking_handlers_q


def incoming_for(user, action: str = "view") -> QuerySet[IncomingDocument]:
    return IncomingDocument.objects.restrict(user, action).select_related("registered_by", "outgoing")


def incoming_get(user, pk) -> IncomingDocument:
    try:
        return incoming_for(user).get(pk=int(pk))
    except (IncomingDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def undertakings_for(user) -> QuerySet[Undertaking]:
    """承办 tasks the user acts on (as head, liaison or the person handed to), open ones first."""
    visible = incoming_for(user).values("pk")
    return (Undertaking.objects.filter(undertaking_handlers_q(user), document_id__in=visible)
            .select_related("document", "department", "organization", "assignee").order_by("status", "deadline", "-id"))


def reading_for(user) -> QuerySet[CirculationSlot]:
    """传阅件 the user holds now (在阅)."""
    return (CirculationSlot.objects.filter(reader_id=user.pk, status=CirculationSlot.Status.HOLDING,
                                           circulation__document_id__in=incoming_for(user).values("pk"))
            .select_related("circulation__document").order_by("received_at"))


@dataclass
class IncomingStats:
    """The 收文 dashboard for one year: counts, overdue documents, average handling time in working days."""

    year: int
    total: int = 0
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_department: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[int] = field(default_factory=list)
    closed: int = 0
    avg_workdays: float | None = None
    overdue: list[IncomingDocument] = field(default_factory=list)


def incoming_stats(user, *, year: int, today: datetime.date) -> IncomingStats:
    from .services import overdue_q

    qs = incoming_for(user).filter(organization_id=user.organization_id).filter(Q(number_year=year) | Q(number_year__isnull=True, created_at__year=year)).order_by()
    st = IncomingStats(year=year)
    st.total = qs.count()
    labels = dict(IncomingDocument.Source.choices)
    st.by_source = [(str(labels.get(r["source"], r["source"])), r["n"]) for r in qs.values("source").annotate(n=Count("id")).order_by("-n")]
    st.by_type = [(r["doc_type"] or "（未标注）", r["n"]) for r in qs.values("doc_type").annotate(n=Count("id")).order_by("-n", "doc_type")]
    status_labels = dict(IncomingDocument.Status.choices)
    st.by_status = [(str(status_labels[r["status"]]), r["n"]) for r in qs.values("status").annotate(n=Count("id")).order_by("-n")]
    by_unit = Counter({r["lead_department__name"]: r["n"] for r in qs.filter(lead_department__isnull=False)
                       .values("lead_department__name").annotate(n=Count("id"))})
    by_unit.update({r["lead_organization__short_name"]: r["n"] for r in qs.filter(lead_organization__isnull=False)
                    .values("lead_organization__short_name").annotate(n=Count("id"))})
    by_unit.update({r["lead_external__short_name"] or r["lead_external__name"]: r["n"] for r in qs.filter(lead_external__isnull=False)
                    .values("lead_external__short_name", "lead_external__name").annotate(n=Count("id"))})
    st.by_department = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))
    months = Counter(d.month for d in qs.exclude(received_on__isnull=True).values_list("received_on", flat=True))
    st.by_month = [months.get(m, 0) for m in range(1, 13)]
    # Average handling time: working days from 收文日期 to 办结, over documents closed (not returned) this year.
    pairs = Counter(
        (r["received_on"], timezone.localtime(r["closed_at"]).date(), r["organization_id"])
        for r in qs.filter(status=IncomingDocument.Status.CLOSED, received_on__isnull=False, closed_at__isnull=False)
        .values("received_on", "closed_at", "organization_id")
    )
    st.closed = sum(pairs.values())
    if st.closed:
        total = sum(workdays_between(a, b, organization_id=org) * n for (a, b, org), n in pairs.items())
        st.avg_workdays = round(total / st.closed, 1)
    st.overdue = list(incoming_for(user).filter(organization_id=user.organization_id).filter(overdue_q(today)).distinct().order_by("deadline", "id")[:200])
    return st


def supervision_seed(doc: IncomingDocument) -> dict:
    """What a 督办 item made from this 收文 starts with (转督办): the leaders' 批示 as its content and source, the
    last instructing leader as the responsible leader, the 承办安排 as its departments and deadline."""
    from zhongshu.flow.services import flow_state

    instructions = [h for h in flow_state(doc).history
                    if h.opinion and h.action != "start" and ("批示" in h.step_name or "领导" in h.step_name)]
    lines = [f"{h.actor_label}批示：{h.opinion}" for h in instructions]
    seed: dict = {
        "title": doc.title[:200],
        "content": ("\n".join(lines) + "\n" if lines else "") + f"来文：{doc.sender_name} {doc.doc_number} 《{doc.title}》",
        "source": "instruction" if lines else "document",
        "source_ref": f"{doc.receipt_number} {doc.sender_name} {doc.doc_number}".strip()[:120],
        "classification": doc.classification,
        "deadline": doc.deadline,
    }
    last = instructions[-1].actor if instructions else None
    if last is not None and "leader" in last.role_set:
        seed["responsible_leader"] = last
    if doc.lead_department_id:
        seed["lead_department"] = doc.lead_department
        seed["co_departments"] = list(doc.co_departments.all())
    return seed
