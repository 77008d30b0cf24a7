"""印章 pages: thin — parse input, call a selector or service, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.attachments import attachments_of, check_upload
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.org.models import User
from zhongshu.web.forms import act, apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import selectors, services
from .filters import LetterFilter, RecordFilter, RequestFilter, SealFilter
from .forms import LetterForm, LoanForm, RequestForm, SealApplyForm
from .models import Seal
from .policy import (
    IntroLetterPolicy,
    SealLoanPolicy,
    SealPolicy,
    UseRequestPolicy,
    stampable_seals,
    stamped_copies,
    usable_refusal,
)


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        raise Http404


def _need(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise Http404


def _date(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _person(request, key: str) -> User | None:
    try:
        return User.objects.get(pk=int(request.POST.get(key, "")), organization_id=request.user.organization_id)
    except (User.DoesNotExist, ValueError, TypeError):
        return None


# ---- the register --------------------------------------------------------------------------------------------
SEAL_COLUMNS = [
    Column("name", "印文", lambda s: s.name, sort="name", link=True),
    Column("kind", "种类", lambda s: s.kind.name + ("（电子）" if s.electronic else "")),
    Column("owner", "所属单位", lambda s: s.owner_label),
    Column("keeper", "保管人", lambda s: s.keeper.display_name if s.keeper_id else "—"),
    Column("storage", "存放地点", lambda s: s.storage or "—"),
    Column("filing", "公安备案号", lambda s: s.filing_number or s.es_id or "—"),
    Column("status", "状态", lambda s: s.get_status_display(), sort="status"),
    Column("enabled_on", "启用日期", lambda s: s.enabled_on or "", sort="enabled_on"),
]


@login_required
def seal_list(request):
    _need(request, "seals.view")
    listing = ListPage(request, selectors.seals_for(request.user), SEAL_COLUMNS, filterset_class=SealFilter, default_sort="name")
    can_export = has_perm(request.user, "seals.export")
    if listing.wants_export():
        if not can_export:
            raise DjangoPermissionDenied
        return listing.export("印章登记簿.xlsx")
    actions = [{"label": "用印申请", "url": reverse("seals:request_create")}, {"label": "用印登记簿", "url": reverse("seals:records")}]
    if has_perm(request.user, "seals.manage"):
        actions.insert(0, {"label": "刻制申请", "url": reverse("seals:apply")})
    return render(request, "web/list_page.html", {"title": "印章管理", "listing": listing, "row_link": True, "actions": actions,
                                                  "can_export": can_export})


@login_required
def seal_apply(request):
    _need(request, "seals.manage")
    services.ensure_kinds(request.user.organization)
    form = SealApplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            seal = services.seal_apply(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记刻制申请。")
            return redirect(seal.get_absolute_url())
    return render(request, "seals/form.html", {"title": "印章刻制申请", "form": form, "cancel_url": reverse("seals:list")})


@login_required
def seal_detail(request, pk):
    seal = _or_404(selectors.seal_get, request.user, pk)
    actions = SealPolicy.allowed_actions(request.user, seal)
    records = selectors.records_for(request.user).filter(seal=seal)[:50]
    people = User.objects.filter(organization_id=seal.organization_id, is_active=True, admin_role="").order_by("position__rank", "id")
    return render(request, "seals/detail.html", {
        "title": seal.name, "seal": seal, "actions": actions, "events": seal.events.select_related("actor", "from_keeper", "to_keeper"),
        "records": records, "refusal": usable_refusal(seal) if seal.status == Seal.Status.ACTIVE else "",
        "loans": selectors.loans_for(request.user).filter(seal=seal)[:20], "people": people if actions else [],
        "statuses": Seal.Status,
    })


@login_required
@require_POST
def seal_action(request, pk, action):
    seal = _or_404(selectors.seal_get, request.user, pk)
    p = request.POST
    user = request.user
    handlers = {
        "make": (lambda s: services.seal_make(
            actor=user, seal=s, engraver=p.get("engraver", ""), filing_number=p.get("filing_number", ""), es_id=p.get("es_id", ""),
            valid_from=_date(p.get("valid_from", "")), valid_until=_date(p.get("valid_until", "")), key_reference=p.get("key_reference", ""),
            certificate_subject=p.get("certificate_subject", ""), certificate_serial=p.get("certificate_serial", ""),
            certificate_issuer=p.get("certificate_issuer", "")), "已登记刻制。"),
        "impression": (lambda s: _impression(request, s), "已登记印模。"),
        "enable": (lambda s: services.seal_enable(actor=user, seal=s, keeper=_person(request, "keeper") or _missing("keeper", "请选择保管人。"),
                                                  storage=p.get("storage", "")), "已启用，启用通知已起草（发文草稿）。"),
        "handover": (lambda s: services.seal_handover(actor=user, seal=s, to_keeper=_person(request, "to_keeper") or _missing("to_keeper", "请选择接收人。"),
                                                      witness=p.get("witness", ""), note=p.get("note", "")), "已办理交接。"),
        "suspend": (lambda s: services.seal_suspend(actor=user, seal=s, reason=p.get("reason", "")), "已停用。"),
        "seal_away": (lambda s: services.seal_retire(actor=user, seal=s, outcome=Seal.Status.SEALED_AWAY, witnesses=p.getlist("witness"),
                                                     note=p.get("note", "")), "已封存。"),
        "destroy": (lambda s: services.seal_retire(actor=user, seal=s, outcome=Seal.Status.DESTROYED, witnesses=p.getlist("witness"),
                                                   note=p.get("note", "")), "已销毁。"),
        "lost": (lambda s: services.seal_report_lost(actor=user, seal=s, lost_on=_date(p.get("lost_on", "")) or _missing("lost_on", "请填写遗失日期。"),
                                                     circumstances=p.get("circumstances", "")), "已挂失，印章已停止使用，请发布作废声明。"),
    }
    if action not in handlers:
        raise Http404
    fn, success = handlers[action]
    return act(request, seal, fn, success)


def _missing(field: str, message: str):
    raise ServiceError(message, fields={field: message})


def _impression(request, seal):
    upload = request.FILES.get("file")
    if upload is None:
        _missing("file", "请选择印模图片。")
    return services.seal_impression(actor=request.user, seal=seal, upload=upload)


# ---- 用印申请 --------------------------------------------------------------------------------------------------
REQUEST_COLUMNS = [
    Column("document_title", "用印文件", lambda r: r.document_title, sort="document_title", link=True),
    Column("matter", "事项", lambda r: r.get_matter_display()),
    Column("copies", "份数", lambda r: r.copies),
    Column("requester", "经办人", lambda r: r.requester.display_name),
    Column("department", "用印单位", lambda r: r.department or ""),
    Column("status", "状态", lambda r: r.get_status_display() + ("（电话审批）" if r.mode == "phone" else ""), sort="status"),
    Column("created_at", "申请时间", lambda r: local(r.created_at), sort="created_at"),
]


@login_required
def request_list(request):
    _need(request, "seals.view")
    listing = ListPage(request, selectors.requests_for(request.user), REQUEST_COLUMNS, filterset_class=RequestFilter, default_sort="-created_at")
    actions = [{"label": "用印申请", "url": reverse("seals:request_create")}] if has_perm(request.user, "seals.request") else []
    return render(request, "web/list_page.html", {"title": "用印申请", "listing": listing, "row_link": True, "actions": actions})


@login_required
def request_create(request, seal_pk=None):
    _need(request, "seals.request")
    initial = {"seals": [seal_pk]} if seal_pk else {}
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        uploads = request.FILES.getlist("file")
        try:
            for upload in uploads:
                check_upload(upload)
            with transaction.atomic():
                req = services.request_create(actor=request.user, uploads=uploads, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "用印申请已提交审批。")
            return redirect(req.get_absolute_url())
    return render(request, "seals/form.html", {"title": "用印申请", "form": form, "files": True, "cancel_url": reverse("seals:requests")})


@login_required
def request_detail(request, pk):
    req = _or_404(selectors.request_get, request.user, pk)
    from zhongshu.flow.models import WorkItem, acting_ids
    from zhongshu.flow.services import flow_state

    state = flow_state(req)
    my_item = None if state.instance is None else WorkItem.objects.filter(
        instance=state.instance, status=WorkItem.Status.PENDING, kind=WorkItem.Kind.TODO, assignee_id__in=acting_ids(request.user)).first()
    done = stamped_copies(req)
    seals = [{"seal": s, "done": done.get(s.pk, 0)} for s in req.seals.select_related("kind", "keeper")]
    actions = UseRequestPolicy.allowed_actions(request.user, req)
    return render(request, "seals/request.html", {
        "title": req.document_title, "req": req, "seals": seals, "actions": actions, "flow": state, "my_item": my_item,
        "attachments": attachments_of(req), "records": req.records.select_related("seal", "keeper"),
        "mine": stampable_seals(req, request.user) if "stamp" in actions else [],
        "phone_approvers": services.approvers_for(req) if "phone_approve" in actions else [],
    })


@login_required
@require_POST
def request_stamp(request, pk):
    req = _or_404(selectors.request_get, request.user, pk)
    seal = next((s for s in stampable_seals(req, request.user) if str(s.pk) == request.POST.get("seal")), None)

    def do(r):
        if seal is None:
            _missing("seal", "请选择您保管的印章。")
        return services.request_stamp(actor=request.user, request=r, seal=seal, copies=request.POST.get("copies"),
                                      witness=request.POST.get("witness", ""))
    return act(request, req, do, "已用印并登记。")


@login_required
@require_POST
def request_phone_approve(request, pk):
    req = _or_404(selectors.request_get, request.user, pk)
    return act(request, req, lambda r: services.request_phone_approve(
        actor=request.user, request=r, approver=_person(request, "approver") or _missing("approver", "请选择电话审批人。"),
        note=request.POST.get("note", "")), "已登记电话审批，可以用印；审批人须在流程中补办确认。")


# ---- 用印登记簿 and statistics ---------------------------------------------------------------------------------
RECORD_COLUMNS = [
    Column("day", "用印日期", lambda r: r.day, sort="day"),
    Column("seal", "印章", lambda r: r.seal.name),
    Column("unit", "用印单位", lambda r: r.unit, sort="unit"),
    Column("handler", "经办人", lambda r: r.handler.display_name),
    Column("document_title", "用印文件", lambda r: r.document_title, link=True),
    Column("doc_number", "文号", lambda r: r.doc_number),
    Column("copies", "份数", lambda r: r.copies),
    Column("approvers", "审批人", lambda r: r.approvers),
    Column("keeper", "用印人", lambda r: r.keeper.display_name),
    Column("witness", "监印人", lambda r: r.witness),
]


@login_required
def record_list(request):
    _need(request, "seals.view")
    listing = ListPage(request, selectors.records_for(request.user), RECORD_COLUMNS, filterset_class=RecordFilter, default_sort="-day")
    can_export = has_perm(request.user, "seals.export")
    if listing.wants_export():
        if not can_export:
            raise DjangoPermissionDenied
        record(actor=request.user, action="seals.export", note="用印登记簿")
        return listing.export("用印登记簿.xlsx")
    actions = [{"label": "用印统计", "url": reverse("seals:stats")}, {"label": "印章登记", "url": reverse("seals:list")}]
    return render(request, "web/list_page.html", {"title": "用印登记簿", "listing": listing, "row_link": True, "actions": actions,
                                                  "can_export": can_export})


@login_required
def record_stats(request):
    _need(request, "seals.view")
    return render(request, "seals/stats.html", {"title": "用印统计", "stats": selectors.record_stats(request.user)})


# ---- 外借 -----------------------------------------------------------------------------------------------------
LOAN_COLUMNS = [
    Column("seal", "印章", lambda loan: loan.seal.name, link=True),
    Column("carrier", "携带人", lambda loan: loan.carrier.display_name),
    Column("companion", "陪同人", lambda loan: loan.companion.display_name),
    Column("destination", "前往地点", lambda loan: loan.destination),
    Column("expected_return", "预计归还", lambda loan: loan.expected_return, sort="expected_return", deadline=True),
    Column("status", "状态", lambda loan: loan.get_status_display(), sort="status"),
]


@login_required
def loan_list(request):
    _need(request, "seals.view")
    listing = ListPage(request, selectors.loans_for(request.user), LOAN_COLUMNS, default_sort="-expected_return")
    return render(request, "web/list_page.html", {"title": "印章外借", "listing": listing, "row_link": True, "actions": []})


@login_required
def loan_create(request, pk):
    seal = _or_404(selectors.seal_get, request.user, pk)
    if not SealPolicy.can(request.user, seal, "loan"):
        raise Http404
    form = LoanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_request(actor=request.user, seal=seal, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "外借申请已提交，待办公室负责人审批。")
            return redirect(loan.get_absolute_url())
    return render(request, "seals/form.html", {"title": f"印章外借申请：{seal.name}", "form": form, "cancel_url": seal.get_absolute_url()})


@login_required
def loan_detail(request, pk):
    loan = _or_404(selectors.loan_get, request.user, pk)
    return render(request, "seals/loan.html", {"title": f"{loan.seal.name} 外借", "loan": loan,
                                               "actions": SealLoanPolicy.allowed_actions(request.user, loan)})


@login_required
@require_POST
def loan_decide(request, pk):
    loan = _or_404(selectors.loan_get, request.user, pk)
    approve = request.POST.get("decision") == "approve"
    return act(request, loan, lambda x: services.loan_decide(actor=request.user, loan=x, approve=approve, note=request.POST.get("note", "")),
               "已批准，印章借出。" if approve else "已不予批准。")


@login_required
@require_POST
def loan_return(request, pk):
    loan = _or_404(selectors.loan_get, request.user, pk)
    return act(request, loan, lambda x: services.loan_return(actor=request.user, loan=x), "已登记归还。")


# ---- 介绍信 ----------------------------------------------------------------------------------------------------
LETTER_COLUMNS = [
    Column("number", "编号", lambda x: x.number, sort="serial", link=True),
    Column("holder", "持信人", lambda x: x.holder + (f"等{x.holder_count}人" if x.holder_count > 1 else "")),
    Column("receiving_unit", "接收单位", lambda x: x.receiving_unit),
    Column("matter", "事由", lambda x: x.matter),
    Column("issued_on", "开具日期", lambda x: x.issued_on, sort="issued_on"),
    Column("valid_until", "有效期至", lambda x: x.valid_until, sort="valid_until"),
    Column("issued_by", "开具人", lambda x: x.issued_by.display_name),
    Column("fate", "去向", lambda x: x.fate()),
]


@login_required
def letter_list(request):
    _need(request, "seals.view")
    listing = ListPage(request, selectors.letters_for(request.user), LETTER_COLUMNS, filterset_class=LetterFilter, default_sort="-serial")
    can_export = has_perm(request.user, "seals.export")
    if listing.wants_export():
        if not can_export:
            raise DjangoPermissionDenied
        record(actor=request.user, action="seals.export", note="介绍信登记簿")
        return listing.export("介绍信登记簿.xlsx")
    actions = [{"label": "开具介绍信", "url": reverse("seals:letter_create")}] if has_perm(request.user, "seals.letters") else []
    return render(request, "web/list_page.html", {"title": "介绍信登记簿", "listing": listing, "row_link": True, "actions": actions,
                                                  "can_export": can_export})


@login_required
def letter_create(request):
    _need(request, "seals.letters")
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_issue(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已开具介绍信 {letter.number}。")
            return redirect(letter.get_absolute_url())
    return render(request, "seals/form.html", {"title": "开具介绍信", "form": form, "cancel_url": reverse("seals:letters")})


@login_required
def letter_detail(request, pk):
    letter = _or_404(selectors.letter_get, request.user, pk)
    return render(request, "seals/letter.html", {"title": f"介绍信 {letter.number}", "letter": letter,
                                                 "actions": IntroLetterPolicy.allowed_actions(request.user, letter)})


@login_required
def letter_print(request, pk):
    letter = _or_404(selectors.letter_get, request.user, pk)
    if not IntroLetterPolicy.can(request.user, letter, "print"):
        raise Http404
    from .rendering import letter_pdf

    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.year}-{letter.serial}.pdf"'
    return response


@login_required
@require_POST
def letter_use(request, pk):
    letter = _or_404(selectors.letter_get, request.user, pk)
    return act(request, letter, lambda x: services.letter_close(actor=request.user, letter=x, used=True), "已登记使用。")


@login_required
@require_POST
def letter_void(request, pk):
    letter = _or_404(selectors.letter_get, request.user, pk)
    return act(request, letter, lambda x: services.letter_close(actor=request.user, letter=x, used=False, reason=request.POST.get("reason", "")),
               "已作废。")

