"""收文 承办: the 承办安排 named at 拟办/批示 (主办 and 协办 departments, a deadline), the departments' work
(hand to a person, 答复 with attachments, 延期申请), the office's review (退回, 同意延期) and 办结; 催办 by hand and
by the daily scan (before, on and after the deadline, escalating to the office director)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import SYSTEM
from zhongshu.audit.services import record
from zhongshu.core.attachments import attachment_add, check_upload
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.signals import updated
from zhongshu.notify.services import notify
from zhongshu.org import units
from zhongshu.org.models import Department, ExternalOrgan, Organization, User
from zhongshu.workdays.calendar import add_workdays, is_workday

from ..models import ExtensionRequest, IncomingDocument, Undertaking, undertaking_handlers_q
from ..policy import IncomingPolicy, acts_for_answer


def _tell(doc: IncomingDocument, *, recipients: Iterable[User], **kwargs: Any) -> None:
    """Notifications about 收文: the document is the subject, so its policy keeps the title from anyone below its
    密级 (or redacts it) and a classified title out of e-mail and group robots."""
    notify(recipients=[p for p in recipients if p is not None], subject=doc, **kwargs)


def office_people(organization_id: int) -> list[User]:
    """The office: 文秘 and 办公室主任 of the organization, who follow every 收文."""
    return list(User.objects.filter(organization_id=organization_id, is_active=True, admin_role="",
                                    role_assignments__role__in=["clerk", "office_director"]).distinct())


def handlers_of(undertaking: Undertaking) -> list[User]:
    """Who acts for the 承办 unit (the shared rule, zhongshu/org/units.py): the person it was handed to, else a
    department's head and liaisons, or another organization's principal and liaisons."""
    u = undertaking
    if u.external_id:  # an outside organ on paper: the office sends it, chases it and records its answer
        return office_people(u.document.organization_id)
    return units.contacts(department=u.department, organization=u.organization, assignee=u.assignee if u.assignee_id else None)


Unit = Department | Organization | ExternalOrgan


def _unit_refusal(document: IncomingDocument, unit: Unit) -> str | None:
    """Why a unit cannot take a part of this document: nobody to sign for it, or its receivers not cleared."""
    if isinstance(unit, ExternalOrgan):
        if document.classification >= 2:  # a classified document does not go to an outside organ through this route
            return f"{unit.short_name or unit.name}不在平台上，涉密收文不能交其纸质承办，请按机要渠道办理。"
        return None
    if isinstance(unit, Organization):
        people = units.signers(organization=unit)
        name = unit.short_name or unit.name
    else:
        people = units.signers(department=unit)
        name = unit.name
    if isinstance(unit, Organization) and not people:
        return f"{name}在平台上没有主要负责人或联络员，无法签收承办事项。"
    refused = IncomingPolicy.refusals(people, document)
    if refused:
        level = document.get_classification_display()
        return f"{name}的签收人员不能承办{level}收文：" + "；".join(r.reason for r in refused) + "。"
    return None


def _require(actor: User, undertaking: Undertaking, action: str, message: str = "您无权办理该承办事项。") -> None:
    """The 收文 policy decides (the same answer the page used to show the button)."""
    if action not in IncomingPolicy.undertaking_actions(actor, undertaking):
        raise PermissionDenied(message)


def can_handle(user: User, undertaking: Undertaking) -> bool:
    return Undertaking.objects.filter(undertaking_handlers_q(user), pk=undertaking.pk).exists()


def _holds_flow_item(user: User, document: IncomingDocument) -> bool:
    from zhongshu.flow.services import flow_state

    return flow_state(document).held_by(user)


def _unit_error(document: IncomingDocument, unit: Unit) -> str | None:
    if isinstance(unit, ExternalOrgan):
        if unit.organization_id != document.organization_id:
            return "外单位应为本机关通讯录中的单位。"
        if unit.platform_organization_id is not None:
            return f"{unit.short_name or unit.name}已在平台上，请选择平台内机关，由其在线签收办理。"
        return None
    if isinstance(unit, Organization):
        if unit.pk == document.organization_id:
            return "本机关请选择具体的内设机构。"
        if not unit.is_active:
            return f"{unit.short_name or unit.name}已停用。"
        return None
    if not isinstance(unit, Department) or unit.organization_id != document.organization_id:
        return "承办部门应为本机关的内设机构，或平台内的其他机关。"
    if not unit.is_active:
        return f"{unit.name}已停用。"
    return None


def incoming_plan(*, actor: User, document: IncomingDocument, lead_department: Unit | None,
                  co_departments: Iterable[Unit] = (), deadline: datetime.date | None = None) -> IncomingDocument:
    """承办安排: whoever holds the document at 拟办 or 批示 names the 主办 unit, 协办 units and the deadline; a later
    leader may change it. It takes effect when the flow is approved (批示完毕). A unit is a department of this
    organization or another organization on the platform (a county bureau, a township), whose principal or
    liaison signs for the part; every unit's receivers must be cleared for the document's 密级."""
    co = list(dict.fromkeys(co_departments))
    errors: dict[str, list[str] | str] = {}
    if lead_department is None:
        errors["lead_department"] = "请选择主办单位。"
    else:
        problem = _unit_error(document, lead_department) or _unit_refusal(document, lead_department)
        if problem:
            errors["lead_department"] = problem
    for unit in co:
        problem = _unit_error(document, unit) or _unit_refusal(document, unit)
        if problem:
            errors["co_departments"] = problem
            break
    else:
        if lead_department is not None and lead_department in co:
            errors["co_departments"] = "主办单位不能同时作为协办单位。"
    if deadline is not None and deadline < timezone.localdate():
        errors["deadline"] = "办理时限不能早于今天。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != IncomingDocument.Status.HANDLING:
            raise Conflict("只有拟办、批示过程中的收文可以安排承办。")
        if not _holds_flow_item(actor, doc):
            raise PermissionDenied("只有正在拟办或批示该文的人员可以安排承办。")
        before = {"lead": str(doc.lead_unit or ""), "co": [str(d) for d in doc.co_units()],
                  "deadline": doc.deadline.isoformat() if doc.deadline else None}
        doc.lead_department = lead_department if isinstance(lead_department, Department) else None
        doc.lead_organization = lead_department if isinstance(lead_department, Organization) else None
        doc.lead_external = lead_department if isinstance(lead_department, ExternalOrgan) else None
        if deadline is not None:
            doc.deadline = deadline
        doc.save(update_fields=["lead_department", "lead_organization", "lead_external", "deadline"])
        doc.co_departments.set([u for u in co if isinstance(u, Department)])
        doc.co_organizations.set([u for u in co if isinstance(u, Organization)])
        doc.co_externals.set([u for u in co if isinstance(u, ExternalOrgan)])
        record(actor=actor, action="incoming.plan", target=doc, before=before,
               after={"lead": str(lead_department), "co": [str(d) for d in co], "deadline": doc.deadline.isoformat() if doc.deadline else None})
    return doc


def undertakings_open(*, document: IncomingDocument, actor: User) -> None:
    """批示完毕 (called by the flow adapter inside the finishing transaction): with a 主办 department the
    document goes to 承办; without one (圈阅, 阅知) it is 办结."""
    doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    if doc.status != IncomingDocument.Status.HANDLING:
        return
    if doc.lead_department_id is None and doc.lead_organization_id is None and doc.lead_external_id is None:
        doc.status, doc.closed_at, doc.closed_by, doc.close_note = IncomingDocument.Status.CLOSED, timezone.now(), actor, "批示完毕，无需承办"
        doc.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        record(actor=actor, action="incoming.close", target=doc, after={"status": "closed"}, note=doc.close_note)
        return
    rows = [Undertaking(document=doc, department_id=doc.lead_department_id, organization_id=doc.lead_organization_id,
                        external_id=doc.lead_external_id, role=Undertaking.Role.LEAD, deadline=doc.deadline, original_deadline=doc.deadline)]
    rows += [Undertaking(document=doc, department=d, role=Undertaking.Role.CO, deadline=doc.deadline, original_deadline=doc.deadline)
             for d in doc.co_departments.all()]
    rows += [Undertaking(document=doc, organization=o, role=Undertaking.Role.CO, deadline=doc.deadline, original_deadline=doc.deadline)
             for o in doc.co_organizations.all()]
    rows += [Undertaking(document=doc, external=x, role=Undertaking.Role.CO, deadline=doc.deadline, original_deadline=doc.deadline)
             for x in doc.co_externals.all()]
    created = Undertaking.objects.bulk_create(rows)
    doc.status = IncomingDocument.Status.ASSIGNED
    doc.save(update_fields=["status"])
    record(actor=actor, action="incoming.assign", target=doc, after={"departments": [str(u.unit) for u in created]})
    for u in Undertaking.objects.filter(document=doc).select_related("department__head", "organization", "external"):
        _tell(doc, recipients=handlers_of(u), title=f"{u.get_role_display()}：{doc.title}",
               body=(f"请纸质送达{u.unit_label}并登记办理情况" if u.on_paper else f"请签收并办理（{u.unit_label}）") + (f"，办理时限 {doc.deadline:%Y-%m-%d}" if doc.deadline else ""), url=doc.get_absolute_url(),
               level="urgent" if doc.urgency else "reminder")


def _lock_undertaking(actor: User, undertaking: Undertaking, *, statuses: Sequence[str] = (Undertaking.Status.OPEN,)) -> Undertaking:
    # Document first, then its undertakings — the order 办结 uses too — so concurrent actions wait, never deadlock.
    IncomingDocument.objects.select_for_update().get(pk=undertaking.document_id)
    u = Undertaking.objects.select_for_update(of=("self",)).select_related("document", "department", "organization").get(pk=undertaking.pk)
    if u.document.status != IncomingDocument.Status.ASSIGNED:
        raise Conflict(f"该文当前为“{u.document.get_status_display()}”，不在承办阶段。")
    if u.status not in statuses:
        raise Conflict(f"该承办事项当前为“{u.get_status_display()}”，请刷新。")
    return u


def _sign(actor: User, u: Undertaking) -> list[str]:
    """签收 (explicit, or implied by handing on or answering): remembered once, with who and when."""
    if u.accepted_at is not None:
        return []
    u.accepted_by, u.accepted_at = actor, timezone.now()
    return ["accepted_by", "accepted_at"]


def undertaking_accept(*, actor: User, undertaking: Undertaking) -> Undertaking:
    """签收: the unit (a department's head or liaison, another organization's principal or liaison) acknowledges its
    part; the office sees who signed and when."""
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        if u.accepted_at is not None:
            raise Conflict("该承办事项已签收，请刷新。")
        _require(actor, u, "accept", "只有承办单位的负责人或联络员可以签收。")
        u.save(update_fields=_sign(actor, u))
        record(actor=actor, action="incoming.accept", target=u.document, after={"unit": u.unit_label, "role": u.role})
    return u


def undertaking_hand_to(*, actor: User, undertaking: Undertaking, assignee: User) -> Undertaking:
    """交办: the unit's head/principal or liaison hands its part to one of its people (签收 at the same time)."""
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        _require(actor, u, "hand_to", "只有承办单位的负责人或联络员可以交办。")
        if not assignee.is_active or not units.members(department=u.department, organization=u.organization).filter(pk=assignee.pk).exists():
            message = "只能交给本单位的人员办理。" if u.organization_id else "只能交给本部门的人员办理。"
            raise ServiceError(message, fields={"assignee": message})
        if assignee.max_classification < u.document.classification:
            raise ServiceError(f"{assignee.display_name}的涉密等级不足以办理{u.document.get_classification_display()}文件。",
                               fields={"assignee": "涉密等级不足。"})
        before = u.assignee.display_name if u.assignee else ""
        u.assignee = assignee
        u.save(update_fields=["assignee", *_sign(actor, u)])
        record(actor=actor, action="incoming.hand_to", target=u.document, before={"assignee": before}, after={"assignee": assignee.display_name})
        _tell(u.document, recipients=[assignee], title=f"交办：{u.document.title}", body=f"{actor.display_name}交您办理（{u.get_role_display()}）",
               url=u.document.get_absolute_url())
    return u


def undertaking_reply(*, actor: User, undertaking: Undertaking, reply: str, files: Sequence[Any] = ()) -> Undertaking:
    """答复: the 主办 department's handling result (协办: its opinion), with attachments; the office is told."""
    reply = (reply or "").strip()
    if not reply:
        raise ServiceError("请填写办理结果。", fields={"reply": "请填写办理结果。"})
    if len(reply) > 5000:
        raise ServiceError("办理结果不能超过 5000 字。", fields={"reply": "办理结果不能超过 5000 字。"})
    for f in files:
        check_upload(f, field="files")  # every file is checked before anything is written
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        _require(actor, u, "reply", "只有承办单位的负责人、联络员或具体承办人可以答复。")
        u.reply, u.replied_by, u.replied_at, u.status, u.return_note = reply, actor, timezone.now(), Undertaking.Status.REPLIED, ""
        u.save(update_fields=["reply", "replied_by", "replied_at", "status", "return_note", *_sign(actor, u)])
        for f in files:
            attachment_add(actor=actor, obj=u, upload=f)
        record(actor=actor, action="incoming.reply", target=u.document, after={"department": u.unit_label, "role": u.role}, note=reply[:300])
        _tell(u.document, recipients=office_people(u.document.organization_id), title=f"已答复：{u.document.title}",
               body=f"{u.unit_label}（{u.get_role_display()}）", url=u.document.get_absolute_url())
    return u


def undertaking_return(*, actor: User, undertaking: Undertaking, reason: str) -> Undertaking:
    """退回重办: the office finds a 答复 insufficient and sends it back with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回理由。", fields={"reason": "请填写退回理由。"})
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking, statuses=(Undertaking.Status.REPLIED,))
        _require_office(actor, u.document)
        if acts_for_answer(actor, u):
            raise PermissionDenied("不能审核自己（或本单位）的答复：请由办公室其他人员退回或办结。")
        _require(actor, u, "reply_return")
        u.status, u.return_note = Undertaking.Status.OPEN, reason[:300]
        u.save(update_fields=["status", "return_note"])
        record(actor=actor, action="incoming.reply_return", target=u.document, note=reason[:300])
        _tell(u.document, recipients=handlers_of(u), title=f"答复被退回：{u.document.title}", body=reason, url=u.document.get_absolute_url(), level="warning")
    return u


def _require_office(actor: User, document: IncomingDocument, perm: str = "incoming.register") -> None:
    if not has_perm(actor, perm) or actor.organization_id != document.organization_id:
        raise PermissionDenied("只有本机关办公室可以办理此项。" if perm == "incoming.register" else "只有办公室主任可以审批延期。")


def incoming_close(*, actor: User, document: IncomingDocument, note: str = "") -> IncomingDocument:
    """办结: the office reviews the 主办 department's 答复 and closes the document (a 阅件 whenever the office
    decides it has been read enough)."""
    note = (note or "").strip()[:300]
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        _require_office(actor, doc)
        if doc.status == IncomingDocument.Status.ASSIGNED:
            lead = doc.undertakings.filter(role=Undertaking.Role.LEAD).first()
            if lead is None or lead.status != Undertaking.Status.REPLIED:
                raise Conflict("主办部门尚未答复，不能办结。")
            if acts_for_answer(actor, lead):
                raise PermissionDenied("不能审核办结自己（或本单位）答复的收文：请由办公室其他人员审核。")
            if ExtensionRequest.objects.filter(undertaking__document=doc, status=ExtensionRequest.Status.PENDING).exists():
                raise Conflict("还有待审批的延期申请，请先审批。")
            waiting = [u.unit_label for u in doc.undertakings.filter(role=Undertaking.Role.CO, status=Undertaking.Status.OPEN)
                       .select_related("department", "organization")]
            if waiting:
                raise Conflict(f"协办单位{'、'.join(waiting)}尚未答复，全部答复后方可审核办结（可先催办）。")
        elif doc.status != IncomingDocument.Status.CIRCULATING:
            raise Conflict(f"该文当前为“{doc.get_status_display()}”，不能办结。")
        else:
            from .circulation import circulation_recall_active

            circulation_recall_active(actor=actor, document=doc, reason="办结时收回")
        IncomingPolicy.require(actor, doc, "close", "您不能办结该文。")
        doc.undertakings.exclude(status=Undertaking.Status.CLOSED).update(status=Undertaking.Status.CLOSED)
        before = doc.status
        doc.status, doc.closed_at, doc.closed_by, doc.close_note = IncomingDocument.Status.CLOSED, timezone.now(), actor, note
        doc.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        record(actor=actor, action="incoming.close", target=doc, before={"status": before}, after={"status": "closed"}, note=note)
    return doc


def extension_request(*, actor: User, undertaking: Undertaking, requested_deadline: datetime.date | None, reason: str) -> ExtensionRequest:
    """延期申请: only the 主办 department, with a reason and a date later than the current deadline."""
    reason = (reason or "").strip()
    errors: dict[str, list[str] | str] = {}
    if not reason:
        errors["reason"] = "请填写延期理由。"
    if requested_deadline is None:
        errors["requested_deadline"] = "请选择申请延至的日期。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    assert requested_deadline is not None
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        if u.role != Undertaking.Role.LEAD:
            raise PermissionDenied("只有主办单位可以申请延期。")
        if not can_handle(actor, u):
            raise PermissionDenied("只有承办单位的负责人、联络员或具体承办人可以申请延期。")
        if u.deadline is not None and requested_deadline <= u.deadline:
            raise ServiceError("申请延至的日期应晚于现在的办理时限。", fields={"requested_deadline": f"现办理时限为 {u.deadline:%Y-%m-%d}。"})
        if requested_deadline < timezone.localdate():
            raise ServiceError("申请延至的日期不能早于今天。", fields={"requested_deadline": "不能早于今天。"})
        if u.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise Conflict("已有一份待审批的延期申请。")
        req = ExtensionRequest.objects.create(undertaking=u, requested_by=actor, reason=reason[:300], previous_deadline=u.deadline,
                                              requested_deadline=requested_deadline)
        record(actor=actor, action="incoming.extension_request", target=u.document,
               after={"from": u.deadline.isoformat() if u.deadline else None, "to": requested_deadline.isoformat()}, note=reason[:300])
        directors = [p for p in office_people(u.document.organization_id) if has_perm(p, "incoming.manage")]
        _tell(u.document, recipients=directors, title=f"延期申请：{u.document.title}", body=f"{u.unit_label}申请延至 {requested_deadline:%Y-%m-%d}：{reason}",
               url=u.document.get_absolute_url())
    return req


def extension_decide(*, actor: User, request_: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """延期审批 by the office director: approved moves the deadline (the original stays on record); refused
    keeps it. The department is told either way."""
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise ServiceError("不同意延期时请说明理由。", fields={"note": "请说明理由。"})
    with transaction.atomic():
        u = _lock_undertaking(actor, Undertaking.objects.get(pk=request_.undertaking_id),  # document, undertaking, then request
                              statuses=(Undertaking.Status.OPEN, Undertaking.Status.REPLIED))
        req = ExtensionRequest.objects.select_for_update(of=("self",)).select_related("undertaking__document").get(pk=request_.pk)
        _require_office(actor, req.undertaking.document, "incoming.manage")
        if req.status != ExtensionRequest.Status.PENDING:
            raise Conflict("该延期申请已经审批，请刷新。")
        req.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
        req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), note
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            u.deadline, u.reminded = req.requested_deadline, []
            u.save(update_fields=["deadline", "reminded"])
            Undertaking.objects.filter(document_id=u.document_id, role=Undertaking.Role.CO, status=Undertaking.Status.OPEN).update(deadline=req.requested_deadline)
            updated(u.document)  # derived data (the inbox's deadlines) follows the 协办 parts
        record(actor=actor, action="incoming.extension_decide", target=u.document,
               after={"approved": approve, "deadline": u.deadline.isoformat() if u.deadline else None}, note=note)
        verdict = f"同意延至 {req.requested_deadline:%Y-%m-%d}" if approve else f"不同意：{note}"
        _tell(u.document, recipients=[req.requested_by, *handlers_of(u)], title=f"延期申请{'已同意' if approve else '未同意'}：{u.document.title}",
               body=verdict, url=u.document.get_absolute_url(), level="info" if approve else "warning")
    return req


def undertaking_chase(*, actor: User, undertaking: Undertaking, message: str = "") -> Undertaking:
    """催办 by hand: the office reminds the department; recorded in the audit trail."""
    message = (message or "").strip()[:200] or "请抓紧办理并按时答复。"
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        _require_office(actor, u.document)
        _require(actor, u, "chase")
        record(actor=actor, action="incoming.chase", target=u.document, after={"department": u.unit_label}, note=message)
        _tell(u.document, recipients=handlers_of(u), title=f"催办：{u.document.title}", body=message, url=u.document.get_absolute_url(), level="urgent")
    return u


def undertaking_reminders_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    """Daily: remind 承办 departments the working day before the deadline and on it; when overdue, remind once
    and escalate to the office director. Idempotent — each kind is sent once per deadline."""
    today = today or timezone.localdate()
    sent = {"before": 0, "due": 0, "overdue": 0}
    open_ = Undertaking.objects.filter(status=Undertaking.Status.OPEN, deadline__isnull=False,
                                       document__status=IncomingDocument.Status.ASSIGNED).select_related("document", "department__head", "organization")
    for u in open_.filter(deadline__lte=today + datetime.timedelta(days=15)):
        org = u.document.organization_id
        if not is_workday(today, organization_id=org):
            continue  # reminders go out on working days only
        due = u.deadline
        if due is None:
            continue
        kind = None
        if due == today:
            kind = "due"
        elif due < today:
            kind = "overdue"
        elif add_workdays(today, 1, organization_id=org) >= due:
            kind = "before"
        if kind is None or kind in u.reminded:
            continue
        with transaction.atomic():
            locked = Undertaking.objects.select_for_update().get(pk=u.pk)
            if kind in locked.reminded:
                continue
            locked.reminded = [*locked.reminded, kind]
            locked.save(update_fields=["reminded"])
            text = {"before": f"明天（{u.deadline:%m月%d日}）到期", "due": "今天到期", "overdue": f"已于 {u.deadline:%Y-%m-%d} 逾期"}[kind]
            _tell(u.document, recipients=handlers_of(u), title=f"收文{text}：{u.document.title}", body=f"{u.unit_label}（{u.get_role_display()}）",
                   url=u.document.get_absolute_url(), level="urgent" if kind != "before" else "reminder")
            if kind == "overdue" and u.role == Undertaking.Role.LEAD:
                directors = [p for p in office_people(org) if has_perm(p, "incoming.manage")]
                _tell(u.document, recipients=directors, title=f"逾期未办结：{u.document.title}", body=f"主办单位：{u.unit_label}",
                       url=u.document.get_absolute_url(), level="urgent")
            record(actor=SYSTEM, action="incoming.remind", target=u.document, after={"kind": kind, "department": u.unit_label})
        sent[kind] += 1
    return sent


def overdue_q(today: datetime.date) -> Q:
    """收文 past their deadline and not closed: the 主办 department's (extended) deadline when assigned,
    the document's own otherwise."""
    return (Q(status=IncomingDocument.Status.ASSIGNED, undertakings__role=Undertaking.Role.LEAD, undertakings__deadline__lt=today)
            | Q(status__in=[IncomingDocument.Status.RECEIVED, IncomingDocument.Status.HANDLING, IncomingDocument.Status.CIRCULATING],
                deadline__lt=today))


def undertaking_record_paper(*, actor: User, undertaking: Undertaking, sent_on: datetime.date | None = None,
                             reply_on: datetime.date | None = None, result: str = "") -> Undertaking:
    """登记外单位纸质办理: for an outside organ not on the platform the office records, on its behalf, the date the
    document was sent on paper, and — once its 答复 arrives — the date received and the result. With the result the
    part is 已答复 and the office reviews it as any other (审核办结 by someone other than the recorder)."""
    result = (result or "").strip()
    today = timezone.localdate()
    errors: dict[str, list[str] | str] = {}
    if sent_on is None and undertaking.paper_sent_on is None:
        errors["sent_on"] = "请填写纸质送达日期。"
    elif sent_on is not None and sent_on > today:
        errors["sent_on"] = "送达日期不能晚于今天。"
    sent = sent_on or undertaking.paper_sent_on
    if result and reply_on is None:
        errors["reply_on"] = "请填写答复收到日期。"
    elif reply_on is not None:
        if not result:
            errors["result"] = "请填写外单位答复的办理结果。"
        if reply_on > today:
            errors["reply_on"] = "答复收到日期不能晚于今天。"
        elif sent is not None and reply_on < sent:
            errors["reply_on"] = "答复收到日期不能早于送达日期。"
    if len(result) > 5000:
        errors["result"] = "办理结果不能超过 5000 字。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    with transaction.atomic():
        u = _lock_undertaking(actor, undertaking)
        if not u.on_paper:
            raise Conflict("该承办单位在平台上在线办理，无需登记纸质办理情况。")
        _require(actor, u, "record_paper", "只有办公室可以登记外单位的纸质办理情况。")
        fields = ["paper_sent_on"]
        if sent_on is not None:
            u.paper_sent_on = sent_on
        fields += _sign(actor, u)  # sent on paper: the part is under way
        if result:
            u.paper_reply_on, u.reply, u.replied_by, u.replied_at = reply_on, result, actor, timezone.now()
            u.status, u.return_note = Undertaking.Status.REPLIED, ""
            fields += ["paper_reply_on", "reply", "replied_by", "replied_at", "status", "return_note"]
        u.save(update_fields=fields)
        record(actor=actor, action="incoming.record_paper", target=u.document,
               after={"unit": u.unit_label, "role": u.role, "sent_on": u.paper_sent_on, "reply_on": u.paper_reply_on, "replied": bool(result)})
    return u
