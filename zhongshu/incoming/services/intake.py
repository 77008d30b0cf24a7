"""收文 writes: delivery from 公文交换, 签收 with 收文编号, 退文 with a reason the sender sees, manual registration."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.core.faults import fault
from zhongshu.core.sequences import next_serial
from zhongshu.notify.services import notify
from zhongshu.org.models import ExternalOrgan, User
from zhongshu.outgoing.models import DocType

from ..models import IncomingDocument, ReceiptSequence

LEVEL_BY_LABEL = {"秘密": Classification.SECRET, "机密": Classification.CONFIDENTIAL, "绝密": Classification.TOP_SECRET}
DOC_NUMBER_RE = re.compile(r"^(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,12})〔(?P<year>\d{4})〕(?P<serial>[1-9]\d{0,4})号$")
DOC_TYPES = tuple(DocType.values)  # the 15 文种 of the 条例, as the 发文 module names them


def parse_doc_number(text: str) -> tuple[bool, str]:
    """来文字号: (valid, message). A malformed number is accepted as written but flagged with the reason."""
    text = (text or "").strip()
    if not text:
        return True, ""
    if DOC_NUMBER_RE.match(text):
        return True, ""
    if re.search(r"[\[［【(（「]\d{4}[\]］】)）」]", text):
        return False, "年份应使用六角括号〔〕"
    if "第" in text:
        return False, "发文字号序号前不加“第”"
    if re.search(r"〕0\d*号$", text):
        return False, "序号不加前导零"
    return False, "不符合“机关代字〔年份〕序号号”的格式"


def _next_serial(organization_id: int, year: int) -> int:
    return next_serial(ReceiptSequence, organization_id=organization_id, year=year)


def deliver(rows: list[Any]) -> list[IncomingDocument]:
    """公文交换: each copy distributed to an organization on the platform lands in its 待签收 list.

    Called by 发文's distribution inside its transaction (registered with outgoing.services.register_delivery).
    """
    out = []
    for row in rows:
        if not row.platform_organization_id:
            continue
        doc = row.document
        senders = [doc.organization.name, *(j.organ.name for j in doc.joint_issuers.select_related("organ"))]  # 联合行文: every organ
        out.append(incoming := IncomingDocument.objects.create(
            organization_id=row.platform_organization_id, source=IncomingDocument.Source.EXCHANGE, outgoing=doc, distribution=row,
            sender_name="、".join(senders)[:100], doc_number=doc.doc_number, title=doc.title, doc_type=doc.doc_type,
            classification=doc.classification, copy_no=row.copy_no if doc.classification >= Classification.SECRET else "",
            urgency=doc.urgency, copies=1, body=doc.body,
        ))
        clerks = User.objects.filter(organization_id=row.platform_organization_id, is_active=True, clearance__gte=max(1, doc.classification),
                                     role_assignments__role__in=["clerk", "office_director"]).distinct()
        notify(recipients=clerks, title=f"待签收：{doc.title}", body=f"{doc.organization.name} {doc.doc_number}", url="/incoming/?status=pending",
               level="reminder" if not doc.urgency else "urgent", subject=incoming)
        fault("incoming.deliver")
    return out


def _lock(actor: User, document: IncomingDocument, statuses: tuple[str, ...] = (IncomingDocument.Status.PENDING,)) -> IncomingDocument:
    if not has_perm(actor, "incoming.register") or actor.organization_id != document.organization_id:
        raise PermissionDenied("只有本机关办公室文秘可以办理签收、初审和退文。")
    doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    if doc.status not in statuses:
        raise Conflict(f"该文当前为“{doc.get_status_display()}”，请刷新。")
    return doc


def incoming_sign_in(*, actor: User, document: IncomingDocument) -> IncomingDocument:
    """签收: records who and when, and gives the 收文编号."""
    with transaction.atomic():
        doc = _lock(actor, document)
        doc.status = IncomingDocument.Status.RECEIVED
        doc.registered_by, doc.registered_at = actor, timezone.now()
        doc.received_on = timezone.localdate()
        doc.number_year = doc.received_on.year
        doc.number_serial = _next_serial(doc.organization_id, doc.number_year)
        doc.save()
        record(actor=actor, action="incoming.sign_in", target=doc, after={"number": doc.receipt_number, "from": doc.sender_name})
    return doc


def incoming_return(*, actor: User, document: IncomingDocument, reason: str) -> IncomingDocument:
    """退文: a wrongly addressed document goes back with a reason, which the sender's office sees — at 签收,
    or after it at 初审 (before any handling has started)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退文理由。", fields={"reason": "请填写退文理由。"})
    with transaction.atomic():
        doc = _lock(actor, document, (IncomingDocument.Status.PENDING, IncomingDocument.Status.RECEIVED))
        if doc.status == IncomingDocument.Status.RECEIVED and doc.reviewed_at is not None:
            raise Conflict("该文已通过初审，不能再退文。")
        before = doc.status
        doc.status, doc.return_reason = IncomingDocument.Status.RETURNED, reason[:300]
        if before == IncomingDocument.Status.PENDING:
            doc.registered_by, doc.registered_at = actor, timezone.now()
        doc.save()
        record(actor=actor, action="incoming.return", target=doc, note=reason[:300])
        sender = doc.outgoing
        if sender is not None:
            people = [sender.drafter, *User.objects.filter(organization_id=sender.organization_id, role_assignments__role="clerk",
                                                          clearance__gte=max(1, sender.classification))]
            notify(recipients=people, title=f"退文：{sender.title}", body=f"{actor.organization} 退回：{reason}", url=sender.get_absolute_url(),
                   level="warning", subject=sender)
    return doc


# 初审 (条例 Art. 24): is it ours, does it follow the routing rules, is the 文种 right, is the format complete?
REVIEW_CHECKS: tuple[tuple[str, str], ...] = (
    ("ours", "属于本机关职权范围，应由本机关办理"),
    ("routing", "符合行文规则（如不越级行文、党政分开行文）"),
    ("doc_type", "文种使用正确"),
    ("format", "格式规范、要素齐全（字号、签发人、印章、附件等）"),
)


def incoming_review(*, actor: User, document: IncomingDocument, passed: dict[str, bool], kind: str = "", note: str = "") -> IncomingDocument:
    """初审: a document that passes every check is classed as 办件 (to handle) or 阅件 (to read); one that fails
    any goes back to its sender (退文) with the failed checks as the reason."""
    note = (note or "").strip()[:200]
    failed = [label for key, label in REVIEW_CHECKS if not passed.get(key)]
    if not failed and kind not in IncomingDocument.Kind.values:
        raise ServiceError("请选择办理类型：办件或阅件。", fields={"kind": "请选择办理类型：办件或阅件。"})
    if failed:
        reason = "初审未通过：不符合" + "；".join(failed) + (f"。{note}" if note else "。")
        return incoming_return(actor=actor, document=document, reason=reason)
    with transaction.atomic():
        doc = _lock(actor, document, (IncomingDocument.Status.RECEIVED,))
        if doc.reviewed_at is not None:
            raise Conflict("该文已经初审，请刷新。")
        doc.kind, doc.reviewed_by, doc.reviewed_at, doc.review_note = kind, actor, timezone.now(), note
        doc.save(update_fields=["kind", "reviewed_by", "reviewed_at", "review_note"])
        record(actor=actor, action="incoming.review", target=doc, after={"kind": kind}, note=note)
    return doc


def incoming_start_handling(*, actor: User, document: IncomingDocument, opinion: str = "") -> IncomingDocument:
    """送拟办: the organization's 收文 flow (拟办 → 批示 …) starts; the document is 办理中 until the flow ends."""
    from zhongshu.flow.services import flow_start

    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        flow_start(actor=actor, subject=doc, opinion=opinion)  # checks can_start (signed in, not yet handled)
        doc.status = IncomingDocument.Status.HANDLING
        doc.save(update_fields=["status"])
        record(actor=actor, action="incoming.start", target=doc, before={"status": "received"}, after={"status": "handling"})
    doc.refresh_from_db()
    return doc


def duplicates(*, actor: User, sender_name: str, doc_number: str):
    """Already registered documents with the same 来文单位 and 字号 that `actor` may read (shown before saving).

    Only readable ones count: a warning that mentioned a document above the registrar's clearance — even without its
    title — would confirm that it exists. There is no database constraint on (来文单位, 字号), so a copy registered
    again below the original's 密级 goes through exactly like any new document; the office, which reads both, sees
    them side by side in the 收文登记簿."""
    if not doc_number.strip():
        return IncomingDocument.objects.none()
    return IncomingDocument.objects.restrict(actor).filter(
        organization_id=actor.organization_id, sender_name=sender_name.strip(), doc_number=doc_number.strip()
    ).exclude(status=IncomingDocument.Status.RETURNED)


def incoming_register(
    *,
    actor: User,
    source: str,
    sender_name: str = "",
    sender_organ: ExternalOrgan | None = None,
    doc_number: str = "",
    title: str,
    doc_type: str = "",
    classification: int = 0,
    copy_no: str = "",
    urgency: str = "",
    pages: int | None = None,
    copies: int = 1,
    received_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    allow_duplicate: bool = False,
) -> IncomingDocument:
    """登记: a paper, fax or e-mail document, numbered at once; duplicates need explicit confirmation."""
    if not has_perm(actor, "incoming.register") or actor.organization_id is None:
        raise PermissionDenied()
    errors: dict[str, list[str] | str] = {}
    if source not in (IncomingDocument.Source.PAPER, IncomingDocument.Source.FAX, IncomingDocument.Source.EMAIL):
        errors["source"] = "来源应为纸质、传真或电子邮件。"
    if sender_organ is not None:
        if sender_organ.organization_id != actor.organization_id:
            errors["sender_organ"] = "只能从本机关通讯录中选择。"
        sender_name = sender_organ.name
    sender_name = (sender_name or "").strip()
    if not sender_name:
        errors["sender_name"] = "请填写来文单位或从通讯录中选择。"
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    if doc_type and doc_type not in DOC_TYPES:
        errors["doc_type"] = "文种应为条例规定的 15 种之一。"
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors["classification"] = "密级无效。"
        level = Classification.PUBLIC
    if level > actor.max_classification:
        errors["classification"] = f"您的涉密等级只能登记{actor.max_classification.label}及以下的来文，请交保密员登记。"
    if level >= Classification.SECRET and not re.fullmatch(r"\d{6}", copy_no or ""):
        errors["copy_no"] = "涉密来文须登记 6 位份号。"
    elif copy_no and not re.fullmatch(r"\d{6}", copy_no):
        errors["copy_no"] = "份号应为 6 位数字。"
    if urgency not in ("", "特急", "加急"):
        errors["urgency"] = "紧急程度只能是“特急”或“加急”。"
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        errors["received_on"] = "收文日期不能晚于今天。"
    if deadline is not None and deadline < received_on:
        errors["deadline"] = "办理时限不能早于收文日期。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    valid, _why = parse_doc_number(doc_number)
    dupes = list(duplicates(actor=actor, sender_name=sender_name, doc_number=doc_number))
    if dupes and not allow_duplicate:
        raise ServiceError(
            "可能重复登记：" + "；".join(f"{d.receipt_number} {d.title}" for d in dupes) + "。确认不是同一份文件后勾选“仍然登记”。",
            fields={"allow_duplicate": "已有相同来文单位和字号的收文。"}, code="duplicate",
        )
    with transaction.atomic():
        doc = IncomingDocument.objects.create(
            organization_id=actor.organization_id, source=source, sender_organ=sender_organ, sender_name=sender_name[:100],
            doc_number=doc_number.strip(), doc_number_valid=valid, title=title, doc_type=doc_type, classification=int(level),
            copy_no=copy_no or "", urgency=urgency, pages=pages, copies=copies or 1, received_on=received_on, deadline=deadline,
            status=IncomingDocument.Status.RECEIVED, registered_by=actor, registered_at=timezone.now(),
            number_year=received_on.year, number_serial=_next_serial(actor.organization_id, received_on.year),
        )
        record(actor=actor, action="incoming.register", target=doc, after={"number": doc.receipt_number, "from": sender_name, "doc_number": doc.doc_number})
    return doc


def incoming_flow_ended(*, actor: Any, document: IncomingDocument) -> IncomingDocument:
    """拟办/批示 withdrawn (撤回) or terminated (终止): a document still 办理中 goes back to 已签收, recorded for it."""
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != IncomingDocument.Status.HANDLING:
            return doc
        doc.status = IncomingDocument.Status.RECEIVED
        doc.save(update_fields=["status"])
        record(actor=actor, action="incoming.flow_ended", target=doc, before={"status": "handling"}, after={"status": "received"})
    return doc
