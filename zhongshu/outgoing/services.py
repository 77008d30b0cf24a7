"""发文 writes: drafting with versions, submission checks, 发文字号 numbering (reserve / assign / void).

Numbering: one NumberSequence row per (organization, 机关代字, year), locked with SELECT … FOR UPDATE
(PostgreSQL) or by SQLite's IMMEDIATE write transaction; every serial handed out is written to the
登记簿 (NumberRecord) in the same transaction, so numbers are consecutive, unique and never skipped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongshu.access.policy import is_system
from zhongshu.audit.services import diff, record, snapshot
from zhongshu.core.classification import MAX_SECRECY_YEARS, Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.sequences import next_serial
from zhongshu.notify.services import notify
from zhongshu.org.models import ExternalOrgan, Organization, User

from .models import (
    DEFAULT_DIRECTION,
    Direction,
    DocType,
    DocumentVersion,
    Format,
    JointIssuer,
    NumberRecord,
    NumberSequence,
    OutgoingDocument,
    Publicity,
    Urgency,
    format_number,
)
from .policy import OutgoingPolicy
from .routing import Violation, blocking, check_routing

FIELDS = (
    "doc_type", "format", "direction", "title", "body", "classification", "secrecy_period", "urgency", "copies", "publicity",
    "attachment_names", "note", "main_recipients", "cc_recipients", "countersign_departments", "joint_issuers",
)
RELATED = ("main_recipients", "cc_recipients", "countersign_departments", "joint_issuers")


def _snapshot(doc: OutgoingDocument) -> dict[str, Any]:
    out = snapshot(doc, [f for f in FIELDS if f != "joint_issuers"])
    out["joint_issuers"] = [j.organ_id for j in doc.joint_issuers.all()] if doc.pk else []
    return out
PREFIX_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,12}$")


def _validate(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str] | str] = {}
    out = dict(data)
    if out.get("doc_type") not in DocType.values:
        errors["doc_type"] = "请选择法定文种（条例第八条规定的 15 种）。"
    if out.get("format", Format.STANDARD) not in Format.values:
        errors["format"] = "版式无效。"
    direction = out.get("direction") or DEFAULT_DIRECTION.get(DocType(out["doc_type"]), Direction.DOWN) if "doc_type" not in errors else Direction.DOWN
    if direction not in Direction.values:
        errors["direction"] = "行文方向无效。"
    out["direction"] = direction
    title = (out.get("title") or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 个字。"
    out["title"] = title
    out["body"] = (out.get("body") or "").replace("\r\n", "\n").strip("\n")
    if len(out["body"]) > 200_000:
        errors["body"] = "正文过长（超过 20 万字）。"
    try:
        level = Classification(int(out.get("classification", 0)))
    except (TypeError, ValueError):
        errors["classification"] = "密级无效。"
        level = Classification.PUBLIC
    if level > actor.max_classification:
        errors["classification"] = f"您的涉密等级只能处理{actor.max_classification.label}及以下的公文。"
    out["classification"] = int(level)
    period = (out.get("secrecy_period") or "").strip()
    if period:
        m = re.fullmatch(r"(\d{1,2})(年|个月)", period)
        if level < Classification.SECRET:
            errors["secrecy_period"] = "非涉密公文不标注保密期限。"
        elif not m:
            errors["secrecy_period"] = "保密期限应写作“N年”或“N个月”。"
        elif m.group(2) == "年" and int(m.group(1)) > MAX_SECRECY_YEARS[level]:
            errors["secrecy_period"] = f"{level.label}保密期限最长 {MAX_SECRECY_YEARS[level]} 年。"
        elif m.group(2) == "个月" and int(m.group(1)) >= 12:
            errors["secrecy_period"] = "一年及以上的期限以年计，如“1年”。"
    out["secrecy_period"] = period
    if out.get("urgency", "") not in Urgency.values:
        errors["urgency"] = "紧急程度只能是“特急”或“加急”。"
    raw_copies = out.get("copies")
    try:
        copies = int(raw_copies) if raw_copies not in (None, "") else 0  # 0: not given, one per recipient (below)
        if not 0 <= copies <= 100000:
            raise ValueError
        out["copies"] = copies
    except (TypeError, ValueError):
        errors["copies"] = "份数应为 1～100000 的整数。"
    if out.get("publicity", Publicity.ACTIVE) not in Publicity.values:
        errors["publicity"] = "公开属性无效。"
    names = out.get("attachment_names") or []
    if isinstance(names, str):
        names = [n.strip() for n in names.splitlines() if n.strip()]
    if not isinstance(names, list) or any(not isinstance(n, str) or len(n) > 200 for n in names):
        errors["attachment_names"] = "附件名称应为文本，每个不超过 200 字。"
    else:
        names = [re.sub(r"^\s*(附件[:：]?\s*)?(\d+[.．、]\s*)?", "", n).rstrip("。；;，,") for n in names]
        out["attachment_names"] = [n for n in names if n]
    out["note"] = (out.get("note") or "").strip()[:100]
    for key in ("main_recipients", "cc_recipients", "joint_issuers"):
        organs = list(dict.fromkeys(out.get(key) or []))
        if any(o.organization_id != actor.organization_id for o in organs):
            errors[key] = "只能从本机关通讯录中选择。"
        out[key] = organs
    if "copies" not in errors and "main_recipients" not in errors and "cc_recipients" not in errors:
        error = copies_refusal(out["copies"] or None, len(out["main_recipients"]) + len(out["cc_recipients"]))
        if error:
            errors["copies"] = error
        out["copies"] = out["copies"] or max(1, len(out["main_recipients"]) + len(out["cc_recipients"]))
    if any(o.platform_organization_id == actor.organization_id for o in out["joint_issuers"]):
        errors["joint_issuers"] = "本机关是主办机关，不能再列为联合发文机关。"
    elif len(out["joint_issuers"]) > 9:
        errors["joint_issuers"] = "联合发文机关不宜超过 9 个。"
    depts = list(dict.fromkeys(out.get("countersign_departments") or []))
    if any(d.organization_id != actor.organization_id for d in depts):
        errors["countersign_departments"] = "会签单位应为本机关的内设机构。"
    elif any(d.head_id is None for d in depts):
        errors["countersign_departments"] = "会签单位须设有负责人：" + "、".join(d.name for d in depts if d.head_id is None) + "。"
    out["countersign_departments"] = depts
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    return out


def copies_refusal(copies: int | None, recipients: int) -> str:
    """份数 must cover one copy per 主送/抄送 organ (分发 gives each its 份号); checked where it is entered — the 稿纸,
    the office's edits at 核稿, the correction after 签发 — so a document never reaches 分发 one copy short."""
    if copies is not None and copies < recipients:
        return f"份数（{copies}）少于主送、抄送机关数（{recipients}），请至少填写 {recipients} 份。"
    return ""


def _new_version(doc: OutgoingDocument, actor: User, reason: str = "") -> DocumentVersion:
    last = doc.versions.order_by("-number").first()
    if last is not None and last.title == doc.title and last.body == doc.body:
        return last
    signed = doc.status not in (OutgoingDocument.Status.DRAFT, OutgoingDocument.Status.REVIEWING)
    return DocumentVersion.objects.create(
        document=doc, number=(last.number + 1) if last else 1, title=doc.title, body=doc.body, created_by=actor,
        reason=reason[:200], after_sign_off=signed,
    )


def outgoing_create(*, actor: User, **data) -> OutgoingDocument:
    """拟稿: a new draft (发文稿纸 + 正文), version 1."""
    if "draft" not in OutgoingPolicy.register_actions(actor) or actor.organization_id is None:
        raise PermissionDenied("您无权拟稿。")
    clean = _validate(actor, data)
    related = {k: clean.pop(k) for k in RELATED}
    with transaction.atomic():
        doc = OutgoingDocument.objects.create(
            organization_id=actor.organization_id, drafter=actor, drafting_department=actor.primary_department, **clean
        )
        _set_related(doc, related)
        _new_version(doc, actor, "初稿")
        record(actor=actor, action="outgoing.create", target=doc, after=_snapshot(doc))
    return doc


def _current(doc: OutgoingDocument, key: str) -> Any:
    if key == "joint_issuers":
        return [j.organ for j in doc.joint_issuers.select_related("organ")]
    return list(getattr(doc, key).all()) if key in RELATED else getattr(doc, key)


def _set_related(doc: OutgoingDocument, related: dict[str, Any]) -> None:
    doc.main_recipients.set(related["main_recipients"])
    doc.cc_recipients.set(related["cc_recipients"])
    doc.countersign_departments.set(related["countersign_departments"])
    wanted = [o.pk for o in related["joint_issuers"]]
    doc.joint_issuers.exclude(organ_id__in=wanted).delete()
    kept = {j.organ_id: j for j in doc.joint_issuers.all()}
    for i, organ in enumerate(related["joint_issuers"]):
        if organ.pk in kept:
            # a changed list is a substantive change: every joint organ agrees again
            JointIssuer.objects.filter(pk=kept[organ.pk].pk).update(order=i, status=JointIssuer.Status.PENDING, offline=False,
                                                                   decided_by=None, decided_at=None, opinion="")
        else:
            JointIssuer.objects.create(document=doc, organ=organ, order=i)


def outgoing_update(*, actor: User, document: OutgoingDocument, reason: str = "", **data) -> OutgoingDocument:
    """修改稿件. Every text change is a new version; a substantive change after 签发 must go back to the signer."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status in (OutgoingDocument.Status.DISTRIBUTED, OutgoingDocument.Status.FILED, OutgoingDocument.Status.CANCELLED):
            raise Conflict("已分发、归档或作废的公文不能修改。")
        OutgoingPolicy.require(actor, doc, "edit", "当前环节您不能修改此稿。")
        before = _snapshot(doc)
        merged = {k: data.get(k, _current(doc, k)) for k in FIELDS}
        clean = _validate(actor, merged)
        related = {k: clean.pop(k) for k in RELATED}
        joint_changed = [o.pk for o in related["joint_issuers"]] != [j.organ_id for j in doc.joint_issuers.all()]
        text_changed = clean["title"] != doc.title or clean["body"] != doc.body or joint_changed
        for k, v in clean.items():
            setattr(doc, k, v)
        signed = doc.status in (OutgoingDocument.Status.SIGNED, OutgoingDocument.Status.NUMBERED)
        if signed and text_changed:
            if not (reason or "").strip():
                raise ServiceError("签发后修改正文或标题，须填写修改说明。", fields={"reason": "请说明修改内容和理由。"})
            doc.needs_resign = True  # 复核发现实质性修改：退回签发人重新签发
        doc.save()
        _set_related(doc, related)
        if text_changed:
            _new_version(doc, actor, reason)
        b, a = diff(before, _snapshot(doc))
        record(actor=actor, action="outgoing.update", target=doc, before=b, after=a, note=reason[:300])
    return doc


def outgoing_check(*, document: OutgoingDocument) -> list[Violation]:
    """行文规则 and format checks for the current text (shown on the 稿纸 and enforced at submission)."""
    return check_routing(document)


def outgoing_submit(*, actor: User, document: OutgoingDocument, opinion: str = "", chosen: Iterable[User] | None = None) -> OutgoingDocument:
    """送审: blocking routing violations stop it here, named one by one; then the organization's 发文 flow
    (核稿 → 审核 → 会签 → 签发) starts, if one is configured — otherwise a leader signs directly."""
    from zhongshu.flow.models import FlowDefinition
    from zhongshu.flow.services import flow_start

    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != OutgoingDocument.Status.DRAFT:
            raise Conflict("该稿已经送审。")
        OutgoingPolicy.require(actor, doc, "submit", "只有拟稿人可以送审。")
        stops = blocking(check_routing(doc))
        if stops:
            raise ServiceError(
                "不符合行文规则，不能送审：" + "；".join(v.message for v in stops),
                fields={"rules": [f"[{v.rule}] {v.message}" for v in stops]}, code="routing",
            )
        # 会签 department heads and any chosen approver must be cleared for the document (named one by one).
        heads = [d.head for d in doc.countersign_departments.select_related("head") if d.head_id]
        OutgoingPolicy.require_receivers(heads, doc, field="countersign_departments")
        OutgoingPolicy.require_receivers(list(chosen or []), doc, field="chosen")
        has_flow = FlowDefinition.objects.filter(organization_id=doc.organization_id, business_type="outgoing", status="active").exists()
        record(actor=actor, action="outgoing.submit", target=doc, before={"status": "draft"}, after={"status": "reviewing"})
        doc.status = OutgoingDocument.Status.REVIEWING
        doc.save(update_fields=["status", "updated_at"])
        if has_flow:  # a failure here rolls the status back too
            flow_start(actor=actor, subject=doc, chosen=chosen, opinion=opinion)
    doc.refresh_from_db()  # a flow whose every step is skipped can sign the document at once
    return doc


def outgoing_flow_signed(*, actor: User, document: OutgoingDocument, instance: Any) -> OutgoingDocument:
    """签发 on the flow engine: the approver of the last step signs; 成文日期 is today. Called by the flow adapter
    (subject.on_approved); the engine has already decided that `actor` holds that step."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != OutgoingDocument.Status.REVIEWING:
            return doc
        doc.signers.add(actor)
        doc.issue_date = timezone.localdate()
        doc.status = OutgoingDocument.Status.SIGNED
        doc.save(update_fields=["issue_date", "status", "updated_at"])
        record(actor=actor, action="outgoing.sign_off", target=doc, after={"signer": actor.pk, "issue_date": doc.issue_date, "flow": instance.pk})
        joint_request(doc)  # 联合行文: the joint organs are asked to agree
    return doc


def outgoing_return_to_draft(*, actor: Any, document: OutgoingDocument) -> OutgoingDocument:
    """撤回 or 终止 of the 发文 flow: the draft goes back to its drafter (audited on the document)."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != OutgoingDocument.Status.REVIEWING:
            return doc
        doc.status = OutgoingDocument.Status.DRAFT
        doc.save(update_fields=["status", "updated_at"])
        record(actor=actor, action="outgoing.return_to_draft", target=doc, before={"status": "reviewing"}, after={"status": "draft"},
               actor_name="系统" if is_system(actor) else None)
    return doc


def outgoing_sign_off(*, actor: User, document: OutgoingDocument, on_behalf_of: User | None = None, issue_date: datetime.date | None = None) -> OutgoingDocument:
    """签发: the signer (a leader) approves; 成文日期 is the signing date; the signer is recorded as 签发人."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        signer = on_behalf_of or actor
        if doc.status not in (OutgoingDocument.Status.REVIEWING,) and not doc.needs_resign:
            raise Conflict("该稿当前不在签发环节。")
        from zhongshu.flow.services import flow_state

        if flow_state(doc).running and not doc.needs_resign:
            raise Conflict("该稿正在审批流程中，请在“待办”中办理签发。")
        OutgoingPolicy.require(actor, doc, "sign", "只有本机关领导可以签发。")
        if signer.pk not in {p.pk for p in OutgoingPolicy.signers_for(actor, doc)}:
            raise PermissionDenied(f"您未受{signer.display_name}委托，不能代为签发。")
        doc.signers.add(signer)
        doc.issue_date = issue_date or timezone.localdate()
        if doc.status == OutgoingDocument.Status.REVIEWING:
            doc.status = OutgoingDocument.Status.SIGNED
        doc.needs_resign = False
        doc.save(update_fields=["issue_date", "status", "needs_resign", "updated_at"])
        record(actor=actor, on_behalf_of=on_behalf_of, action="outgoing.sign_off", target=doc, after={"signer": signer.pk, "issue_date": doc.issue_date})
        joint_request(doc)
    return doc


# ---- 联合行文 ------------------------------------------------------------------------------------
def joint_request(doc: OutgoingDocument) -> None:
    """After 签发: ask every joint organ still to agree — its leaders and office on the platform are told;
    for organs outside it the lead office is reminded to record the paper 会签."""
    pending = list(doc.joint_issuers.filter(status=JointIssuer.Status.PENDING).select_related("organ"))
    if not pending:
        return
    for j in pending:
        org_id = j.organ.platform_organization_id
        if org_id:
            people = User.objects.filter(organization_id=org_id, is_active=True, admin_role="",
                                         role_assignments__role__in=["leader", "office_director"]).distinct()
            notify(recipients=people, title=f"联合发文会签：{doc.title}", body=f"主办机关：{doc.organization.name}",
                   url=doc.get_absolute_url(), level="reminder", subject=doc)
    offline = [j.organ.name for j in pending if not j.organ.platform_organization_id]
    if offline:
        office = User.objects.filter(organization_id=doc.organization_id, is_active=True, role_assignments__role="clerk").distinct()
        notify(recipients=office, title=f"请办理线下会签：{doc.title}", body="、".join(offline), url=doc.get_absolute_url(), subject=doc)


def _lock_joint(joint: JointIssuer) -> tuple[JointIssuer, OutgoingDocument]:
    j = JointIssuer.objects.select_for_update().select_related("organ").get(pk=joint.pk)
    doc = OutgoingDocument.objects.select_for_update().get(pk=j.document_id)
    if doc.status != OutgoingDocument.Status.SIGNED or doc.needs_resign:
        raise Conflict("联合发文会签在本机关签发之后、编号之前办理。")
    if j.status != JointIssuer.Status.PENDING:
        raise Conflict(f"{j.organ.name}已经{j.get_status_display()}，请刷新。")
    return j, doc


def outgoing_joint_sign(*, actor: User, joint: JointIssuer, agree: bool, opinion: str = "") -> JointIssuer:
    """会签 by a joint organ on the platform: one of its leaders agrees, or declines with a reason."""
    opinion = (opinion or "").strip()[:300]
    if not agree and not opinion:
        raise ServiceError("不同意时请填写意见。", fields={"opinion": "请填写不同意的理由。"})
    with transaction.atomic():
        j, doc = _lock_joint(joint)
        message = f"只有{j.organ.name}的领导可以代表该机关会签。"
        OutgoingPolicy.require(actor, doc, "joint_sign", message)
        if "joint_sign" not in OutgoingPolicy.joint_actions(actor, doc, j):
            raise PermissionDenied(message)
        j.status = JointIssuer.Status.AGREED if agree else JointIssuer.Status.DECLINED
        j.decided_by, j.decided_at, j.opinion = actor, timezone.now(), opinion
        j.save(update_fields=["status", "decided_by", "decided_at", "opinion"])
        record(actor=actor, action="outgoing.joint_sign", target=doc, after={"organ": j.organ.name, "agree": agree}, note=opinion)
        office = User.objects.filter(organization_id=doc.organization_id, is_active=True, role_assignments__role="clerk").distinct()
        notify(recipients=[doc.drafter, *office], title=f"{j.organ.name}{'已会签同意' if agree else '不同意联合发文'}：{doc.title}",
               body=opinion, url=doc.get_absolute_url(), level="info" if agree else "warning", subject=doc)
    return j


def outgoing_joint_confirm(*, actor: User, joint: JointIssuer, note: str) -> JointIssuer:
    """线下会签: for a joint organ outside the platform the lead office records the paper 会签 (who, when)."""
    note = (note or "").strip()[:300]
    if not note:
        raise ServiceError("请填写线下会签情况（如会签人、日期）。", fields={"note": "请填写线下会签情况。"})
    with transaction.atomic():
        j, doc = _lock_joint(joint)
        if j.organ.platform_organization_id:
            raise Conflict(f"{j.organ.name}在本平台上，请由该机关领导在线会签。")
        OutgoingPolicy.require(actor, doc, "joint_confirm", "只有主办机关办公室可以登记线下会签。")
        if "joint_confirm" not in OutgoingPolicy.joint_actions(actor, doc, j):
            raise PermissionDenied("只有主办机关办公室可以登记线下会签。")
        j.status, j.offline, j.decided_by, j.decided_at, j.opinion = JointIssuer.Status.AGREED, True, actor, timezone.now(), note
        j.save(update_fields=["status", "offline", "decided_by", "decided_at", "opinion"])
        record(actor=actor, action="outgoing.joint_confirm", target=doc, after={"organ": j.organ.name}, note=note)
    return j


# ---- numbering -------------------------------------------------------------------------------
def _check_prefix(organization: Organization, prefix: str) -> str:
    prefix = (prefix or organization.doc_prefix or "").strip()
    if not PREFIX_RE.fullmatch(prefix):
        raise ServiceError("机关代字无效，应为 2～12 个汉字或字母，如“某政办发”。", fields={"prefix": "机关代字无效。"})
    return prefix


def _next_serial(organization: Organization, prefix: str, year: int) -> int:
    return next_serial(NumberSequence, organization=organization, prefix=prefix, year=year)


def number_reserve(*, actor: User, organization: Organization, prefix: str = "", year: int | None = None, reason: str) -> NumberRecord:
    """预留文号: takes the next serial now (e.g. for a document signed on paper); audited."""
    if "reserve" not in OutgoingPolicy.register_actions(actor) or actor.organization_id != organization.pk:
        raise PermissionDenied("只有本机关办公室文秘可以预留文号。")
    prefix = _check_prefix(organization, prefix)
    year = year or timezone.localdate().year
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写预留原因。", fields={"reason": "请填写预留原因。"})
    with transaction.atomic():
        serial = _next_serial(organization, prefix, year)
        rec = NumberRecord.objects.create(organization=organization, prefix=prefix, year=year, serial=serial, status=NumberRecord.Status.RESERVED, reason=reason[:200], created_by=actor)
        record(actor=actor, action="outgoing.number_reserve", target=rec, after={"number": str(rec)}, note=reason)
    return rec


def number_void(*, actor: User, record_: NumberRecord, reason: str) -> NumberRecord:
    """作废文号: the serial stays in the 登记簿 as voided, never reused; a used number frees its document — only when
    the document's policy allows it ("void_number": the lead office, cleared for the document), audited on both."""
    if "void" not in OutgoingPolicy.register_actions(actor) or actor.organization_id != record_.organization_id:
        raise PermissionDenied("只有本机关办公室文秘可以作废文号。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写作废原因。", fields={"reason": "请填写作废原因。"})
    with transaction.atomic():
        rec = NumberRecord.objects.select_for_update().get(pk=record_.pk)
        if rec.status == NumberRecord.Status.VOIDED:
            raise Conflict("该文号已经作废。")
        if rec.document_id is not None:
            doc = OutgoingDocument.objects.select_for_update().get(pk=rec.document_id)
            if doc.status in (OutgoingDocument.Status.DISTRIBUTED, OutgoingDocument.Status.FILED):
                raise Conflict("公文已分发，文号不能作废。")
            OutgoingPolicy.require(actor, doc, "void_number", "您无权作废该公文的文号。")
            before = {"doc_number": doc.doc_number, "status": doc.status}
            doc.doc_number, doc.number_serial, doc.number_year = "", None, None
            doc.status = OutgoingDocument.Status.SIGNED
            doc.save(update_fields=["doc_number", "number_serial", "number_year", "status", "updated_at"])  # post_save: re-indexed
            record(actor=actor, action="outgoing.number_void", target=doc, before=before, after={"doc_number": "", "status": doc.status}, note=reason[:300])
            rec.document = None
        rec.status = NumberRecord.Status.VOIDED
        rec.reason = reason[:200]
        rec.save(update_fields=["status", "reason", "document"])
        record(actor=actor, action="outgoing.number_void", target=rec, after={"number": str(rec)}, note=reason)
    return rec


def outgoing_assign_number(*, actor: User, document: OutgoingDocument, prefix: str = "", reserved: NumberRecord | None = None) -> OutgoingDocument:
    """编号登记: the next 发文字号 of the organization's 机关代字 this year (or a reserved one)."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.number_serial is not None:
            raise Conflict("该公文已经编号。")
        if doc.status != OutgoingDocument.Status.SIGNED or doc.needs_resign:
            raise Conflict("只有已签发（且无待重新签发的修改）的公文可以编号。")
        waiting = [j.organ.name for j in doc.joint_issuers.select_related("organ") if j.status != JointIssuer.Status.AGREED]
        if waiting and OutgoingPolicy.is_office(actor, doc):
            raise Conflict("联合发文机关尚未全部会签同意：" + "、".join(waiting) + "。")
        OutgoingPolicy.require(actor, doc, "number", "只有本机关办公室文秘可以编号登记。")
        organization = doc.organization
        if reserved is not None:
            rec = NumberRecord.objects.select_for_update().get(pk=reserved.pk)
            if rec.organization_id != organization.pk or rec.status != NumberRecord.Status.RESERVED:
                raise ServiceError("所选文号不是本机关的预留文号。", fields={"reserved": "所选文号不可用。"})
            rec.status, rec.document = NumberRecord.Status.ASSIGNED, doc
            rec.save(update_fields=["status", "document"])
        else:
            prefix = _check_prefix(organization, prefix)
            year = (doc.issue_date or timezone.localdate()).year
            serial = _next_serial(organization, prefix, year)
            rec = NumberRecord.objects.create(organization=organization, prefix=prefix, year=year, serial=serial, status=NumberRecord.Status.ASSIGNED, document=doc, created_by=actor)
        doc.doc_prefix, doc.number_year, doc.number_serial = rec.prefix, rec.year, rec.serial
        doc.doc_number = format_number(rec.prefix, rec.year, rec.serial)
        doc.status = OutgoingDocument.Status.NUMBERED
        doc.save(update_fields=["doc_prefix", "number_year", "number_serial", "doc_number", "status", "updated_at"])
        record(actor=actor, action="outgoing.number_assign", target=doc, after={"doc_number": doc.doc_number})
    return doc


def _advance(actor: User, document: OutgoingDocument, *, frm: str, to: str, action: str, label: str) -> OutgoingDocument:
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != frm or doc.needs_resign:
            raise Conflict(f"当前状态为“{doc.get_status_display()}”，不能办理{label}。")
        OutgoingPolicy.require(actor, doc, action.split(".")[1], f"只有本机关办公室文秘可以办理{label}。")
        doc.status = to
        doc.save(update_fields=["status", "updated_at"])
        record(actor=actor, action=action, target=doc, before={"status": frm}, after={"status": to})
    return doc


def outgoing_print(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """印制 (after 编号登记)."""
    return _advance(actor, document, frm=OutgoingDocument.Status.NUMBERED, to=OutgoingDocument.Status.PRINTED, action="outgoing.print", label="印制")


# 用印 hooks (the 印章 module registers one): called inside the 用印 transaction with the sealed document, so the
# seal log gets its registration (with the 文号) or the seal's refusal (挂失, 外借 …) undoes the step.
SEAL_HOOKS: list = []


def register_seal_hook(fn) -> None:
    if fn not in SEAL_HOOKS:
        SEAL_HOOKS.append(fn)


def outgoing_seal(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """用印 (the seal is applied to the printed copies)."""
    with transaction.atomic():
        doc = _advance(actor, document, frm=OutgoingDocument.Status.PRINTED, to=OutgoingDocument.Status.SEALED, action="outgoing.seal", label="用印")
        for hook in SEAL_HOOKS:
            hook(actor=actor, document=doc)
    return doc


CORRECTABLE = ("copies",)  # non-substantive fields the office corrects after 签发 without going back to the signer


def outgoing_correct(*, actor: User, document: OutgoingDocument, reason: str, copies: Any = None) -> OutgoingDocument:
    """更正印制信息: once printed and up to 分发 the office corrects what is not substance — the 份数 — without a new
    签发 and without touching the 文号; audited (the fields and the reason, never the text). Before 印制 the office's
    修改 does the same (a change that is not the text needs no new 签发)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写更正说明。", fields={"reason": "请填写更正说明。"})
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status in (OutgoingDocument.Status.SIGNED, OutgoingDocument.Status.NUMBERED):
            raise Conflict("印制前请在“修改”中调整份数（无需重新签发）。")
        if doc.status not in (OutgoingDocument.Status.PRINTED, OutgoingDocument.Status.SEALED):
            raise Conflict(f"当前状态为“{doc.get_status_display()}”，印制后、分发前才能更正印制信息。")
        OutgoingPolicy.require(actor, doc, "correct", "只有本机关办公室文秘可以更正印制信息。")
        try:
            value = int(copies)
            if not 1 <= value <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            raise ServiceError("份数应为 1～100000 的整数。", fields={"copies": "份数应为 1～100000 的整数。"})
        error = copies_refusal(value, doc.main_recipients.count() + doc.cc_recipients.count())
        if error:
            raise ServiceError(error, fields={"copies": error})
        if value == doc.copies:
            return doc
        before = {"copies": doc.copies}
        doc.copies = value
        doc.save(update_fields=["copies", "updated_at"])
        record(actor=actor, action="outgoing.correct", target=doc, before=before, after={"copies": value}, note=reason[:300])
    return doc


# Receivers of electronic copies (公文交换): the 收文 module registers one; called inside the distribution's
# transaction with the new Distribution rows, so a failed delivery undoes the distribution too.
DELIVERY_HANDLERS: list = []


def register_delivery(fn) -> None:
    if fn not in DELIVERY_HANDLERS:
        DELIVERY_HANDLERS.append(fn)


def outgoing_distribute(*, actor: User, document: OutgoingDocument) -> list:
    """分发: one copy per 主送/抄送 organ with consecutive 6-digit 份号; organs on the platform are served
    electronically (their 收文 picks the copy up), the others through a download package."""
    from .models import Distribution

    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != OutgoingDocument.Status.SEALED:
            raise Conflict(f"当前状态为“{doc.get_status_display()}”，用印后才能分发。")
        targets = [(o, "main") for o in doc.main_recipients.all()] + [(o, "cc") for o in doc.cc_recipients.all()]
        if len(targets) > doc.copies:  # before the policy, which does not offer 分发 while the 份数 is short
            raise ServiceError(f"份数（{doc.copies}）少于分发单位数（{len(targets)}），请先在“更正印制信息”中调整份数。", fields={"copies": "份数不足。"})
        OutgoingPolicy.require(actor, doc, "distribute", "只有本机关办公室文秘可以分发。")
        if not targets:
            raise ServiceError("没有主送或抄送机关，无法分发。", fields={"main_recipients": "请先填写主送机关。"})
        rows = [
            Distribution(
                document=doc, recipient=organ, role=role, copy_no=f"{i:06d}",
                channel=Distribution.Channel.PLATFORM if organ.platform_organization_id else Distribution.Channel.PACKAGE,
                platform_organization_id=organ.platform_organization_id, distributed_by=actor,
            )
            for i, (organ, role) in enumerate(targets, start=1)
        ]
        for row in rows:
            row.save()  # one by one: delivery needs the primary keys on every database
        for handler in DELIVERY_HANDLERS:
            handler(rows)
        doc.status = OutgoingDocument.Status.DISTRIBUTED
        doc.save(update_fields=["status", "updated_at"])
        record(actor=actor, action="outgoing.distribute", target=doc, after={"copies": [(r.copy_no, r.recipient_id, r.channel) for r in rows]})
    return rows


def outgoing_file(*, actor: User, document: OutgoingDocument) -> OutgoingDocument:
    """归档: a distributed document is handed to the archives (the 档案 module files it as an item)."""
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != OutgoingDocument.Status.DISTRIBUTED:
            raise Conflict(f"当前状态为“{doc.get_status_display()}”，分发后才能归档。")
        OutgoingPolicy.require(actor, doc, "file", "只有本机关办公室文秘或档案员可以归档。")
        doc.status = OutgoingDocument.Status.FILED
        doc.save(update_fields=["status", "updated_at"])
        record(actor=actor, action="outgoing.file", target=doc, before={"status": "distributed"}, after={"status": "filed"})
    return doc


# 条例 Art. 20: what the office checks before a draft goes to the signer (shown on the review page).
REVIEW_CHECKLIST = (
    "行文理由是否充分，行文依据是否准确",
    "内容是否符合国家法律法规和党的路线方针政策，是否完整准确体现发文机关意图，是否同现行有关公文相衔接",
    "涉及有关地区或者部门职权范围内的事项是否经过充分协商并达成一致意见",
    "文种是否正确，格式是否规范",
    "人名、地名、时间、数字、段落顺序、引文等是否准确",
    "文字、数字、计量单位和标点符号等用法是否规范",
    "其他内容是否符合公文起草的有关要求",
)


def recipients(organs: Iterable[ExternalOrgan]) -> list[str]:
    return [o.short_name or o.name for o in organs]
