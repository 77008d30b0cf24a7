"""档案 writes: settings, 保管期限 suggestion, filing (归档) of finished 发文/收文 with 档号 and 归档章, and loans.

Numbering: one ItemSequence row per lowest class (全宗, 门类, 年度, 保管期限, 机构), locked with SELECT … FOR
UPDATE (PostgreSQL) or by SQLite's IMMEDIATE write transaction, in the same transaction as the item it
numbers — so 件号 are gapless, and the unique constraints refuse any duplicate 档号.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhongshu.core.files import shorten_filename
from zhongshu.core.sequences import next_serial
from zhongshu.core.signals import updated
from zhongshu.org.models import Department, Organization, User
from zhongshu.org.roles import Role

from . import material as pdf_tools
from .models import (
    CODE_RE,
    FONDS_RE,
    RETENTION_STAMP,
    RETENTION_YEARS,
    ArchiveFile,
    ArchiveItem,
    ArchiveSettings,
    ItemSequence,
    Loan,
    Retention,
    RetentionRule,
    Source,
    UnitCode,
)

PDF = "application/pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---- settings ----------------------------------------------------------------------------------
def archive_settings_get(organization_id: int | None) -> ArchiveSettings | None:
    return ArchiveSettings.objects.filter(organization_id=organization_id).first() if organization_id else None


def _require_settings(organization_id: int) -> ArchiveSettings:
    s = archive_settings_get(organization_id)
    if s is None:
        raise ServiceError("本机关尚未设置全宗号，请档案员先在“档案设置”中填写。", fields={"fonds_code": "请先设置全宗号。"}, code="not_configured")
    return s


def archive_settings_save(
    *,
    actor: User,
    organization: Organization,
    fonds_code: str,
    fonds_name: str = "",
    category_code: str = "WS",
    default_unit_code: str = "BGS",
    loan_days: int = 14,
    director_from: int = Classification.SECRET,
    lower_approver_role: str = Role.ARCHIVIST,
    upper_approver_role: str = Role.OFFICE_DIRECTOR,
    destruction_approver_role: str = Role.LEADER,
) -> ArchiveSettings:
    """档案设置: 全宗号 (4 characters), 全宗名称, 门类代码, 默认机构代码, loan period and approval rules."""
    if not has_perm(actor, "archives.manage") or actor.organization_id != organization.pk:
        raise PermissionDenied()
    errors: dict[str, list[str] | str] = {}
    fonds_code = (fonds_code or "").strip().upper()
    if not re.fullmatch(FONDS_RE, fonds_code):
        errors["fonds_code"] = "全宗号应为 4 位数字或大写字母，如 0194。"
    category_code = (category_code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{1,4}", category_code):
        errors["category_code"] = "门类代码应为 1～4 个大写字母，如 WS（文书）。"
    default_unit_code = (default_unit_code or "").strip().upper()
    if not re.fullmatch(CODE_RE, default_unit_code):
        errors["default_unit_code"] = "机构（问题）代码应为 1～6 位大写字母或数字，如 BGS。"
    try:
        loan_days = int(loan_days)
        if not 1 <= loan_days <= 90:
            raise ValueError
    except (TypeError, ValueError):
        errors["loan_days"] = "借阅天数应为 1～90。"
    try:
        director_from = int(Classification(int(director_from)))
    except (TypeError, ValueError):
        errors["director_from"] = "密级无效。"
    for key, value in (("lower_approver_role", lower_approver_role), ("upper_approver_role", upper_approver_role), ("destruction_approver_role", destruction_approver_role)):
        if value not in Role.values:
            errors[key] = "角色无效。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    values = {
        "fonds_code": fonds_code, "fonds_name": (fonds_name or organization.name).strip()[:100], "category_code": category_code,
        "default_unit_code": default_unit_code, "loan_days": loan_days, "director_from": director_from,
        "lower_approver_role": lower_approver_role, "upper_approver_role": upper_approver_role,
        "destruction_approver_role": destruction_approver_role,
    }
    with transaction.atomic():
        obj, created = ArchiveSettings.objects.select_for_update().get_or_create(organization=organization, defaults=values)
        before = {k: getattr(obj, k) for k in values} if not created else None
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        record(actor=actor, action="archives.settings", target=organization, before=before, after=values)
    return obj


def unit_code_set(*, actor: User, department: Department, code: str) -> UnitCode:
    """Set a department's 机构（问题）代码 for the 档号."""
    if not has_perm(actor, "archives.manage") or actor.organization_id != department.organization_id:
        raise PermissionDenied()
    code = (code or "").strip().upper()
    if not re.fullmatch(CODE_RE, code):
        raise ServiceError("机构（问题）代码应为 1～6 位大写字母或数字。", fields={"code": "代码无效。"})
    with transaction.atomic():
        obj, _ = UnitCode.objects.update_or_create(department=department, defaults={"organization_id": department.organization_id, "code": code})
        record(actor=actor, action="archives.settings", target=department, after={"unit_code": code})
    return obj


def unit_code_for(settings: ArchiveSettings, department: Department | None) -> str:
    """机构（问题）代码: the configured one, else the department's own code, else the organization's default."""
    if department is None:
        return settings.default_unit_code
    configured = UnitCode.objects.filter(department=department).values_list("code", flat=True).first()
    if configured:
        return configured
    own = (department.code or "").strip().upper()
    return own if re.fullmatch(CODE_RE, own) else settings.default_unit_code


# ---- retention suggestion ------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    source: str
    doc_type: str
    keyword: str
    retention: str


# Defaults used until an organization configures its own rules. They paraphrase the usual 文书档案保管期限表
# (国家档案局令第8号) only roughly — the table itself is unconfirmed in our spec; organizations replace them.
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("", "", "值班", Retention.D10),
    Rule("", "", "会议通知", Retention.D10),
    Rule("outgoing", "决定", "", Retention.PERMANENT),
    Rule("outgoing", "决议", "", Retention.PERMANENT),
    Rule("outgoing", "命令（令）", "", Retention.PERMANENT),
    Rule("outgoing", "公报", "", Retention.PERMANENT),
    Rule("outgoing", "纪要", "", Retention.PERMANENT),
    Rule("", "", "规划", Retention.PERMANENT),
    Rule("", "", "年度工作总结", Retention.PERMANENT),
    Rule("outgoing", "请示", "", Retention.D30),
    Rule("outgoing", "报告", "", Retention.D30),
    Rule("", "批复", "", Retention.D30),
    Rule("outgoing", "", "", Retention.D30),
    Rule("incoming", "", "", Retention.D10),
)


def rules_for(organization_id: int) -> list[Rule]:
    own = [Rule(r.source, r.doc_type, r.keyword, r.retention) for r in RetentionRule.objects.filter(organization_id=organization_id)]
    return own or list(DEFAULT_RULES)


def suggest_retention(*, organization_id: int, source: str, doc_type: str, title: str) -> str:
    """The first rule matching the source, 文种 and a keyword of the title; D30 when none matches."""
    for rule in rules_for(organization_id):
        if rule.source and rule.source != source:
            continue
        if rule.doc_type and rule.doc_type != doc_type:
            continue
        if rule.keyword and rule.keyword not in title:
            continue
        return rule.retention
    return Retention.D30


def retention_rule_add(*, actor: User, source: str = "", doc_type: str = "", keyword: str = "", retention: str, order: int = 100) -> RetentionRule:
    if not has_perm(actor, "archives.manage") or actor.organization_id is None:
        raise PermissionDenied()
    errors: dict[str, list[str] | str] = {}
    if source not in ("", *Source.values):
        errors["source"] = "来源无效。"
    if retention not in Retention.values:
        errors["retention"] = "保管期限只能是永久、定期30年或定期10年。"
    if not (doc_type or keyword or source):
        errors["keyword"] = "来源、文种、关键词至少填一项。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    with transaction.atomic():
        rule = RetentionRule.objects.create(
            organization_id=actor.organization_id, source=source, doc_type=(doc_type or "").strip()[:8], keyword=(keyword or "").strip()[:40],
            retention=retention, order=max(0, int(order)),
        )
        record(actor=actor, action="archives.settings", target=rule, after={"rule": str(rule)})
    return rule


def retention_rule_delete(*, actor: User, rule: RetentionRule) -> None:
    if not has_perm(actor, "archives.manage") or actor.organization_id != rule.organization_id:
        raise PermissionDenied()
    with transaction.atomic():
        record(actor=actor, action="archives.settings", target=rule, before={"rule": str(rule)})
        rule.delete()


# ---- filing --------------------------------------------------------------------------------------
def format_archival_code(fonds: str, category: str, year: int, retention: str, unit: str, number: int) -> str:
    """档号 = 全宗号-门类代码·年度-保管期限-机构（问题）代码-件号 (DA/T 22-2015), e.g. 0194-WS·2026-D30-BGS-0001."""
    return f"{fonds}-{category}·{year}-{retention}-{unit}-{number:04d}"


def expiry_for(year: int, retention: str) -> datetime.date | None:
    # The period is counted from the year after the 年度 (common practice; the counting start is unconfirmed).
    years = RETENTION_YEARS[Retention(retention)]
    return None if years is None else datetime.date(year + years, 12, 31)


def _check_retention(retention: str | None) -> str:
    if retention not in Retention.values:
        raise ServiceError("请确认保管期限：永久、定期30年或定期10年。", fields={"retention": "保管期限无效。"})
    return str(retention)


@dataclass
class _Material:
    """What one 件 is made of, taken from the source document."""

    organization_id: int
    title: str
    doc_number: str
    doc_type: str
    responsible: str
    date: datetime.date
    classification: int
    secrecy_period: str
    department: Department | None
    original: bytes  # the PDF that receives the 归档章
    files: list[tuple[str, str, str, bytes]]  # (role, name, mime, data) after the original


def _store(item: ArchiveItem, role: str, order: int, name: str, mime: str, data: bytes, written: list[str]) -> ArchiveFile:
    f = ArchiveFile(item=item, role=role, order=order, name=shorten_filename(name, 200), mime=mime, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if mime == PDF:
        try:
            f.pages = pdf_tools.page_count(data)
        except Exception:  # a damaged attachment still gets filed; its page count stays 0
            f.pages = 0
    f.file.save(name, ContentFile(data), save=False)
    written.append(str(f.file.name))
    f.save()
    return f


def _file(actor: User, *, source: str, material: _Material, retention: str, note: str, link: dict[str, Any], after_create) -> ArchiveItem:
    settings = _require_settings(material.organization_id)
    year = material.date.year
    unit = unit_code_for(settings, material.department)
    written: list[str] = []
    try:
        with transaction.atomic():
            number = next_serial(
                ItemSequence, organization_id=material.organization_id, fonds_code=settings.fonds_code, category_code=settings.category_code,
                year=year, retention=retention, unit_code=unit,
            )
            if number > 9999:
                raise ServiceError("本类件号已超过 9999，请调整机构（问题）代码或分类。", code="full")
            code = format_archival_code(settings.fonds_code, settings.category_code, year, retention, unit, number)
            pdf = pdf_tools
            pages = pdf.page_count(material.original)
            stamped = pdf.stamp_first_page(
                material.original,
                pdf.StampFields(settings.fonds_code, year, RETENTION_STAMP[Retention(retention)], number, unit=unit, pages=pages),
            )
            item = ArchiveItem.objects.create(
                organization_id=material.organization_id, source=source, fonds_code=settings.fonds_code, category_code=settings.category_code,
                year=year, retention=retention, unit_code=unit, item_number=number, archival_code=code, title=material.title[:200],
                doc_number=material.doc_number[:60], doc_type=material.doc_type[:8], responsible=material.responsible[:100], date=material.date,
                classification=material.classification, secrecy_period=material.secrecy_period, note=(note or "").strip()[:200],
                department=material.department, expires_on=expiry_for(year, retention), filed_by=actor, **link,
            )
            total = 0
            _store(item, ArchiveFile.Role.ORIGINAL, 1, f"{code} {material.title[:80]}.pdf", PDF, stamped, written)
            total += pages
            for order, (role, name, mime, data) in enumerate(material.files, start=2):
                f = _store(item, role, order, name, mime, data, written)
                if role == ArchiveFile.Role.ATTACHMENT:
                    total += f.pages
            item.pages = total
            item.save(update_fields=["pages"])
            after_create(item)
            record(actor=actor, action="archives.file", target=item, after={"archival_code": code, "source": source, **{k: v.pk for k, v in link.items()}, "pages": total})
    except Exception:
        for name in written:  # the transaction rolled back: leave no orphan file behind
            default_storage.delete(name)
        raise
    return item


def _can_file(actor: User, organization_id: int) -> None:
    if not has_perm(actor, "archives.file") or actor.organization_id != organization_id:
        raise PermissionDenied("只有本机关档案员或办公室主任可以归档。")


def item_file_outgoing(*, actor: User, document: Any, retention: str | None = None, note: str = "") -> ArchiveItem:
    """归档 a distributed 发文 as one 件: the signed original (PDF with 归档章) + the 定稿 (DOCX) + attachments;
    the 发文 becomes “已归档” (outgoing_file) in the same transaction."""
    from zhongshu.core.attachments import attachments_of
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.outgoing.services import outgoing_file

    _can_file(actor, document.organization_id)
    if not OutgoingDocument.objects.restrict(actor).filter(pk=document.pk).exists():
        raise NotFound()
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        # 已归档 without an item: the office closed it on the 发文 page before the archives took it over.
        if doc.status not in (OutgoingDocument.Status.DISTRIBUTED, OutgoingDocument.Status.FILED):
            raise Conflict(f"只有已分发的发文可以归档（当前：{doc.get_status_display()}）。")
        if ArchiveItem.objects.filter(outgoing_id=doc.pk).exists():
            raise Conflict("该发文已经归档。")
        retention = _check_retention(retention or suggest_retention(organization_id=doc.organization_id, source="outgoing", doc_type=doc.doc_type, title=doc.title))
        files: list[tuple[str, str, str, bytes]] = [(ArchiveFile.Role.FINAL_DRAFT, f"定稿 {doc.title[:80]}.docx", DOCX, pdf_tools.outgoing_docx(doc))]
        for att in attachments_of(doc):
            with att.file.open("rb") as fh:
                files.append((ArchiveFile.Role.ATTACHMENT, att.name, att.mime, fh.read()))
        material = _Material(
            organization_id=doc.organization_id, title=doc.title, doc_number=doc.doc_number, doc_type=doc.doc_type,
            responsible=doc.organization.name, date=doc.issue_date or timezone.localdate(), classification=doc.classification,
            secrecy_period=doc.secrecy_period, department=doc.drafting_department, original=pdf_tools.outgoing_pdf(doc), files=files,
        )
        return _file(actor, source=Source.OUTGOING, material=material, retention=retention, note=note, link={"outgoing": doc},
                     after_create=lambda item: outgoing_file(actor=actor, document=doc) if doc.status == OutgoingDocument.Status.DISTRIBUTED else None)


def item_file_incoming(*, actor: User, document: Any, retention: str | None = None, note: str = "") -> ArchiveItem:
    """归档 a closed 收文 as one 件: its body (the first PDF attachment — the scan — or the registered text rendered
    as a PDF) with the 归档章, plus the other attachments. The 收文 itself is not changed; the item links to it."""
    from zhongshu.core.attachments import attachments_of
    from zhongshu.incoming.models import IncomingDocument

    _can_file(actor, document.organization_id)
    if not IncomingDocument.objects.restrict(actor).filter(pk=document.pk).exists():
        raise NotFound()
    with transaction.atomic():
        doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        if doc.status != "closed":
            raise Conflict(f"只有已办结的收文可以归档（当前：{doc.get_status_display()}）。")
        if ArchiveItem.objects.filter(incoming_id=doc.pk).exists():
            raise Conflict("该收文已经归档。")
        retention = _check_retention(retention or suggest_retention(organization_id=doc.organization_id, source="incoming", doc_type=doc.doc_type, title=doc.title))
        atts = list(attachments_of(doc))
        original: bytes | None = None
        files: list[tuple[str, str, str, bytes]] = []
        for att in atts:
            with att.file.open("rb") as fh:
                data = fh.read()
            if original is None and att.mime == PDF and pdf_tools.readable_pdf(data):
                original = data
                continue
            files.append((ArchiveFile.Role.ATTACHMENT, att.name, att.mime, data))
        material = _Material(
            organization_id=doc.organization_id, title=doc.title, doc_number=doc.doc_number, doc_type=doc.doc_type, responsible=doc.sender_name,
            date=doc.received_on or timezone.localdate(), classification=doc.classification, secrecy_period="", department=None,
            original=original or pdf_tools.incoming_pdf(doc), files=files,
        )
        return _file(actor, source=Source.INCOMING, material=material, retention=retention, note=note, link={"incoming": doc}, after_create=lambda item: None)


# ---- loans (借阅/查阅) ------------------------------------------------------------------------------
def required_role_for(settings: ArchiveSettings, classification: int) -> str:
    """Who approves a loan: below `director_from` the lower role (档案员), from it on the upper (办公室主任)."""
    return settings.upper_approver_role if classification >= settings.director_from else settings.lower_approver_role


def loan_request(*, actor: User, archival_code: str = "", item: ArchiveItem | None = None, kind: str = Loan.Kind.CONSULT, purpose: str, days: int | None = None) -> Loan:
    """借阅/查阅申请: by 档号 (the borrower knows it from a citation) or by item; an item the borrower may not read
    answers exactly like a missing one."""
    if not has_perm(actor, "archives.borrow") or actor.organization_id is None:
        raise PermissionDenied()
    errors: dict[str, list[str] | str] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = "请填写利用目的。"
    if kind not in Loan.Kind.values:
        errors["kind"] = "方式只能是借阅或查阅。"
    settings = _require_settings(actor.organization_id)
    try:
        days = int(days if days not in (None, "") else settings.loan_days)  # type: ignore[arg-type]
        if not 1 <= days <= 90:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = "借阅天数应为 1～90。"
    # What the borrower can ask for is what the catalogue shows them (ArchiveItemPolicy), filed.
    from .selectors import items_for, normalize_archival_code

    visible = items_for(actor).filter(status=ArchiveItem.Status.FILED, organization_id=actor.organization_id)
    if item is not None:
        target = visible.filter(pk=item.pk).first()
    else:
        target = visible.filter(archival_code__iexact=normalize_archival_code(archival_code)).first()
    if target is None:
        errors["archival_code"] = "没有找到该档号的档案，或您无权借阅。"
    if errors:
        raise ServiceError(str(next(iter(errors.values()))), fields=errors)
    assert target is not None and days is not None
    with transaction.atomic():
        ArchiveItem.objects.select_for_update().get(pk=target.pk)  # a double click waits here and gets the Conflict below
        if Loan.objects.filter(item=target, borrower=actor, status__in=[Loan.Status.PENDING, Loan.Status.ACTIVE]).exists():
            raise Conflict("您已有该档案的借阅申请或正在借阅。")
        loan = Loan.objects.create(
            organization_id=actor.organization_id, item=target, borrower=actor, kind=kind, purpose=purpose[:200], days=days,
            required_role=required_role_for(settings, target.classification),
        )
        record(actor=actor, action="archives.loan_request", target=target, after={"loan": loan.pk, "kind": kind, "days": days})
        approvers = User.objects.filter(organization_id=actor.organization_id, is_active=True, role_assignments__role=loan.required_role).exclude(pk=actor.pk)
        from zhongshu.notify.services import notify

        notify(recipients=list(approvers), title=f"借阅申请待审批：{target.archival_code}", body=f"{actor.display_name}申请{loan.get_kind_display()}，目的：{purpose[:100]}", url="/archives/loans/")
    return loan


def can_decide(actor: User, loan: Loan) -> bool:
    return (
        loan.status == Loan.Status.PENDING and actor.organization_id == loan.organization_id and actor.pk != loan.borrower_id
        and loan.required_role in actor.role_set and has_perm(actor, "archives.view")
        and loan.item.classification <= int(actor.max_classification)
    )


def loan_decide(*, actor: User, loan: Loan, approve: bool, note: str = "") -> Loan:
    """审批借阅: only a holder of the role the item's 密级 requires; approval opens access for `days` days."""
    with transaction.atomic():
        row = Loan.objects.select_for_update().select_related("item").get(pk=loan.pk)
        if row.status != Loan.Status.PENDING:
            raise Conflict("该申请已经处理，请刷新。")
        if not can_decide(actor, row):
            if actor.pk == row.borrower_id:
                raise PermissionDenied("不能审批本人的借阅申请。")
            raise PermissionDenied(f"该档案密级为{row.item.get_classification_display()}，须由{Role(row.required_role).label}审批。")
        now = timezone.now()
        row.decided_by, row.decided_at, row.decision_note = actor, now, (note or "").strip()[:200]
        if approve:
            row.status, row.starts_at, row.due_at = Loan.Status.ACTIVE, now, now + datetime.timedelta(days=row.days)
        else:
            if not row.decision_note:
                raise ServiceError("不批准时请填写理由。", fields={"note": "请填写理由。"})
            row.status = Loan.Status.REJECTED
        row.save()
        record(actor=actor, action="archives.loan_approve" if approve else "archives.loan_reject", target=row.item, after={"loan": row.pk, "due_at": row.due_at}, note=row.decision_note)
        from zhongshu.notify.services import notify

        msg = f"至 {timezone.localtime(row.due_at):%Y-%m-%d %H:%M} 可在线查阅" if approve and row.due_at else f"未批准：{row.decision_note}"
        notify(recipients=[row.borrower], title=f"借阅申请{'已批准' if approve else '未批准'}：{row.item.archival_code}", body=msg, url=row.item.get_absolute_url() if approve else "/archives/loans/")
    return row


def loan_return(*, actor: User, loan: Loan) -> Loan:
    """归还: the borrower or the archivist ends the loan; access stops at once."""
    with transaction.atomic():
        row = Loan.objects.select_for_update().get(pk=loan.pk)
        if row.borrower_id != actor.pk and not (has_perm(actor, "archives.manage") and actor.organization_id == row.organization_id):
            raise PermissionDenied()
        if row.status != Loan.Status.ACTIVE:
            raise Conflict("该借阅不在借阅中。")
        row.status, row.returned_at = Loan.Status.RETURNED, timezone.now()
        row.save(update_fields=["status", "returned_at"])
        record(actor=actor, action="archives.loan_return", target=row.item, after={"loan": row.pk})
    return row


def loan_cancel(*, actor: User, loan: Loan) -> Loan:
    with transaction.atomic():
        row = Loan.objects.select_for_update().get(pk=loan.pk)
        if row.borrower_id != actor.pk:
            raise PermissionDenied()
        if row.status != Loan.Status.PENDING:
            raise Conflict("只能撤回待审批的申请。")
        row.status = Loan.Status.CANCELLED
        row.save(update_fields=["status"])
        record(actor=actor, action="archives.loan_cancel", target=row.item, after={"loan": row.pk})
    return row


def loan_overdue_scan(today: datetime.date | None = None) -> str:
    """Daily: remind borrowers (and the archivists) of loans past their due time — at most once a day each."""
    from zhongshu.notify.services import notify

    today = today or timezone.localdate()
    now = timezone.now()
    reminded = 0
    overdue = Loan.objects.filter(status=Loan.Status.ACTIVE, due_at__lte=now).filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
    for loan in overdue.select_related("item", "borrower"):
        with transaction.atomic():
            if Loan.objects.filter(pk=loan.pk, status=Loan.Status.ACTIVE).filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)).update(last_reminded_on=today) != 1:
                continue  # another scan got there first
            updated(loan)  # the one 待办: an overdue loan becomes the archivists' task too (archives/tasks.py)
            archivists = User.objects.filter(organization_id=loan.organization_id, is_active=True, role_assignments__role=Role.ARCHIVIST)
            open_ = loan.item.classification < Classification.SECRET  # a classified title stays out of e-mail and robots
            notify(recipients=[loan.borrower, *archivists], title=f"借阅已到期：{loan.item.archival_code}",
                   body=f"{loan.borrower.display_name}借阅的《{loan.item.title}》已于 {timezone.localtime(loan.due_at):%Y-%m-%d} 到期，请办理归还。",
                   url="/archives/loans/", email=open_, webhook=open_)
            record(actor=None, actor_name="系统", action="archives.loan_overdue", target=loan.item, after={"loan": loan.pk}, organization_id=loan.organization_id)
            reminded += 1
    return f"提醒 {reminded} 条到期借阅"


def content_viewed(*, actor: User, item: ArchiveItem, file: ArchiveFile) -> None:
    """Every view of an item's content is audited (whatever its 密级)."""
    loan = Loan.objects.filter(item=item, borrower=actor, status=Loan.Status.ACTIVE).values_list("pk", flat=True).first()
    with transaction.atomic():
        record(actor=actor, action="archives.view_content", target=item, after={"file": file.name, "loan": loan})
