"""档案 management pages: 借阅 requests and approvals, 鉴定, 销毁清册, 移交, 档案设置."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import ServiceError
from zhongshu.core.excel import xlsx_response
from zhongshu.web.forms import apply_errors

from . import disposal, selectors, services, transfer
from .forms import (
    AppraiseForm,
    DecisionForm,
    DestructionForm,
    ExecuteForm,
    LoanForm,
    RuleForm,
    SettingsForm,
    YearForm,
)
from .models import ArchiveItem, Loan, RetentionRule


def _need(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise Http404


@login_required
def loans(request):
    """借阅: my requests (with a request form), and the requests my role decides."""
    _need(request, "archives.borrow")
    user = request.user
    form = LoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_request(actor=user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"借阅申请已提交，待{loan.get_required_role_display()}审批。")
            return redirect("archives:loans")
    mine = Loan.objects.filter(borrower=user).select_related("item", "decided_by")[:100]
    to_decide = selectors.pending_decisions(user)[:100]
    managed = selectors.loans_for(user).exclude(borrower=user).exclude(status=Loan.Status.PENDING)[:100] if has_perm(user, "archives.manage") else []
    return render(request, "archives/loans.html", {"title": "档案借阅", "form": form, "mine": mine, "to_decide": to_decide, "managed": managed, "now": timezone.now()})


@login_required
@require_POST
def loan_action(request, pk, action):
    loan = selectors.loans_for(request.user).filter(pk=pk).first()
    if loan is None or action not in ("approve", "reject", "return", "cancel"):
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if action in ("approve", "reject"):
            services.loan_decide(actor=request.user, loan=loan, approve=action == "approve", note=note)
        elif action == "return":
            services.loan_return(actor=request.user, loan=loan)
        else:
            services.loan_cancel(actor=request.user, loan=loan)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, {"approve": "已批准。", "reject": "已不批准。", "return": "已归还。", "cancel": "已撤回。"}[action])
    return redirect("archives:loans")


@login_required
def appraisal(request):
    """鉴定: items whose 保管期限 has ended, each with keep / destroy."""
    _need(request, "archives.manage")
    items = disposal.expired_items(request.user).order_by("expires_on", "archival_code")[:200]
    to_destroy = selectors.items_for(request.user).filter(status=ArchiveItem.Status.TO_DESTROY, destruction_line__isnull=True)[:200]
    return render(request, "archives/appraisal.html", {"title": "档案鉴定", "items": items, "to_destroy": to_destroy, "form": AppraiseForm()})


@login_required
@require_POST
def appraise(request, pk):
    _need(request, "archives.manage")
    item = selectors.items_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择鉴定结论并填写鉴定意见。")
        return redirect("archives:appraisal")
    try:
        disposal.item_appraise(actor=request.user, item=item, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{item.archival_code} 已鉴定。")
    return redirect("archives:appraisal")


@login_required
def destructions(request):
    user = request.user
    registers = selectors.destructions_for(user)
    if not has_perm(user, "archives.manage") and not registers.exists():
        raise Http404
    candidates = list(selectors.items_for(user).filter(status=ArchiveItem.Status.TO_DESTROY, destruction_line__isnull=True)[:500]) if has_perm(user, "archives.manage") else []
    form = DestructionForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        _need(request, "archives.manage")
        if form.is_valid():
            try:
                d = disposal.destruction_create(actor=user, items=[i for i in candidates if i.pk in form.cleaned_data["items"]], reason=form.cleaned_data["reason"])
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已编制{d}，请报机关负责人批准。")
                return redirect(d.get_absolute_url())
    return render(request, "archives/destructions.html", {"title": "档案销毁清册", "registers": registers[:100], "form": form, "candidates": candidates})


@login_required
def destruction_detail(request, pk):
    d = selectors.destructions_for(request.user).filter(pk=pk).first()
    if d is None:
        raise Http404
    lines = list(d.lines.prefetch_related("disposals"))
    if request.GET.get("export") == "xlsx":
        rows = [[ln.order, ln.archival_code, ln.title, ln.year, ln.retention, ln.get_classification_display(), ln.pages,
                 "；".join(f"{x.name}（SHA-256 {x.sha256[:16]}…）" for x in ln.disposals.all())] for ln in lines]
        head = [["清册", str(d), "状态", d.get_status_display(), "批准人", d.approved_by.display_name if d.approved_by else "",
                 "监销人", "、".join(s.display_name for s in (d.supervisor1, d.supervisor2) if s)]]
        return xlsx_response(f"{d}.xlsx", [("销毁清册", ["序号", "档号", "题名", "年度", "保管期限", "密级", "页数", "已清除文件"], rows), ("签署", ["项目"] * 8, head)])
    if request.GET.get("export") == "pdf":
        from . import catalogue

        organization = d.organization.name
        resp = HttpResponse(catalogue.destruction_pdf(d, lines, organization=organization), content_type="application/pdf")
        resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(str(d) + '.pdf')}"
        return resp
    settings = services.archive_settings_get(d.organization_id)
    user = request.user
    ctx = {
        "title": str(d), "d": d, "lines": lines,
        "can_approve": d.status == "draft" and settings is not None and settings.destruction_approver_role in user.role_set,
        "can_execute": d.status == "approved" and has_perm(user, "archives.manage"),
        "execute_form": ExecuteForm(user=user),
    }
    return render(request, "archives/destruction.html", ctx)


@login_required
@require_POST
def destruction_action(request, pk, action):
    d = selectors.destructions_for(request.user).filter(pk=pk).first()
    if d is None or action not in ("approve", "execute"):
        raise Http404
    try:
        if action == "approve":
            disposal.destruction_approve(actor=request.user, destruction=d)
            messages.success(request, "已批准销毁。")
        else:
            form = ExecuteForm(request.POST, user=request.user)
            if not form.is_valid():
                raise ServiceError("请选择两名监销人。")
            disposal.destruction_execute(actor=request.user, destruction=d, supervisors=[form.cleaned_data["supervisor1"], form.cleaned_data["supervisor2"]])
            messages.success(request, "已销毁；档案目录保留条目，文件已安全清除。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(d.get_absolute_url())


@login_required
def transfers(request):
    _need(request, "archives.manage")
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            t = transfer.transfer_export(actor=request.user, year=form.cleaned_data["year"])
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"移交包已生成：{t.item_count} 件，清单摘要（{t.algorithm}）{t.manifest_digest[:16]}…")
            return redirect("archives:transfers")
    return render(request, "archives/transfers.html", {"title": "档案移交", "form": form, "transfers": selectors.transfers_for(request.user)[:50]})


@login_required
def transfer_zip(request, pk):
    t = selectors.transfers_for(request.user).filter(pk=pk).first()
    if t is None or not Path(t.path).is_dir():
        raise Http404
    from zhongshu.audit.services import record

    record(actor=request.user, action="archives.transfer_download", target=t, after={"year": t.year, "items": t.item_count})
    resp = HttpResponse(transfer.zip_bytes(Path(t.path)), content_type="application/zip")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(Path(t.path).name + '.zip')}"
    return resp


@login_required
def settings_page(request):
    _need(request, "archives.manage")
    user = request.user
    current = services.archive_settings_get(user.organization_id)
    initial = {f: getattr(current, f) for f in SettingsForm.base_fields} if current else {"fonds_name": user.organization.name if user.organization else ""}
    form = SettingsForm(request.POST or None, initial=initial, prefix="s")
    rule_form = RuleForm(request.POST or None, prefix="r")
    if request.method == "POST":
        try:
            if "s-fonds_code" in request.POST:
                if form.is_valid():
                    services.archive_settings_save(actor=user, organization=user.organization, **form.cleaned_data)
                    messages.success(request, "档案设置已保存。")
                    return redirect("archives:settings")
            elif "r-retention" in request.POST:
                if rule_form.is_valid():
                    services.retention_rule_add(actor=user, **rule_form.cleaned_data)
                    messages.success(request, "已添加保管期限规则。")
                    return redirect("archives:settings")
            elif request.POST.get("delete_rule", "").isdigit():
                rule = RetentionRule.objects.filter(pk=int(request.POST["delete_rule"]), organization_id=user.organization_id).first()
                if rule is not None:
                    services.retention_rule_delete(actor=user, rule=rule)
                    messages.success(request, "已删除规则。")
                return redirect("archives:settings")
        except ServiceError as exc:
            apply_errors(form if "s-fonds_code" in request.POST else rule_form, exc)
    rules = RetentionRule.objects.filter(organization_id=user.organization_id)
    return render(request, "archives/settings.html", {"title": "档案设置", "form": form, "rule_form": rule_form, "rules": rules,
                                                     "defaults": services.DEFAULT_RULES})
