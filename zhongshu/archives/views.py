"""档案 pages: the catalogue (档案列表), item detail and view-only content, filing (待归档), 归档文件目录 exports,
year-end batch filing with its progress bar."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record, record_access
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.web.forms import apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import catalogue, pdfstamp, selectors, services
from .batch import batch_start, unfiled_incoming, unfiled_outgoing
from .filters import ItemFilter
from .forms import CatalogueForm, FileForm, LoanForm, YearForm
from .models import ArchiveItem, Loan, Retention


def _need(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise Http404


def _item(request, pk) -> ArchiveItem:
    try:
        return selectors.item_get(request.user, pk)
    except NotFound:
        raise Http404


COLUMNS = [
    Column("archival_code", "档号", lambda i: i.archival_code, sort="archival_code"),
    Column("title", "题名", lambda i: i.title, sort="title", link=True),
    Column("doc_number", "文号", lambda i: i.doc_number),
    Column("responsible", "责任者", lambda i: i.responsible),
    Column("date", "日期", lambda i: local(i.date, "Y-m-d"), sort="date"),
    Column("classification", "密级", lambda i: i.get_classification_display(), sort="classification"),
    Column("retention", "保管期限", lambda i: i.get_retention_display(), sort="retention"),
    Column("pages", "页数", lambda i: i.pages),
    Column("status", "状态", lambda i: i.get_status_display(), sort="status"),
]


@login_required
def item_list(request):
    _need(request, "archives.view")
    listing = ListPage(request, selectors.items_for(request.user), COLUMNS, filterset_class=ItemFilter,
                       default_sort=("-year", "retention", "unit_code", "item_number"))
    can_export = has_perm(request.user, "archives.export")
    if listing.wants_export():
        if not can_export:
            raise Http404
        return listing.export("档案.xlsx")
    actions = []
    if has_perm(request.user, "archives.file"):
        actions += [{"label": "待归档", "url": reverse("archives:pending")}, {"label": "归档文件目录", "url": reverse("archives:catalogue")},
                    {"label": "集中归档", "url": reverse("archives:batches")}]
    if has_perm(request.user, "archives.manage"):
        actions += [{"label": "鉴定", "url": reverse("archives:appraisal")}, {"label": "销毁清册", "url": reverse("archives:destructions")},
                    {"label": "移交", "url": reverse("archives:transfers")}, {"label": "档案设置", "url": reverse("archives:settings")}]
    actions.append({"label": "借阅", "url": reverse("archives:loans")})
    return render(request, "web/list_page.html", {"title": "档案", "listing": listing, "row_link": True, "actions": actions, "can_export": can_export})


@login_required
def item_detail(request, pk):
    item = _item(request, pk)
    user = request.user
    record_access(actor=user, obj=item, kind="view")  # 秘密 and above, as every module does
    loan = Loan.objects.filter(item=item, borrower=user, status=Loan.Status.ACTIVE).first()
    can_read = selectors.can_read_content(user, item)
    pending_loan = Loan.objects.filter(item=item, borrower=user, status=Loan.Status.PENDING).first()
    loan_form = None
    if not can_read and loan is None and pending_loan is None and item.status == ArchiveItem.Status.FILED and has_perm(user, "archives.borrow"):
        # the catalogue entry without its content: ask for it here (posted to the 借阅 page's service call)
        loan_form = LoanForm(initial={"archival_code": item.archival_code})
        loan_form.fields["archival_code"].widget = forms.HiddenInput()
    ctx = {
        "title": item.archival_code,
        "item": item,
        "files": list(item.files.all()),
        "can_read": can_read,
        "can_manage": has_perm(user, "archives.manage"),
        "loan": loan,
        "pending_loan": pending_loan,
        "loan_form": loan_form,
        "loans": list(item.loans.select_related("borrower", "decided_by")[:50]) if has_perm(user, "archives.manage") else [],
        "appraisals": list(item.appraisals.select_related("decided_by")),
    }
    return render(request, "archives/detail.html", ctx)


@login_required
def file_view(request, pk, file_pk):
    """View-only content: the PDF inline, watermarked with the viewer's name and the time; every view audited.
    The 定稿 (DOCX) is downloadable by archive managers only."""
    item = _item(request, pk)
    if not selectors.can_read_content(request.user, item):
        raise Http404
    f = item.files.filter(pk=file_pk if str(file_pk).isdigit() else 0).first()
    if f is None:
        raise Http404
    try:
        with f.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise Http404
    user = request.user
    if f.is_pdf:
        try:
            data = pdfstamp.watermark(data, f"{user.display_name} {timezone.localtime():%Y-%m-%d %H:%M}")
        except Exception:  # a damaged attachment is not served unwatermarked
            messages.error(request, "该文件无法加水印显示，请联系档案员。")
            return redirect(item.get_absolute_url())
        services.content_viewed(actor=user, item=item, file=f)
        resp = HttpResponse(data, content_type="application/pdf")
        resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f.name)}"
    else:
        if not has_perm(user, "archives.manage"):
            raise Http404  # borrowers read in the browser only
        record(actor=user, action="archives.download", target=item, after={"file": f.name})
        resp = HttpResponse(data, content_type=f.mime)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f.name)}"
    resp["Cache-Control"] = "no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def pending(request):
    """待归档: finished 发文 (已分发) and 收文 (已办结) the archivist can see, not yet filed, each with its suggestion."""
    _need(request, "archives.file")
    user = request.user
    org = user.organization_id
    rows = []
    for d in unfiled_outgoing(user).select_related("drafting_department").order_by("-issue_date", "-pk")[:200]:
        rows.append({"kind": "outgoing", "label": "发文", "doc": d, "number": d.doc_number, "date": d.issue_date,
                     "suggested": services.suggest_retention(organization_id=org, source="outgoing", doc_type=d.doc_type, title=d.title)})
    for d in unfiled_incoming(user).order_by("-received_on", "-pk")[:200]:
        rows.append({"kind": "incoming", "label": "收文", "doc": d, "number": d.doc_number, "date": d.received_on,
                     "suggested": services.suggest_retention(organization_id=org, source="incoming", doc_type=d.doc_type, title=d.title)})
    configured = services.archive_settings_get(org) is not None
    return render(request, "archives/pending.html", {"title": "待归档", "rows": rows, "retentions": Retention.choices, "configured": configured})


@login_required
@require_POST
def file_document(request, kind, pk):
    _need(request, "archives.file")
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.outgoing.models import OutgoingDocument

    model = {"outgoing": OutgoingDocument, "incoming": IncomingDocument}.get(kind)
    if model is None:
        raise Http404
    doc = model.objects.restrict(request.user).filter(pk=pk).first()
    if doc is None:
        raise Http404
    form = FileForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择保管期限（永久、定期30年或定期10年）。")
        return redirect("archives:pending")
    fn = services.item_file_outgoing if kind == "outgoing" else services.item_file_incoming
    try:
        item = fn(actor=request.user, document=doc, retention=form.cleaned_data["retention"], note=form.cleaned_data["note"])
    except ServiceError as exc:
        messages.error(request, f"{doc.title}：{exc.message}")
        return redirect("archives:pending")
    messages.success(request, f"已归档，档号 {item.archival_code}。")
    return redirect(item.get_absolute_url())


@login_required
def catalogue_export(request):
    """归档文件目录 of one year (optionally one 保管期限 / 机构): Excel, or PDF with its cover."""
    _need(request, "archives.export")
    settings = services.archive_settings_get(request.user.organization_id)
    form = CatalogueForm(request.GET or None, initial={"year": timezone.localdate().year})
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf") and form.is_valid() and settings is not None:
        year, retention, unit = form.cleaned_data["year"], form.cleaned_data["retention"], (form.cleaned_data["unit_code"] or "").strip().upper()
        items = selectors.items_for(request.user).filter(year=year).order_by("retention", "unit_code", "item_number")
        if retention:
            items = items.filter(retention=retention)
        if unit:
            items = items.filter(unit_code=unit)
        items = list(items[:20000])
        record(actor=request.user, action="archives.export", target=request.user.organization, after={"year": year, "retention": retention, "unit": unit, "format": fmt, "items": len(items)})
        name = f"归档文件目录-{settings.fonds_code}-{year}{'-' + retention if retention else ''}{'-' + unit if unit else ''}.{fmt}"
        if fmt == "xlsx":
            data, mime = catalogue.xlsx(items), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            data, mime = catalogue.pdf(items, fonds_name=settings.fonds_name, year=year, retention=retention, unit=unit), "application/pdf"
        resp = HttpResponse(data, content_type=mime)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return resp
    return render(request, "archives/catalogue.html", {"title": "归档文件目录", "form": form, "configured": settings is not None})


@login_required
def batches(request):
    _need(request, "archives.file")
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_start(actor=request.user, year=form.cleaned_data["year"])
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            return redirect(batch.get_absolute_url())
    return render(request, "archives/batches.html", {"title": "年终集中归档", "form": form, "batches": selectors.batches_for(request.user)[:20]})


@login_required
def batch_detail(request, pk):
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return render(request, "archives/batch.html", {"title": str(batch), "batch": batch})


@login_required
def batch_progress(request, pk):
    """The htmx fragment the batch page polls every second until the job is done."""
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return render(request, "archives/_batch_progress.html", {"batch": batch})
