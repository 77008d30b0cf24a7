"""收文's task sources for the one inbox. Who must act comes from the module's own rules — `office_people`,
`handlers_of` and the policy's allowed actions — so a change of those rules (承办 by other organizations) changes
the inbox with them."""

from __future__ import annotations

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source

from .models import Circulation, CirculationSlot, ExtensionRequest, IncomingDocument, Undertaking
from .policy import IncomingPolicy

register_kind(
    TaskKind("incoming.office", "收文办理", order=20),
    TaskKind("incoming.undertaking", "收文承办", order=21),
    TaskKind("incoming.extension", "延期审批", order=22),
    TaskKind("incoming.circulation", "收文传阅", box="read", order=20),
)

# office actions on a document that are work waiting for the office (in this order of precedence)
OFFICE_ACTIONS = {"sign_in": "签收", "review": "初审", "start": "送拟办", "close": "办结"}
LABELS = {**OFFICE_ACTIONS, "circulate": "传阅"}


def _base(doc: IncomingDocument, **kw) -> dict:
    return {"title": doc.title, "url": doc.get_absolute_url(), "organization_id": doc.organization_id,
            "classification": doc.classification, "origin": doc.sender_name, **kw}


def document_tasks(doc: IncomingDocument) -> list[Spec]:
    from .services.handling import office_people

    if doc.status in (IncomingDocument.Status.RETURNED,) or (doc.status == IncomingDocument.Status.CLOSED):
        return []
    out = []
    for person in office_people(doc.organization_id):
        acts = IncomingPolicy.allowed_actions(person, doc)
        keys = [key for key in OFFICE_ACTIONS if key in acts]
        if doc.status == IncomingDocument.Status.RECEIVED and doc.kind == IncomingDocument.Kind.READ and "circulate" in acts:
            keys.append("circulate")  # a 阅件 after 初审 waits for the office to send it round (传阅)
        if not keys:
            continue
        todo = [LABELS[k] for k in keys]
        if doc.status == IncomingDocument.Status.ASSIGNED:
            todo = ["审核办结"]
        since = doc.registered_at or doc.created_at if doc.status != IncomingDocument.Status.PENDING else doc.created_at
        out.append(Spec(kind="incoming.office", assignee_id=person.pk, since=since, action="、".join(todo), key=keys[0],
                        deadline=doc.deadline, **_base(doc)))
    return out


def undertaking_tasks(u: Undertaking) -> list[Spec]:
    from .services.handling import handlers_of

    if u.status != Undertaking.Status.OPEN or u.document.status != IncomingDocument.Status.ASSIGNED:
        return []
    out = []
    for person in handlers_of(u):
        acts = IncomingPolicy.undertaking_actions(person, u)
        if "record_paper" in acts:  # an outside organ on paper: the office sends it and records its answer
            step = "登记答复" if u.paper_sent_on else "纸质送达并登记"
            out.append(Spec(kind="incoming.undertaking", assignee_id=person.pk, since=u.created_at, deadline=u.deadline,
                            action=f"{u.get_role_display()} · {u.unit_label} · {step}", **_base(u.document)))
            continue
        if "reply" not in acts and "hand_to" not in acts:
            continue
        action = f"{u.get_role_display()} · " + ("答复" if u.assignee_id == person.pk or "hand_to" not in acts else "签收交办、答复")
        out.append(Spec(kind="incoming.undertaking", assignee_id=person.pk, since=u.created_at, action=action,
                        deadline=u.deadline, **_base(u.document)))
    return out


def extension_tasks(req: ExtensionRequest) -> list[Spec]:
    from .services.handling import office_people

    if req.status != ExtensionRequest.Status.PENDING:
        return []
    doc = req.undertaking.document
    return [Spec(kind="incoming.extension", assignee_id=p.pk, since=req.requested_at, action=f"延期至 {req.requested_deadline:%Y-%m-%d}",
                 deadline=req.previous_deadline, **_base(doc, origin=req.requested_by.display_name))
            for p in office_people(doc.organization_id) if "decide_extension" in IncomingPolicy.allowed_actions(p, doc)]


def slot_tasks(slot: CirculationSlot) -> list[Spec]:
    if slot.status != CirculationSlot.Status.HOLDING or slot.circulation.status != Circulation.Status.ACTIVE:
        return []
    doc = slot.circulation.document
    return [Spec(kind="incoming.circulation", assignee_id=slot.reader_id, since=slot.received_at or slot.circulation.started_at,
                 action=f"传阅 · {slot.circulation.get_mode_display()}", **_base(doc))]


register_source(IncomingDocument, document_tasks, actor=lambda d: d.closed_by_id or d.reviewed_by_id or d.registered_by_id,
                related={Undertaking: lambda u: [u.document], ExtensionRequest: lambda r: [r.undertaking.document],
                         Circulation: lambda c: [c.document]},
                all=lambda: IncomingDocument.objects.exclude(status__in=[IncomingDocument.Status.CLOSED, IncomingDocument.Status.RETURNED]))
register_source(Undertaking, undertaking_tasks, actor=lambda u: u.replied_by_id, select=("document", "department"),
                related={IncomingDocument: lambda d: d.undertakings.all()},
                all=lambda: Undertaking.objects.filter(status=Undertaking.Status.OPEN))
register_source(ExtensionRequest, extension_tasks, actor=lambda r: r.decided_by_id, select=("undertaking__document", "requested_by"),
                related={IncomingDocument: lambda d: ExtensionRequest.objects.filter(undertaking__document=d)},
                all=lambda: ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING))
register_source(CirculationSlot, slot_tasks, actor=lambda s: s.reader_id if s.status == CirculationSlot.Status.READ else None,
                select=("circulation__document",),
                related={Circulation: lambda c: c.slots.all()},
                all=lambda: CirculationSlot.objects.filter(status=CirculationSlot.Status.HOLDING))
