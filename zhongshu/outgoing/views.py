"""发文 pages: list, 稿纸 (create/edit), detail with rule checks and versions, 登记簿."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.attachments import attachment_add, attachments_of, check_upload
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.web.forms import act, apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import selectors, services
from .forms import DraftForm, ReserveForm, VoidForm
from .models import NumberRecord, OutgoingDocument
from .policy import OutgoingPolicy


def _get(request, pk) -> OutgoingDocument:
    try:
        return selectors.document_get(request.user, pk)
    except NotFound:
        raise Http404


COLUMNS = [
    Column("title", "标题", lambda d: d.title, sort="title", link=True),
    Column("doc_number", "发文字号", lambda d: d.doc_number or "—", sort="number_serial"),
    Column("doc_type", "文种", lambda d: d.doc_type, sort="doc_type"),
    Column("classification", "密级", lambda d: d.get_classification_display(), sort="classification"),
    Column("drafter", "拟稿人", lambda d: d.drafter.display_name),
    Column("department", "拟稿单位", lambda d: d.drafting_department or ""),
    Column("status", "状态", lambda d: d.get_status_display(), sort="status"),
    Column("updated_at", "更新时间", lambda d: local(d.updated_at, "Y-m-d H:i"), sort="updated_at"),
]


@login_required
def document_list(request):
    if not has_perm(request.user, "outgoing.view"):
        raise Http404
    allowed = OutgoingPolicy.register_actions(request.user)
    listing = ListPage(request, selectors.documents_for(request.user), COLUMNS, default_sort="-updated_at")
    can_export = "export" in allowed
    if listing.wants_export():
        if not can_export:
            raise Http404
        return listing.export("发文.xlsx")
    actions = [{"label": "拟稿", "url": reverse("outgoing:create")}] if "draft" in allowed else []
    if "register" in allowed:
        actions.append({"label": "发文登记簿", "url": reverse("outgoing:register")})
    return render(request, "web/list_page.html", {"title": "发文", "listing": listing, "row_link": True, "actions": actions, "can_export": can_export})


def _docx_body(upload) -> str:
    from zhongshu.core.attachments import check_upload

    name, _ = check_upload(upload, field="docx")
    if not name.lower().endswith(".docx"):
        raise ServiceError("只能导入 .docx 文件。", fields={"docx": "只能导入 .docx 文件。"})
    import io

    from zhongshu.proofread.docx_io import read_text

    try:
        return read_text(io.BytesIO(upload.read()))
    except Exception:  # a broken package is the user's file, not our error
        raise ServiceError("无法读取该 DOCX 文件，请确认文件未损坏。", fields={"docx": "无法读取该 DOCX 文件。"})


def _values(form: DraftForm, request) -> dict:
    data = dict(form.cleaned_data)
    data.pop("docx", None)
    data.pop("attachment", None)
    reason = data.pop("reason", "")
    if request.FILES.get("docx"):
        data["body"] = _docx_body(request.FILES["docx"])
    return {**data, "reason": reason}


def _proofreader(request, doc_type: str) -> dict:
    """Context for the inline 校对 component under the body editor (zhongshu.proofing)."""
    if not has_perm(request.user, "proofread.use"):
        return {}
    from zhongshu.proofing.forms import ProofreadTextForm
    from zhongshu.proofing.views import proofreader_meta

    return {"proofreader_meta": proofreader_meta(), "pr_form": ProofreadTextForm(initial={"doc_type": doc_type}, prefix="pr")}


@login_required
def document_create(request):
    if "draft" not in OutgoingPolicy.register_actions(request.user):
        raise Http404
    from .boilerplates import BOILERPLATES, boilerplate
    from .models import DEFAULT_DIRECTION, Direction

    initial = {"doc_type": "通知", "direction": Direction.DOWN}
    chosen = request.GET.get("template", "")
    if chosen in BOILERPLATES and request.user.organization:
        title, body = boilerplate(chosen, request.user.organization.name)
        initial.update(doc_type=chosen, title=title, body=body, direction=DEFAULT_DIRECTION.get(chosen, Direction.DOWN))
        if chosen in ("请示", "报告"):
            initial["direction"] = "up"
        if chosen == "函":
            initial.update(direction="parallel", format="letter")
        if chosen == "纪要":
            initial["format"] = "minutes"
    form = DraftForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            values = _values(form, request)
            values.pop("reason")
            upload = request.FILES.get("attachment")
            if upload:
                check_upload(upload, field="attachment")  # a bad file is refused before anything is saved
            with transaction.atomic():
                doc = services.outgoing_create(actor=request.user, **values)
                if upload:
                    attachment_add(actor=request.user, obj=doc, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "稿件已保存。")
            return redirect(doc.get_absolute_url())
    return render(request, "outgoing/form.html", {"title": "拟稿", "form": form, "cancel_url": reverse("outgoing:list"), "templates": list(BOILERPLATES), "chosen": chosen, **_proofreader(request, initial.get("doc_type", ""))})


@login_required
def document_edit(request, pk):
    doc = _get(request, pk)
    if not OutgoingPolicy.can(request.user, doc, "edit"):
        raise Http404
    initial = {f: getattr(doc, f) for f in ("doc_type", "format", "direction", "title", "body", "classification", "secrecy_period", "urgency", "copies", "publicity", "note")}
    initial.update(main_recipients=doc.main_recipients.all(), cc_recipients=doc.cc_recipients.all(), attachment_names="\n".join(doc.attachment_names),
                   countersign_departments=doc.countersign_departments.all(), joint_issuers=[j.organ for j in doc.joint_issuers.select_related("organ")])
    form = DraftForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            upload = request.FILES.get("attachment")
            if upload:
                check_upload(upload, field="attachment")
            with transaction.atomic():
                services.outgoing_update(actor=request.user, document=doc, **_values(form, request))
                if upload:
                    attachment_add(actor=request.user, obj=doc, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为新版本。")
            return redirect(doc.get_absolute_url())
    return render(request, "outgoing/form.html", {"title": f"修改：{doc.title}", "form": form, "cancel_url": doc.get_absolute_url(), "editing": True, **_proofreader(request, doc.doc_type)})


@login_required
def document_detail(request, pk):
    doc = _get(request, pk)
    record_access(actor=request.user, obj=doc, kind="view")
    versions = list(doc.versions.select_related("created_by").order_by("number"))
    compare = None
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    va = next((v for v in versions if v.number == a), None)
    vb = next((v for v in versions if v.number == b), None)
    if va and vb:
        compare = {"a": va, "b": vb, "title": selectors.version_diff(va.title, vb.title), "body": selectors.version_diff(va.body, vb.body)}
    user = request.user
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import flow_state

    state = flow_state(doc)
    my_item = None
    if state.running:
        from zhongshu.flow.models import acting_ids

        my_item = WorkItem.objects.filter(instance=state.instance, status="pending", assignee_id__in=acting_ids(user)).first()
    proof = None
    if doc.status in ("draft", "reviewing") and has_perm(user, "proofread.use"):
        from zhongshu.proofing.services import proofread_text

        try:
            findings = proofread_text(user=user, text=doc.body, doc_type=doc.doc_type)
        except ServiceError:
            findings = []
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.category] = counts.get(f.category, 0) + 1
        proof = {"total": len(findings), "errors": sum(f.severity == "error" for f in findings), "counts": counts, "first": findings[:8]}
    actions = OutgoingPolicy.allowed_actions(user, doc)
    own = user.organization_id == doc.organization_id
    joints = list(doc.joint_issuers.select_related("organ", "decided_by"))
    for j in joints:
        j.actions = OutgoingPolicy.joint_actions(user, doc, j)
    ctx = {
        "actions": actions,
        "proof": proof,
        # the office reviews (条例 Art. 20) while it may still edit a document under review
        "checklist": services.REVIEW_CHECKLIST if doc.status == "reviewing" and "edit" in actions and doc.drafter_id != user.pk else (),
        "joints": joints, "own": own,
        "flow": state,
        "history": state.history,
        "sign_signatures": _signer_signatures(doc, state.history),
        "my_item": my_item,
        "title": doc.title,
        "doc": doc,
        "violations": services.outgoing_check(document=doc),
        "versions": versions,
        "compare": compare,
        "steps": [(a, label) for a, label in STEP_LABELS if a in actions],
        "distributions": doc.distributions.select_related("recipient", "delivery").all(),
        "files": attachments_of(doc),
        "recipient_count": (count := doc.main_recipients.count() + doc.cc_recipients.count() if "correct" in actions else 0),
        "short_copies": "correct" in actions and doc.copies < count,
        "reserved": NumberRecord.objects.filter(organization_id=doc.organization_id, status="reserved") if "number" in actions else [],
    }
    return render(request, "outgoing/detail.html", ctx)


STEP_LABELS = (("print", "印制"), ("seal", "用印"), ("distribute", "分发"), ("file", "归档"))


def _act(request, pk, fn, ok: str):
    return act(request, _get(request, pk), fn, ok)


@login_required
@require_POST
def document_submit(request, pk):
    return _act(request, pk, lambda d: services.outgoing_submit(actor=request.user, document=d), "已送审。")


@login_required
@require_POST
def document_sign(request, pk):
    return _act(request, pk, lambda d: services.outgoing_sign_off(actor=request.user, document=d), "已签发。")


def _joint(request, pk, jpk):
    from .models import JointIssuer

    doc = _get(request, pk)
    joint = JointIssuer.objects.filter(pk=jpk, document=doc).first()
    if joint is None:
        raise Http404
    return doc, joint


@login_required
@require_POST
def document_joint_sign(request, pk, jpk):
    doc, joint = _joint(request, pk, jpk)
    agree = request.POST.get("decision") == "agree"
    return act(request, doc, lambda d: services.outgoing_joint_sign(actor=request.user, joint=joint, agree=agree, opinion=request.POST.get("opinion", "")),
               "已会签同意。" if agree else "已提出不同意意见。")


@login_required
@require_POST
def document_joint_confirm(request, pk, jpk):
    doc, joint = _joint(request, pk, jpk)
    return act(request, doc, lambda d: services.outgoing_joint_confirm(actor=request.user, joint=joint, note=request.POST.get("note", "")),
               "已登记线下会签。")


@login_required
@require_POST
def document_number(request, pk):
    def assign(d):
        reserved = None
        if request.POST.get("reserved"):
            reserved = NumberRecord.objects.filter(pk=request.POST.get("reserved") if request.POST.get("reserved", "").isdigit() else 0).first()
            if reserved is None:
                raise ServiceError("所选预留文号不存在。")
        services.outgoing_assign_number(actor=request.user, document=d, prefix=request.POST.get("prefix", ""), reserved=reserved)

    return _act(request, pk, assign, "已编号登记。")


@login_required
@require_POST
def document_correct(request, pk):
    """更正印制信息 (份数) after 签发: the office, with a reason, without going back to the signer."""
    return _act(request, pk, lambda d: services.outgoing_correct(actor=request.user, document=d, copies=request.POST.get("copies"),
                                                               reason=request.POST.get("reason", "")), "已更正印制信息。")


@login_required
@require_POST
def document_advance(request, pk, step):
    steps = {
        "print": (services.outgoing_print, "已印制。印制文件（每份带份号，附件在内）可在上方下载。"),
        "seal": (services.outgoing_seal, "已用印。"),
        "distribute": (services.outgoing_distribute, "已分发。"),
        "file": (services.outgoing_file, "已归档。"),
    }
    if step not in steps:
        raise Http404
    fn, ok = steps[step]
    return _act(request, pk, lambda d: fn(actor=request.user, document=d), ok)


def _signer_signatures(doc, history) -> list:
    """The handwritten 签批 each 签发人 gave with the approval that signed the document (their latest one)."""
    signers = set(doc.signers.values_list("pk", flat=True))
    latest: dict[int, object] = {}
    for h in history:
        if h.signature_id and h.action in ("approve", "circle") and h.actor_id in signers:
            latest[h.actor_id] = h
    return list(latest.values())


@login_required
def document_file(request, pk, kind):
    """PDF (watermarked for classified documents) or DOCX; every download of a classified one is audited."""
    from urllib.parse import quote

    from django.http import HttpResponse

    from zhongshu.render import RenderError

    from . import rendering

    doc = _get(request, pk)
    if kind not in ("pdf", "docx") or not OutgoingPolicy.can(request.user, doc, f"download_{kind}"):
        raise Http404  # e.g. editable copies of classified documents stay with the lead organ's office
    try:
        data = rendering.pdf_for(doc, viewer=request.user) if kind == "pdf" else rendering.docx_for(doc)
    except RenderError as exc:
        messages.error(request, f"排版失败：{exc}")
        return redirect(doc.get_absolute_url())
    record_access(actor=request.user, obj=doc, kind="download")
    mime = "application/pdf" if kind == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    resp = HttpResponse(data, content_type=mime)
    name = f"{doc.doc_number or '未编号'} {doc.title}.{kind}"
    resp["Content-Disposition"] = f"{'inline' if kind == 'pdf' else 'attachment'}; filename*=UTF-8''{quote(name)}"
    if kind == "pdf":
        from zhongshu.core.headers import frameable

        frameable(resp)  # previewed in a frame on the 核稿/签发 work item page
    return resp


@login_required
def document_package(request, pk):
    """分发包 for organs outside the platform: PDF + DOCX + attached files + SHA256SUMS, as one zip."""
    import hashlib
    import io
    import zipfile
    from urllib.parse import quote

    from django.http import HttpResponse

    from . import rendering

    doc = _get(request, pk)
    if not OutgoingPolicy.can(request.user, doc, "download_package"):
        raise Http404  # the lead organ's office, from 用印 on
    stem = f"{doc.doc_number or '未编号'} {doc.title}"
    files: list[tuple[str, bytes]] = [(f"{stem}.pdf", rendering.pdf_for(doc)), (f"{stem}.docx", rendering.docx_for(doc))]
    for i, att in enumerate(attachments_of(doc), start=1):
        with att.file.open("rb") as fh:
            files.append((f"附件{i}_{att.name}", fh.read()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        sums = []
        for name, data in files:
            zf.writestr(name, data)
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        zf.writestr("SHA256SUMS", "\n".join(sums) + "\n")
    record_access(actor=request.user, obj=doc, kind="download")
    resp = HttpResponse(buf.getvalue(), content_type="application/zip")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stem + '.zip')}"
    return resp


@login_required
def document_print_set(request, pk, kind):
    """印制文件: every copy with its own 份号 — one PDF per copy in a ZIP, or one PDF with every copy; attachments
    are part of each copy. Up to PRINT_SET_MAX copies per download (?first=&last= for larger runs)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    from zhongshu.render import RenderError

    from . import rendering

    doc = _get(request, pk)
    if kind not in ("zip", "pdf") or not OutgoingPolicy.can(request.user, doc, "download_print"):
        raise Http404  # the lead organ's office, from 编号 on
    try:
        first = int(request.GET.get("first") or 1)
        last = int(request.GET.get("last") or 0) or None
    except ValueError:
        first, last = 1, None
    numbers = rendering.copy_numbers(doc, first, last)
    if not numbers or len(numbers) > rendering.PRINT_SET_MAX:
        messages.error(request, f"每次最多下载 {rendering.PRINT_SET_MAX} 份，请按份号分批下载（first=起始份号，last=截止份号）。"
                       if numbers else "份号范围无效。")
        return redirect(doc.get_absolute_url())
    try:
        data = rendering.print_set(doc, numbers, combined=kind == "pdf")
    except RenderError as exc:
        messages.error(request, f"排版失败：{exc}")
        return redirect(doc.get_absolute_url())
    record_access(actor=request.user, obj=doc, kind="print")
    name = f"{doc.doc_number or '未编号'} {doc.title} 印制文件（{numbers[0]}-{numbers[-1]}）.{kind}"
    resp = HttpResponse(data, content_type="application/pdf" if kind == "pdf" else "application/zip")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


def _doc(r):
    return selectors.register_document(r)


REGISTER_COLUMNS = [
    Column("number", "发文字号", lambda r: str(r), sort="serial"),
    Column("status", "状态", lambda r: r.get_status_display(), sort="status"),
    Column("title", "标题", selectors.register_title),
    Column("doc_type", "文种", lambda r: _doc(r).doc_type if _doc(r) else ""),
    Column("classification", "密级", lambda r: _doc(r).get_classification_display() if _doc(r) else ""),
    Column("date", "成文日期", lambda r: local(_doc(r).issue_date, "Y-m-d") if _doc(r) and _doc(r).issue_date else ""),
    Column("copies", "份数", lambda r: _doc(r).copies if _doc(r) else ""),
    Column("reason", "说明", lambda r: r.reason),
    Column("by", "登记人", lambda r: r.created_by.display_name if r.created_by else ""),
    Column("at", "登记时间", lambda r: local(r.created_at, "Y-m-d H:i"), sort="created_at"),
]


@login_required
def register(request):
    allowed = OutgoingPolicy.register_actions(request.user)
    if "register" not in allowed:
        raise Http404
    qs = selectors.register_for(request.user)
    listing = ListPage(request, qs, REGISTER_COLUMNS, default_sort=("prefix", "-year", "-serial"), page_size=50)
    if listing.wants_export():
        return listing.export("发文登记簿.xlsx")
    form = ReserveForm(request.POST or None, initial={"prefix": request.user.organization.doc_prefix if request.user.organization else ""})
    if request.method == "POST" and "reserve" not in allowed:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.number_reserve(actor=request.user, organization=request.user.organization, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已预留文号 {rec}。")
            return redirect("outgoing:register")
    # 作废: only numbers whose document (if any) the policy lets this person void
    voidable = [rec for rec in listing.page.object_list if rec.status != NumberRecord.Status.VOIDED and "void" in allowed
                and (rec.document is None or OutgoingPolicy.can(request.user, rec.document, "void_number"))]
    return render(request, "outgoing/register.html", {"title": "发文登记簿", "listing": listing, "form": form if "reserve" in allowed else None,
                                                      "void_form": VoidForm(), "voidable": voidable, "can_export": True})


@login_required
@require_POST
def number_void(request):
    pk = request.POST.get("record", "")
    rec = get_object_or_404(selectors.register_for(request.user), pk=int(pk) if pk.isdigit() and len(pk) < 12 else 0)
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("请填写作废原因。")
        services.number_void(actor=request.user, record_=rec, reason=form.cleaned_data["reason"])
        messages.success(request, f"文号 {rec} 已作废。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("outgoing:register")
