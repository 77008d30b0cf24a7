"""收文 pages: the list (待签收 first), detail with 签收/退文, manual registration, the 收文登记簿."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.attachments import attachment_add, attachments_of, check_upload
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.core.headers import frameable
from zhongshu.web.forms import act, apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import selectors, services
from .forms import RegisterForm
from .models import IncomingDocument
from .policy import IncomingPolicy


def _get(request, pk) -> IncomingDocument:
    try:
        return selectors.incoming_get(request.user, pk)
    except NotFound:
        raise Http404


COLUMNS = [
    Column("number", "收文编号", lambda d: d.receipt_number or "—", sort="number_serial"),
    Column("title", "标题", lambda d: d.title, sort="title", link=True),
    Column("sender", "来文单位", lambda d: d.sender_name, sort="sender_name"),
    Column("doc_number", "来文字号", lambda d: d.doc_number + ("" if d.doc_number_valid else "（不规范）")),
    Column("classification", "密级", lambda d: d.get_classification_display(), sort="classification"),
    Column("urgency", "紧急程度", lambda d: d.urgency),
    Column("source", "来源", lambda d: d.get_source_display(), sort="source"),
    Column("status", "状态", lambda d: d.get_status_display(), sort="status"),
    Column("deadline", "办理时限", lambda d: local(d.deadline, "Y-m-d") or "—", sort="deadline", deadline=True),
    Column("received_on", "收文日期", lambda d: local(d.received_on, "Y-m-d")),
    Column("created_at", "到达时间", lambda d: local(d.created_at), sort="created_at"),
]


@login_required
def incoming_list(request):
    if not has_perm(request.user, "incoming.register") and not has_perm(request.user, "incoming.export"):
        raise Http404
    # The 收文登记簿 is the organization's own: a part received from another organization is reached from
    # 我的收文事项 and the 待办, not listed here.
    qs = selectors.incoming_for(request.user).filter(organization_id=request.user.organization_id)
    status = request.GET.get("status", "")
    if status in IncomingDocument.Status.values:
        qs = qs.filter(status=status)
    listing = ListPage(request, qs, COLUMNS, default_sort="-created_at")
    if listing.wants_export():
        if not has_perm(request.user, "incoming.export"):
            raise Http404
        return listing.export("收文登记簿.xlsx")
    actions = [{"label": "登记来文", "url": reverse("incoming:register")}] if has_perm(request.user, "incoming.register") else []
    actions.append({"label": "待签收", "url": "?status=pending"})
    return render(request, "web/list_page.html", {"title": "收文", "listing": listing, "row_link": True, "actions": actions,
                                                  "can_export": has_perm(request.user, "incoming.export")})


@login_required
def incoming_detail(request, pk):
    doc = _get(request, pk)
    record_access(actor=request.user, obj=doc, kind="view")
    from zhongshu.flow.services import flow_state
    from zhongshu.org import units
    from zhongshu.org.models import User

    from .forms import PlanForm
    from .models import CirculationSlot, ExtensionRequest, Undertaking

    user = request.user
    # Another organization holding a part (主办/协办 at a county bureau or township) sees the document and its own
    # part — not the office's register details, the 拟办/批示 history, the other parts or the 传阅.
    home = user.organization_id == doc.organization_id
    state = flow_state(doc)
    actions = IncomingPolicy.allowed_actions(user, doc)  # the policy decides every button below
    undertakings = sorted(Undertaking.objects.restrict(user).filter(document=doc)
                          .select_related("document", "department__head", "organization", "external", "assignee", "replied_by", "accepted_by"),
                          key=lambda u: (u.role != "lead", u.pk))
    for u in undertakings:
        u.actions = IncomingPolicy.undertaking_actions(user, u)
        u.members = list(units.members(department=u.department, organization=u.organization).order_by("id")) if "hand_to" in u.actions else []
        u.files = attachments_of(u)
        u.overdue = u.deadline is not None and u.status == "open" and u.deadline < timezone.localdate()
    circulations = list(doc.circulations.select_related("started_by").prefetch_related("slots__reader")) if home else []
    my_slot = next((s for c in circulations for s in c.slots.all() if s.reader_id == user.pk and s.status == CirculationSlot.Status.HOLDING), None)
    choosing = actions & {"circulate", "redirect"}
    people = list(User.objects.filter(organization_id=doc.organization_id, is_active=True, admin_role="").select_related("position")
                  .order_by("position__rank", "id")) if choosing else []
    for p in people:
        p.cleared = IncomingPolicy.may_receive(p, doc)
    supervision = []
    from django.apps import apps

    if home and apps.is_installed("zhongshu.supervision"):  # 转督办 keeps the link both ways
        from django.contrib.contenttypes.models import ContentType

        from zhongshu.supervision.models import SupervisionItem

        supervision = list(SupervisionItem.objects.restrict(user, "view").filter(
            source_type=ContentType.objects.get_for_model(IncomingDocument), source_id=doc.pk).order_by("id"))
    extensions = list(ExtensionRequest.objects.filter(undertaking__in=[u.pk for u in undertakings])
                      .select_related("undertaking__department", "undertaking__organization", "undertaking__document", "requested_by", "decided_by"))
    for e in extensions:
        e.decidable = "decide_extension" in actions and e.status == "pending" and e.requested_by_id != user.pk
    ctx = {
        "supervision": supervision, "actions": actions, "home": home,
        "title": doc.title, "doc": doc, "files": attachments_of(doc), "flow": state if home else None,
        "sender_files": attachments_of(doc.outgoing) if doc.outgoing_id else [], "history": state.history if home else [],
        "review_checks": services.REVIEW_CHECKS if "review" in actions else None,
        "plan_form": PlanForm(document=doc) if "plan" in actions else None,
        "waiting_co": [u for u in undertakings if u.role == "co" and u.status == "open"] if home and has_perm(user, "incoming.register") else [],
        "undertakings": undertakings, "extensions": extensions,
        "circulations": circulations, "my_slot": my_slot if "read" in actions else None,
        "people": people,
    }
    return render(request, "incoming/detail.html", ctx)


@login_required
def incoming_file(request, pk, kind):
    """The exchanged document's PDF (watermarked when classified) or DOCX, rendered from the sender's 发文."""
    doc = _get(request, pk)
    if doc.outgoing_id is None or kind not in ("pdf", "docx"):
        raise Http404
    from zhongshu.outgoing import rendering

    data = rendering.pdf_for(doc.outgoing, viewer=request.user) if kind == "pdf" else rendering.docx_for(doc.outgoing)
    record_access(actor=request.user, obj=doc, kind="download")
    mime = "application/pdf" if kind == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    resp = HttpResponse(data, content_type=mime)
    resp["Content-Disposition"] = f"{'inline' if kind == 'pdf' else 'attachment'}; filename*=UTF-8''{quote(doc.doc_number + ' ' + doc.title + '.' + kind)}"
    return frameable(resp) if kind == "pdf" else resp  # previewed in a frame on the 拟办/批示 work item page


@login_required
def incoming_sender_attachment(request, pk, apk):
    """An attachment of the sender's 发文, delivered with an exchanged copy: readable by whoever may read the copy."""
    from django.http import FileResponse

    doc = _get(request, pk)
    if doc.outgoing_id is None:
        raise Http404
    att = next((a for a in attachments_of(doc.outgoing) if a.pk == apk), None)
    if att is None:
        raise Http404
    record_access(actor=request.user, obj=doc, kind="download")
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=att.name, content_type=att.mime)


@login_required
def incoming_slip(request, pk):
    """收文处理笺 as PDF (printing a classified one is audited)."""
    from .slip import slip_pdf

    doc = _get(request, pk)
    if doc.organization_id != request.user.organization_id:
        raise Http404  # the 处理笺 carries every part's answer: the office's, not another organization's
    data = slip_pdf(doc, doc.organization.name)
    record_access(actor=request.user, obj=doc, kind="print")
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote('收文处理笺 ' + (doc.receipt_number or str(doc.pk)) + '.pdf')}"
    return resp


@login_required
@require_POST
def incoming_sign_in(request, pk):
    return act(request, _get(request, pk), lambda d: services.incoming_sign_in(actor=request.user, document=d),
               lambda d: f"已签收，收文编号 {d.receipt_number}。")


@login_required
@require_POST
def incoming_start(request, pk):
    return act(request, _get(request, pk), lambda d: services.incoming_start_handling(
        actor=request.user, document=d, opinion=request.POST.get("opinion", "")), "已送拟办。")


@login_required
@require_POST
def incoming_return(request, pk):
    return act(request, _get(request, pk), lambda d: services.incoming_return(
        actor=request.user, document=d, reason=request.POST.get("reason", "")), "已退文，来文单位将收到退文理由。")


@login_required
def incoming_register(request):
    if not has_perm(request.user, "incoming.register"):
        raise Http404
    form = RegisterForm(request.POST or None, request.FILES or None, user=request.user, initial={"copies": 1, "source": "paper"})
    dupes = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        try:
            if upload:
                check_upload(upload)  # a bad file is refused before anything is registered
            with transaction.atomic():
                doc = services.incoming_register(actor=request.user, **data)
                if upload:
                    attachment_add(actor=request.user, obj=doc, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
            if exc.code == "duplicate":
                dupes = list(services.duplicates(actor=request.user,
                                                 sender_name=data["sender_organ"].name if data.get("sender_organ") else data.get("sender_name", ""),
                                                 doc_number=data.get("doc_number", "")))
        else:
            warn = "" if doc.doc_number_valid else f"（来文字号不规范：{services.parse_doc_number(doc.doc_number)[1]}，已照录）"
            messages.success(request, f"已登记，收文编号 {doc.receipt_number}。{warn}")
            return redirect(doc.get_absolute_url())
    return render(request, "incoming/register.html", {"title": "登记来文", "form": form, "dupes": dupes, "cancel_url": reverse("incoming:list")})
