"""印章 writes: the register and its lifecycle, 用印申请 (approval on the flow engine) and the keeper's 用印登记,
the 发文 用印 hook, 外借 with its overdue scan, and 介绍信 with their gapless serials. Each write is validated with
Chinese messages, runs in one transaction with the row locked, asks the policy and leaves an audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import SYSTEM
from zhongshu.audit.services import record
from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.sequences import next_serial
from zhongshu.core.signals import updated
from zhongshu.notify.services import notify
from zhongshu.org.models import Department, Organization, User

from .models import (
    DEFAULT_KINDS,
    ApprovalRule,
    ApproverKind,
    IntroLetter,
    LetterSequence,
    Matter,
    Seal,
    SealEvent,
    SealKind,
    SealLoan,
    UseRecord,
    UseRequest,
)
from .policy import (
    IntroLetterPolicy,
    SealLoanPolicy,
    SealPolicy,
    UseRequestPolicy,
    stamped_copies,
    usable_refusal,
)

# Longest validity of a 介绍信 (unconfirmed: practice varies, commonly 15–30 days; configurable here).
LETTER_MAX_DAYS = 60
# 外借 overdue: remind the carrier and keeper every working day; tell the office director after this many working days.
LOAN_ESCALATE_AFTER_WORKDAYS = 2


def _fail(field: str, message: str) -> ServiceError:
    return ServiceError(message, fields={field: message})


def _text(value: Any, field: str, label: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise _fail(field, f"请填写{label}。")
    if len(text) > limit:
        raise _fail(field, f"{label}不能超过 {limit} 个字。")
    return text


def _event(seal: Seal, kind: str, actor: Any, **values: Any) -> SealEvent:
    person = None if actor is SYSTEM else actor
    return SealEvent.objects.create(seal=seal, kind=kind, actor=person, **values)


def _lock(seal: Seal) -> Seal:
    return Seal.objects.select_for_update().select_related("kind").get(pk=seal.pk)


# ---- kinds and rules ---------------------------------------------------------------------------------------------
def ensure_kinds(organization: Organization) -> list[SealKind]:
    """The default 印章种类 of an organization (created once; configurable afterwards)."""
    for order, (code, name) in enumerate(DEFAULT_KINDS):
        SealKind.objects.get_or_create(organization=organization, code=code, defaults={"name": name, "order": order * 10})
    return list(SealKind.objects.filter(organization=organization))


def rule_add(*, actor: User, kind: SealKind | None = None, matter: str = "", approver: str, person: User | None = None,
             label: str = "", order: int = 0) -> ApprovalRule:
    """用印审批规则 (office director)."""
    if not has_perm(actor, "seals.manage"):
        raise PermissionDenied("只有办公室负责人可以设置用印审批规则。")
    if approver not in ApproverKind.values:
        raise _fail("approver", "审批人类型无效。")
    if matter and matter not in Matter.values:
        raise _fail("matter", "用印事项无效。")
    if actor.organization_id is None:
        raise PermissionDenied()
    if approver == ApproverKind.PERSON and person is None:
        raise _fail("person", "请指定审批人员。")
    if person is not None and person.organization_id != actor.organization_id:
        raise _fail("person", "只能指定本机关的人员。")
    if kind is not None and kind.organization_id != actor.organization_id:
        raise _fail("kind", "印章种类无效。")
    with transaction.atomic():
        rule = ApprovalRule.objects.create(organization_id=actor.organization_id, kind=kind, matter=matter, approver=approver,
                                           person=person if approver == ApproverKind.PERSON else None, label=label[:20], order=order)
        record(actor=actor, action="seals.rule_add", target=rule, after={"kind": kind.name if kind else "", "matter": matter,
                                                                          "approver": approver, "label": rule.label})
    return rule


def approvers_for(request: UseRequest) -> list[User]:
    """The people of the 用印审批 step, in rule order: every rule matching one of the seals' kinds (or any) and the
    matter (or any). The requester never approves his own request — his place goes to the principal."""
    kinds = set(request.seals.values_list("kind_id", flat=True))
    rules = ApprovalRule.objects.filter(organization_id=request.organization_id).filter(
        Q(kind__isnull=True) | Q(kind_id__in=kinds)).filter(Q(matter="") | Q(matter=request.matter)).select_related("person")
    dept = request.department
    org = request.organization
    people: list[User] = []
    for rule in rules:
        if rule.approver == ApproverKind.PERSON:
            found = [rule.person]
        elif rule.approver == ApproverKind.DEPT_HEAD:
            found = [dept.head] if dept is not None and dept.head_id else []
        elif rule.approver == ApproverKind.DEPT_LEADER:
            found = [dept.leader_in_charge] if dept is not None and dept.leader_in_charge_id else []
        elif rule.approver == ApproverKind.PRINCIPAL:
            found = [org.principal] if org.principal_id else []
        else:
            found = list(User.objects.filter(organization_id=org.pk, is_active=True, admin_role="", role_assignments__role="office_director").order_by("position__rank", "id")[:1])
        people += [p for p in found if p is not None and p.is_active]
    principal = org.principal
    if any(p.pk == request.requester_id for p in people) and principal is not None and principal.pk != request.requester_id:
        people.append(principal)
    people = [p for p in dict.fromkeys(people) if p.pk != request.requester_id]
    return people


# ---- the register and the lifecycle ---------------------------------------------------------------------------
def seal_apply(*, actor: User, kind: SealKind, name: str, reason: str, department: Department | None = None,
               electronic: bool = False) -> Seal:
    """刻制申请 (office director): kind, the name as it will be engraved, owner unit, reason."""
    if not has_perm(actor, "seals.manage") or actor.organization_id is None:
        raise PermissionDenied("只有办公室负责人可以申请刻制印章。")
    name = _text(name, "name", "印文", 60)
    reason = _text(reason, "reason", "刻制事由", 300)
    if kind.organization_id != actor.organization_id:
        raise _fail("kind", "印章种类无效。")
    if department is not None and department.organization_id != actor.organization_id:
        raise _fail("department", "只能为本机关或本机关的部门刻制印章。")
    with transaction.atomic():
        live = Seal.objects.filter(organization_id=actor.organization_id, name=name, kind=kind, electronic=electronic).exclude(
            status__in=(Seal.Status.DESTROYED, Seal.Status.SEALED_AWAY, Seal.Status.LOST))
        if live.exists():
            raise _fail("name", f"已有同名同种类的印章“{name}”在册，请先办理停用、封存或销毁。")
        seal = Seal.objects.create(organization_id=actor.organization_id, kind=kind, name=name, department=department,
                                   electronic=electronic, reason=reason, requested_by=actor)
        _event(seal, SealEvent.Kind.APPLY, actor, note=reason)
        record(actor=actor, action="seals.apply", target=seal, after={"name": name, "kind": kind.name, "electronic": electronic})
    return seal


def seal_make(*, actor: User, seal: Seal, engraver: str = "", filing_number: str = "", es_id: str = "",
              valid_from: datetime.date | None = None, valid_until: datetime.date | None = None, key_reference: str = "",
              certificate_subject: str = "", certificate_serial: str = "", certificate_issuer: str = "") -> Seal:
    """刻制: a physical seal names its engraver and the public-security filing number; an electronic seal its esID,
    validity, key reference and certificate."""
    with transaction.atomic():
        seal = _lock(seal)
        if seal.status != Seal.Status.APPLIED:
            raise Conflict("该印章已经刻制。")
        SealPolicy.require(actor, seal, "make", "只有办公室负责人可以登记刻制。")
        if seal.electronic:
            seal.es_id = _text(es_id, "es_id", "电子印章标识", 64)
            seal.key_reference = _text(key_reference, "key_reference", "密钥引用", 200)
            seal.certificate_subject = _text(certificate_subject, "certificate_subject", "证书主题", 200)
            seal.certificate_serial = _text(certificate_serial, "certificate_serial", "证书序列号", 64)
            seal.certificate_issuer = _text(certificate_issuer, "certificate_issuer", "证书颁发者", 200)
            if valid_from is None or valid_until is None:
                raise _fail("valid_until", "请填写电子印章的有效期。")
            if valid_until < valid_from:
                raise _fail("valid_until", "有效期止不能早于有效期起。")
            seal.valid_from, seal.valid_until = valid_from, valid_until
            seal.engraver = _text(engraver, "engraver", "制作单位", 100, required=False)
        else:
            seal.engraver = _text(engraver, "engraver", "刻制单位（公安机关指定）", 100)
            seal.filing_number = _text(filing_number, "filing_number", "公安备案号", 60)
        seal.status = Seal.Status.MADE
        seal.save()
        _event(seal, SealEvent.Kind.MAKE, actor, note=seal.engraver + (f" 备案号 {seal.filing_number}" if seal.filing_number else f" esID {seal.es_id}"))
        record(actor=actor, action="seals.make", target=seal, before={"status": "applied"},
               after={"status": "made", "engraver": seal.engraver, "filing_number": seal.filing_number, "es_id": seal.es_id})
    return seal


def seal_impression(*, actor: User, seal: Seal, upload: Any) -> Seal:
    """印模 (or the electronic seal's picture) on file: a PNG/JPEG through core attachments."""
    with transaction.atomic():
        seal = _lock(seal)
        SealPolicy.require(actor, seal, "impression", "只有办公室负责人可以登记印模。")
        name = (getattr(upload, "name", "") or "").lower()
        if not name.endswith((".png", ".jpg", ".jpeg")):
            raise _fail("file", "印模请上传 PNG 或 JPG 图片。")
        att = attachment_add(actor=actor, obj=seal, upload=upload)
        seal.impression = att
        seal.save(update_fields=["impression"])
        record(actor=actor, action="seals.impression", target=seal, after={"file": att.name})
    return seal


def seal_enable(*, actor: User, seal: Seal, keeper: User, storage: str, day: datetime.date | None = None) -> Seal:
    """启用: a named keeper, a locked storage place, the impression on file; the 启用通知 is drafted as a 通知 through
    发文 with the impression attached (the office then takes it through 审核 and 签发 like any 发文)."""
    from zhongshu.outgoing import services as outgoing

    storage = _text(storage, "storage", "存放地点", 100)
    day = day or timezone.localdate()
    with transaction.atomic():
        seal = _lock(seal)
        if seal.status != Seal.Status.MADE:
            raise Conflict("只有已刻制的印章可以启用。")
        SealPolicy.require(actor, seal, "enable", "只有办公室负责人可以启用印章。")
        if seal.impression_id is None:
            raise _fail("impression", "请先登记印模，再启用。")
        if keeper.organization_id != seal.organization_id or keeper.admin_role or not keeper.is_active:
            raise _fail("keeper", "保管人须为本机关在职人员。")
        owner = seal.owner_label
        body = (f"经研究，自{day.year}年{day.month}月{day.day}日起启用“{seal.name}”{'电子' if seal.electronic else ''}印章"
                f"（{seal.kind.name}{'，公安备案号：' + seal.filing_number if seal.filing_number else ''}），由{owner}负责管理使用。"
                f"印模附后。\n特此通知。")
        notice = outgoing.outgoing_create(actor=actor, doc_type="通知", title=f"{seal.organization.name}关于启用“{seal.name}”的通知", body=body)
        impression = seal.impression
        assert impression is not None
        with impression.file.open("rb") as fh:
            from django.core.files.uploadedfile import SimpleUploadedFile

            attachment_add(actor=actor, obj=notice, upload=SimpleUploadedFile(impression.name, fh.read(), content_type=impression.mime))
        seal.status, seal.keeper, seal.storage, seal.enabled_on, seal.enable_notice = Seal.Status.ACTIVE, keeper, storage, day, notice
        seal.save()
        _event(seal, SealEvent.Kind.ENABLE, actor, to_keeper=keeper, day=day, note=f"存放于{storage}")
        record(actor=actor, action="seals.enable", target=seal, before={"status": "made"},
               after={"status": "active", "keeper": keeper.display_name, "enabled_on": str(day), "notice": notice.pk})
        notify(recipients=[keeper], title=f"您已被指定为“{seal.name}”的保管人", url=seal.get_absolute_url(), subject=seal)
    return seal


def seal_handover(*, actor: User, seal: Seal, to_keeper: User, witness: str = "", note: str = "") -> Seal:
    """保管人交接, recorded with both names and a witness."""
    witness = _text(witness, "witness", "监交人", 40)
    with transaction.atomic():
        seal = _lock(seal)
        SealPolicy.require(actor, seal, "handover", "只有办公室负责人可以办理印章交接。")
        if to_keeper.organization_id != seal.organization_id or to_keeper.admin_role or not to_keeper.is_active:
            raise _fail("to_keeper", "接收人须为本机关在职人员。")
        if to_keeper.pk == seal.keeper_id:
            raise _fail("to_keeper", "接收人就是现任保管人。")
        before = seal.keeper
        seal.keeper = to_keeper
        seal.save(update_fields=["keeper"])
        _event(seal, SealEvent.Kind.HANDOVER, actor, from_keeper=before, to_keeper=to_keeper, witnesses=witness, note=note[:500])
        record(actor=actor, action="seals.handover", target=seal, before={"keeper": before.display_name if before else ""},
               after={"keeper": to_keeper.display_name, "witness": witness})
        notify(recipients=[to_keeper], title=f"“{seal.name}”已移交您保管", url=seal.get_absolute_url(), subject=seal)
    return seal


def seal_suspend(*, actor: User, seal: Seal, reason: str) -> Seal:
    """停用 (with the reason): no more stamping."""
    reason = _text(reason, "reason", "停用原因", 300)
    with transaction.atomic():
        seal = _lock(seal)
        if seal.status != Seal.Status.ACTIVE:
            raise Conflict("只有在用的印章可以停用。")
        SealPolicy.require(actor, seal, "suspend", "只有办公室负责人可以停用印章。")
        if seal.loans.filter(status=SealLoan.Status.OUT).exists():
            raise Conflict("印章外借未归还，归还后才能停用。")
        seal.status = Seal.Status.SUSPENDED
        seal.save(update_fields=["status"])
        _event(seal, SealEvent.Kind.SUSPEND, actor, note=reason)
        record(actor=actor, action="seals.suspend", target=seal, before={"status": "active"}, after={"status": "suspended"}, note=reason)
    return seal


def seal_retire(*, actor: User, seal: Seal, outcome: str, witnesses: Iterable[str], note: str = "") -> Seal:
    """封存 or 销毁 of a 停用 seal, witnessed by at least two named people, recorded."""
    if outcome not in (Seal.Status.SEALED_AWAY, Seal.Status.DESTROYED):
        raise _fail("outcome", "请选择封存或销毁。")
    names = [w.strip() for w in witnesses if w and w.strip()]
    names = list(dict.fromkeys(names))
    if len(names) < 2:
        raise _fail("witnesses", "封存或销毁须有至少两名见证人，请填写姓名。")
    if any(len(n) > 20 for n in names):
        raise _fail("witnesses", "见证人姓名过长。")
    with transaction.atomic():
        seal = _lock(seal)
        if seal.status != Seal.Status.SUSPENDED:
            raise Conflict("只有已停用的印章可以封存或销毁。")
        action = "seal_away" if outcome == Seal.Status.SEALED_AWAY else "destroy"
        SealPolicy.require(actor, seal, action, "只有办公室负责人可以办理封存或销毁。")
        seal.status = outcome
        seal.save(update_fields=["status"])
        kind = SealEvent.Kind.SEAL_AWAY if action == "seal_away" else SealEvent.Kind.DESTROY
        _event(seal, kind, actor, witnesses="、".join(names)[:200], note=note[:500])
        record(actor=actor, action="seals.seal_away" if action == "seal_away" else "seals.destroy", target=seal, before={"status": "suspended"}, after={"status": outcome, "witnesses": names})
    return seal


def void_statement(seal: Seal, lost_on: datetime.date, today: datetime.date) -> str:
    """The public 作废声明 of a lost seal."""
    filing = f"（公安备案号：{seal.filing_number}）" if seal.filing_number else ""
    return (f"遗失声明\n{seal.organization.name}不慎于{lost_on.year}年{lost_on.month}月{lost_on.day}日遗失“{seal.name}”{seal.kind.name}一枚{filing}，"
            f"现声明该印章自遗失之日起作废，此后以该印章名义加盖的任何文件均属无效。\n特此声明。\n"
            f"{seal.organization.name}\n{today.year}年{today.month}月{today.day}日")


def seal_report_lost(*, actor: User, seal: Seal, lost_on: datetime.date, circumstances: str) -> Seal:
    """挂失: blocked at once; the 作废声明 text is generated for publication."""
    circumstances = _text(circumstances, "circumstances", "遗失经过", 500)
    today = timezone.localdate()
    if lost_on > today:
        raise _fail("lost_on", "遗失日期不能晚于今天。")
    with transaction.atomic():
        seal = _lock(seal)
        if seal.status in (Seal.Status.LOST, Seal.Status.DESTROYED, Seal.Status.SEALED_AWAY, Seal.Status.APPLIED):
            raise Conflict(f"当前状态为“{seal.get_status_display()}”，不能挂失。")
        SealPolicy.require(actor, seal, "lost", "只有办公室负责人可以办理挂失。")
        before = seal.status
        seal.status, seal.lost_on = Seal.Status.LOST, lost_on
        seal.void_statement = void_statement(seal, lost_on, today)
        seal.save(update_fields=["status", "lost_on", "void_statement"])
        # A loan still out ends with the loss: the seal is not coming back.
        for loan in seal.loans.select_for_update().filter(status=SealLoan.Status.OUT):
            loan.status, loan.returned_at = SealLoan.Status.RETURNED, timezone.now()
            loan.save(update_fields=["status", "returned_at"])
        _event(seal, SealEvent.Kind.LOST, actor, day=lost_on, note=circumstances)
        record(actor=actor, action="seals.lost", target=seal, before={"status": before}, after={"status": "lost", "lost_on": str(lost_on)}, note=circumstances)
        keepers = [u for u in User.objects.filter(organization_id=seal.organization_id, is_active=True, admin_role="",
                                                  role_assignments__role="office_director").distinct()]
        notify(recipients=keepers, title=f"印章挂失：{seal.name}", url=seal.get_absolute_url(), level="warning", subject=seal)
    return seal


# ---- 用印申请 and 用印登记 -------------------------------------------------------------------------------------
def request_create(*, actor: User, seals: Iterable[Seal], matter: str, document_title: str, copies: Any, purpose: str,
                   urgent: bool = False, classification: int = Classification.INTERNAL, uploads: Iterable[Any] = ()) -> UseRequest:
    """用印申请: the document must be named (no blank-form stamping); the seals must be usable now; the approvers
    come from the organization's rules; the request goes straight into its 用印审批 flow."""
    from zhongshu.flow.services import flow_start

    if not has_perm(actor, "seals.request") or actor.organization_id is None:
        raise PermissionDenied("您无权申请用印。")
    chosen = list(dict.fromkeys(seals))
    errors: dict[str, list[str] | str] = {}
    if not chosen:
        errors["seals"] = "请选择要使用的印章。"
    if matter not in Matter.values:
        errors["matter"] = "请选择用印事项。"
    title = (document_title or "").strip()
    if not title:
        errors["document_title"] = "请填写用印文件的名称，不得在空白文件或空白表格上用印。"
    elif len(title) > 200:
        errors["document_title"] = "用印文件名称不能超过 200 个字。"
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = "请填写用途。"
    elif len(purpose) > 300:
        errors["purpose"] = "用途不能超过 300 个字。"
    try:
        n = int(copies)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= 500:
        errors["copies"] = "份数应为 1 至 500 之间的整数。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"] = "密级无效。"
        level = Classification.INTERNAL
    if level > actor.max_classification:
        errors["classification"] = f"您的涉密等级只能处理{actor.max_classification.label}及以下的内容。"
    for seal in chosen:
        if seal.organization_id != actor.organization_id:
            errors["seals"] = "只能申请使用本机关的印章。"
        else:
            refusal = usable_refusal(seal)
            if refusal:
                errors["seals"] = refusal
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    with transaction.atomic():
        req = UseRequest.objects.create(
            organization_id=actor.organization_id, requester=actor, department=actor.primary_department, matter=matter,
            document_title=title, copies=n, purpose=purpose, urgent=bool(urgent), classification=level,
        )
        req.seals.set(chosen)
        for upload in uploads:
            attachment_add(actor=actor, obj=req, upload=upload)
        record(actor=actor, action="seals.request", target=req, after={"seals": [s.name for s in chosen], "copies": n, "matter": matter, "urgent": bool(urgent)})
        if not approvers_for(req):
            raise ServiceError("按本机关的用印审批规则找不到审批人，请联系办公室设置规则。", code="no_approver")
        flow_start(actor=actor, subject=req)
    return req


def request_flow_approved(*, request: UseRequest, actor: Any, approvers: list[str]) -> UseRequest:
    """The 用印审批 flow finished (called by the adapter inside the finishing transaction)."""
    req = UseRequest.objects.select_for_update().get(pk=request.pk)
    req.approvers = "、".join(approvers)[:300]
    if req.mode == UseRequest.Mode.PHONE:
        req.confirmed_at = timezone.now()
        req.save(update_fields=["approvers", "confirmed_at"])
        record(actor=actor, action="seals.phone_confirm", target=req, after={"approvers": req.approvers})
        return req
    if req.status != UseRequest.Status.PENDING:
        raise Conflict("该用印申请已不在审批中。")
    req.status, req.approved_at = UseRequest.Status.APPROVED, timezone.now()
    req.save(update_fields=["status", "approved_at", "approvers"])
    record(actor=actor, action="seals.approve", target=req, before={"status": "pending"}, after={"status": "approved", "approvers": req.approvers})
    keepers = [s.keeper for s in req.seals.select_related("keeper") if s.keeper_id]
    notify(recipients=keepers, title=f"待用印：{req.document_title}", url=req.get_absolute_url(), subject=req)
    notify(recipients=[req.requester], title=f"用印申请已批准：{req.document_title}", url=req.get_absolute_url(), subject=req)
    return req


def request_flow_ended(*, request: UseRequest, actor: Any) -> UseRequest:
    """撤回 or 终止 of the flow: a pending request ends; a phone-approved one stays as it is, marked unconfirmed."""
    req = UseRequest.objects.select_for_update().get(pk=request.pk)
    if req.status == UseRequest.Status.PENDING:
        req.status = UseRequest.Status.ENDED
        req.save(update_fields=["status"])
        record(actor=actor, action="seals.request_end", target=req, before={"status": "pending"}, after={"status": "ended"})
    elif req.mode == UseRequest.Mode.PHONE and req.confirmed_at is None:
        record(actor=actor, action="seals.phone_unconfirmed", target=req, note="电话审批未获事后书面确认")
    return req


def request_phone_approve(*, actor: User, request: UseRequest, approver: User, note: str) -> UseRequest:
    """紧急用印经电话请示同意: the keeper (or the office director) records who approved by phone; the request may be
    stamped now and stays in its flow, whose end confirms the approval afterwards (recorded as such)."""
    note = _text(note, "phone_note", "电话审批情况", 300)
    with transaction.atomic():
        req = UseRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != UseRequest.Status.PENDING:
            raise Conflict("该用印申请已不在审批中。")
        if not req.urgent:
            raise _fail("phone_note", "只有紧急用印可以电话审批。")
        UseRequestPolicy.require(actor, req, "phone_approve", "只有印章保管人或办公室负责人可以登记电话审批。")
        if approver.pk == req.requester_id:
            raise _fail("approver", "申请人不能审批自己的用印申请。")
        if approver.pk not in {p.pk for p in approvers_for(req)}:
            raise _fail("approver", "电话审批人须为该申请按规则的审批人之一。")
        req.status, req.mode, req.phone_approver, req.phone_note, req.approved_at = (
            UseRequest.Status.APPROVED, UseRequest.Mode.PHONE, approver, note, timezone.now())
        req.approvers = f"{approver.display_name}（电话）"
        req.save(update_fields=["status", "mode", "phone_approver", "phone_note", "approved_at", "approvers"])
        record(actor=actor, action="seals.phone_approve", target=req, before={"status": "pending"},
               after={"status": "approved", "mode": "phone", "approver": approver.display_name}, note=note)
        notify(recipients=[approver], title=f"请确认电话审批的用印：{req.document_title}", url=req.get_absolute_url(), subject=req)
    return req


def request_stamp(*, actor: User, request: UseRequest, seal: Seal, copies: Any, witness: str = "",
                  day: datetime.date | None = None) -> UseRecord:
    """用印登记 by the keeper: only an approved request, only a usable seal, never more than the approved copies."""
    try:
        n = int(copies)
    except (TypeError, ValueError):
        n = 0
    if n < 1:
        raise _fail("copies", "用印份数应为正整数。")
    witness = _text(witness, "witness", "监印人", 40, required=False)
    day = day or timezone.localdate()
    with transaction.atomic():
        req = UseRequest.objects.select_for_update().get(pk=request.pk)
        seal = _lock(seal)
        if req.status != UseRequest.Status.APPROVED:
            raise Conflict("只有已批准的用印申请可以用印。" if req.status != UseRequest.Status.STAMPED else "该申请已用印完毕。")
        if not req.seals.filter(pk=seal.pk).exists():
            raise _fail("seal", "该申请未申请使用此印章。")
        if seal.keeper_id != actor.pk:
            raise PermissionDenied("只有该印章的保管人可以用印。")
        refusal = usable_refusal(seal, day)
        if refusal:
            raise _fail("seal", refusal)
        done = stamped_copies(req).get(seal.pk, 0)
        if done + n > req.copies:
            raise _fail("copies", f"用印份数超出批准份数：批准 {req.copies} 份，已用印 {done} 份，本次最多 {req.copies - done} 份。")
        UseRequestPolicy.require(actor, req, "stamp", "只有印章保管人可以用印。")
        rec = UseRecord.objects.create(
            organization_id=req.organization_id, seal=seal, request=req, unit=req.department.name if req.department else req.organization.name,
            department=req.department, handler=req.requester, document_title=req.document_title, copies=n,
            approvers=req.approvers or "—", witness=witness, keeper=actor, day=day, classification=req.classification,
        )
        record(actor=actor, action="seals.stamp", target=rec, after={"seal": seal.name, "copies": n, "request": req.pk})
        totals = stamped_copies(req)
        if all(totals.get(s, 0) >= req.copies for s in req.seals.values_list("pk", flat=True)):
            req.status = UseRequest.Status.STAMPED
            req.save(update_fields=["status"])
            record(actor=actor, action="seals.stamped", target=req, before={"status": "approved"}, after={"status": "stamped"})
        else:
            updated(req)  # the stamping task of this keeper closes, the other keepers' stay
    return rec


def outgoing_sealed(*, actor: Any, document: Any) -> UseRecord | None:
    """发文 用印 (hook, inside outgoing_seal's transaction): the issuing organization's 公章 is put on the printed
    copies and the registration is created and closed here, with the 文号, so the seal log shows every issued
    document. An organization without a registered 公章 keeps 发文 working as before (nothing to log against)."""
    seals = Seal.objects.select_for_update().filter(organization_id=document.organization_id, kind__code="official", department__isnull=True,
                                                    electronic=False).exclude(status__in=(Seal.Status.APPLIED, Seal.Status.MADE))
    candidates = list(seals)
    if not candidates:
        return None
    own = [s for s in candidates if s.name == document.organization.name]  # the issuing organ's own seal, when registered
    candidates = own or candidates
    usable = [s for s in candidates if usable_refusal(s) is None]
    if not usable:
        raise Conflict("本机关公章当前不能用印：" + "；".join(filter(None, (usable_refusal(s) for s in candidates))))
    seal = usable[0]
    signers = "、".join(u.display_name for u in document.signers.all()) or "—"
    rec = UseRecord.objects.create(
        organization_id=document.organization_id, seal=seal, outgoing=document,
        unit=document.drafting_department.name if document.drafting_department_id else document.organization.name,
        department=document.drafting_department, handler=document.drafter, document_title=document.title, doc_number=document.doc_number,
        copies=max(1, document.copies or 1), approvers=f"{signers}（签发）", keeper=actor, day=timezone.localdate(),
        classification=document.classification,
    )
    record(actor=actor, action="seals.stamp_outgoing", target=rec, after={"seal": seal.name, "doc_number": document.doc_number, "copies": rec.copies})
    return rec


# ---- 外借 ----------------------------------------------------------------------------------------------------
def loan_request(*, actor: User, seal: Seal, carrier: User, companion: User, purpose: str, destination: str,
                 expected_return: datetime.date) -> SealLoan:
    """外借申请: who carries it and who accompanies (the keeper or a second person), where, until when."""
    purpose = _text(purpose, "purpose", "外借事由", 300)
    destination = _text(destination, "destination", "前往地点", 100)
    if expected_return < timezone.localdate():
        raise _fail("expected_return", "预计归还日期不能早于今天。")
    if carrier.pk == companion.pk:
        raise _fail("companion", "陪同人须为携带人以外的另一人。")
    with transaction.atomic():
        seal = _lock(seal)
        SealPolicy.require(actor, seal, "loan", "该印章当前不能外借（未在用、已外借或已有待审批的外借申请）。")
        for person, field in ((carrier, "carrier"), (companion, "companion")):
            if person.organization_id != seal.organization_id or person.admin_role or not person.is_active:
                raise _fail(field, "携带人和陪同人须为本机关在职人员。")
        loan = SealLoan.objects.create(organization_id=seal.organization_id, seal=seal, requester=actor, carrier=carrier, companion=companion,
                                       purpose=purpose, destination=destination, expected_return=expected_return)
        record(actor=actor, action="seals.loan_request", target=loan, after={"seal": seal.name, "carrier": carrier.display_name,
                                                                              "companion": companion.display_name, "expected_return": str(expected_return)})
    return loan


def loan_decide(*, actor: User, loan: SealLoan, approve: bool, note: str = "") -> SealLoan:
    """外借审批 (office director, never his own request): approved → the seal leaves with the carrier at once."""
    with transaction.atomic():
        loan = SealLoan.objects.select_for_update().select_related("seal").get(pk=loan.pk)
        if loan.status != SealLoan.Status.PENDING:
            raise Conflict("该外借申请已处理。")
        SealLoanPolicy.require(actor, loan, "decide", "只有办公室负责人可以审批外借，且不能审批本人的申请。")
        seal = _lock(loan.seal)
        if approve:
            refusal = usable_refusal(seal)
            if refusal:
                raise Conflict(refusal)
            loan.status, loan.out_at = SealLoan.Status.OUT, timezone.now()
            _event(seal, SealEvent.Kind.LOAN_OUT, actor, note=f"{loan.carrier.display_name}携带、{loan.companion.display_name}陪同，前往{loan.destination}")
        else:
            loan.status = SealLoan.Status.REJECTED
        loan.decided_by = actor
        loan.save(update_fields=["status", "out_at", "decided_by"])
        record(actor=actor, action="seals.loan_decide", target=loan, before={"status": "pending"}, after={"status": loan.status}, note=note[:300])
        notify(recipients=[loan.requester], title=f"印章外借{'已批准' if approve else '未批准'}：{seal.name}", url=loan.get_absolute_url(), subject=loan)
    return loan


def loan_return(*, actor: User, loan: SealLoan) -> SealLoan:
    """归还: the keeper (or the office director) takes the seal back."""
    with transaction.atomic():
        loan = SealLoan.objects.select_for_update().select_related("seal").get(pk=loan.pk)
        if loan.status != SealLoan.Status.OUT:
            raise Conflict("该印章未处于外借状态。")
        SealLoanPolicy.require(actor, loan, "return", "只有印章保管人或办公室负责人可以登记归还。")
        loan.status, loan.returned_at = SealLoan.Status.RETURNED, timezone.now()
        loan.save(update_fields=["status", "returned_at"])
        _event(loan.seal, SealEvent.Kind.LOAN_BACK, actor)
        record(actor=actor, action="seals.loan_return", target=loan, before={"status": "out"}, after={"status": "returned"})
    return loan


def loan_overdue_scan(today: datetime.date | None = None) -> dict[str, int]:
    """Daily (working days only): a seal out past its expected return reminds the carrier and the keeper once a day
    (a conditional UPDATE on `reminded_on`), and after LOAN_ESCALATE_AFTER_WORKDAYS working days the office
    directors once (`escalated_on`). A catch-up run sends nothing twice."""
    from zhongshu.workdays.calendar import is_workday, workdays_between

    today = today or timezone.localdate()
    counts = {"reminded": 0, "escalated": 0}
    for loan in SealLoan.objects.filter(status=SealLoan.Status.OUT, expected_return__lt=today).select_related("seal", "seal__keeper", "carrier"):
        if not is_workday(today, organization_id=loan.organization_id):
            continue
        with transaction.atomic():
            if SealLoan.objects.filter(pk=loan.pk, status=SealLoan.Status.OUT).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)).update(reminded_on=today):
                people = [p for p in (loan.carrier, loan.seal.keeper) if p is not None]
                notify(recipients=people, title=f"印章外借已逾期，请尽快归还：{loan.seal.name}", url=loan.get_absolute_url(), level="warning", subject=loan)
                record(actor=SYSTEM, action="seals.loan_remind", target=loan, after={"on": str(today)})
                updated(loan)  # the 催还 task opens in the one inbox
                counts["reminded"] += 1
            late = workdays_between(loan.expected_return, today, organization_id=loan.organization_id)
            if late >= LOAN_ESCALATE_AFTER_WORKDAYS and SealLoan.objects.filter(pk=loan.pk, escalated_on__isnull=True).update(escalated_on=today):
                directors = list(User.objects.filter(organization_id=loan.organization_id, is_active=True, admin_role="",
                                                     role_assignments__role="office_director").distinct())
                notify(recipients=directors, title=f"印章外借逾期 {late} 个工作日未归还：{loan.seal.name}", url=loan.get_absolute_url(),
                       level="warning", subject=loan)
                record(actor=SYSTEM, action="seals.loan_escalate", target=loan, after={"late_workdays": late})
                counts["escalated"] += 1
    return counts


# ---- 介绍信 --------------------------------------------------------------------------------------------------
def letter_issue(*, actor: User, holder: str, receiving_unit: str, matter: str, valid_until: datetime.date,
                 holder_count: Any = 1, holder_title: str = "") -> IntroLetter:
    """开具介绍信: the next serial of the organization this year (gapless: taken inside this transaction)."""
    if not has_perm(actor, "seals.letters") or actor.organization_id is None:
        raise PermissionDenied("只有办公室可以开具介绍信。")
    holder = _text(holder, "holder", "持信人", 60)
    receiving_unit = _text(receiving_unit, "receiving_unit", "接收单位", 100)
    matter = _text(matter, "matter", "事由", 300)
    holder_title = _text(holder_title, "holder_title", "职务", 40, required=False)
    try:
        count = int(holder_count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 50:
        raise _fail("holder_count", "人数应为 1 至 50。")
    today = timezone.localdate()
    if valid_until is None or valid_until < today:
        raise _fail("valid_until", "有效期不能早于今天。")
    if (valid_until - today).days > LETTER_MAX_DAYS:
        raise _fail("valid_until", f"介绍信有效期最长 {LETTER_MAX_DAYS} 天。")
    with transaction.atomic():
        serial = next_serial(LetterSequence, organization_id=actor.organization_id, year=today.year)
        letter = IntroLetter.objects.create(organization_id=actor.organization_id, year=today.year, serial=serial, holder=holder,
                                            holder_count=count, holder_title=holder_title, receiving_unit=receiving_unit, matter=matter,
                                            valid_until=valid_until, issued_by=actor, issued_on=today)
        record(actor=actor, action="seals.letter_issue", target=letter, after={"number": letter.number, "holder": holder,
                                                                                "receiving_unit": receiving_unit, "valid_until": str(valid_until)})
    return letter


def letter_close(*, actor: User, letter: IntroLetter, used: bool, reason: str = "") -> IntroLetter:
    """已使用 (the receipt came back) or 作废 (returned unused, spoilt …, with the reason): the serial's fate."""
    if not used:
        reason = _text(reason, "reason", "作废原因", 200)
    with transaction.atomic():
        letter = IntroLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != IntroLetter.Status.ISSUED:
            raise Conflict("该介绍信已经登记使用或作废。")
        IntroLetterPolicy.require(actor, letter, "use" if used else "void", "只有办公室可以登记介绍信的使用或作废。")
        letter.status = IntroLetter.Status.USED if used else IntroLetter.Status.VOIDED
        letter.void_reason = "" if used else reason
        letter.closed_at = timezone.now()
        letter.save(update_fields=["status", "void_reason", "closed_at"])
        record(actor=actor, action="seals.letter_use" if used else "seals.letter_void", target=letter,
               before={"status": "issued"}, after={"status": letter.status}, note=reason)
    return letter
