"""督查督办 pages: thin — parse input, call a selector or service, render."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.attachments import attachments_of
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.org.models import Department, User
from zhongshu.web.forms import apply_errors
from zhongshu.web.lists import Column, ListPage

from . import selectors, services
from .filters import ItemFilter, TaskFilter
from .forms import ItemForm, department_choices
from .models import ProgressReport, SupervisionItem, SupervisionTask
from .policy import SupervisionTaskPolicy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _light(obj) -> str:
    from django.utils.html import format_html

    return format_html('<span class="dot {}"></span>{}', obj.light, obj.get_light_display())


def _item(request, pk, action="view") -> SupervisionItem:
    try:
        return selectors.item_get(request.user, pk, action)
    except NotFound:
        raise Http404


def _task(request, pk) -> SupervisionTask:
    try:
        return selectors.task_get(request.user, pk)
    except NotFound:
        raise Http404


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _pk(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**62 else None


def _download(data: bytes, name: str, kind: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="application/pdf" if kind == "pdf" else DOCX)
    resp["Content-Disposition"] = f"{'inline' if kind == 'pdf' else 'attachment'}; filename*=UTF-8''{quote(name)}"
    return resp


# ---------------------------------------------------------------- 督办台账

COLUMNS = [
    Column("title", "督办事项", lambda i: i.title, sort="title", link=True),
    Column("number", "编号", lambda i: i.number, sort="number_serial"),
    Column("source", "来源", lambda i: i.get_source_display(), sort="source"),
    Column("lead", "主办单位", lambda i: i.lead_label),
    Column("leader", "责任领导", lambda i: i.responsible_leader.display_name),
    Column("deadline", "办结时限", lambda i: f"{i.deadline:%Y-%m-%d}" + ("（已延期）" if i.extended else ""), sort="deadline"),
    Column("status", "状态", lambda i: i.get_status_display(), sort="status"),
    Column("light", "亮灯", _light, sort="light"),
    Column("last_report", "最近报送", lambda i: f"{i.last_report_on:%Y-%m-%d}" if i.last_report_on else "", sort="last_report_on"),
]


@login_required
def ledger(request):
    if not has_perm(request.user, "supervision.view"):
        raise Http404
    listing = ListPage(request, selectors.items_for(request.user), COLUMNS, filterset_class=ItemFilter, default_sort=("-created_on", "-pk"))
    can_export = has_perm(request.user, "supervision.export")
    if listing.wants_export():
        if not can_export:
            raise DjangoPermissionDenied
        return listing.export("督办台账.xlsx")
    actions = [{"label": "新建督办事项", "url": reverse("supervision:create")}] if has_perm(request.user, "supervision.manage") else []
    actions.append({"label": "督办看板", "url": reverse("supervision:dashboard")})
    return render(request, "web/list_page.html", {"title": "督办台账", "listing": listing, "row_link": True, "actions": actions, "can_export": can_export})


TASK_COLUMNS = [
    Column("title", "督办事项", lambda t: t.item.title, link=True),
    Column("department", "承办单位", lambda t: t.label),
    Column("role", "承办方式", lambda t: t.get_role_display()),
    Column("deadline", "办结时限", lambda t: f"{t.item.deadline:%Y-%m-%d}", sort="item__deadline"),
    Column("status", "状态", lambda t: t.get_status_display(), sort="status"),
    Column("light", "亮灯", _light, sort="light"),
    Column("assignee", "承办人", lambda t: t.assignee.display_name if t.assignee else ""),
]


@login_required
def tasks(request):
    if not has_perm(request.user, "supervision.report"):
        raise Http404
    listing = ListPage(request, selectors.my_tasks(request.user), TASK_COLUMNS, filterset_class=TaskFilter, default_sort=("item__deadline", "pk"))
    if listing.wants_export():
        raise Http404
    return render(request, "web/list_page.html", {"title": "本单位督办任务", "listing": listing, "row_link": True, "actions": []})


# ---------------------------------------------------------------- create (also from a 收文)


@login_required
def create(request):
    if not has_perm(request.user, "supervision.manage"):
        raise Http404
    source_object = None
    initial: dict = {"cycle": "monthly"}
    ref = request.GET.get("source", "")
    if ref.startswith("incoming:"):
        from zhongshu.incoming.selectors import incoming_get, supervision_seed

        try:
            source_object = incoming_get(request.user, ref.split(":", 1)[1])
        except NotFound:
            raise Http404
        initial.update(supervision_seed(source_object))  # the 批示, the responsible leader, the 承办安排
    form = ItemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.supervision_item_create(actor=request.user, source_object=source_object, milestones=data.pop("milestones"), **data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已立项：{item.number}。请核对后交办。")
            return redirect(item.get_absolute_url())
    ctx = {"title": "新建督办事项", "form": form, "cancel_url": reverse("supervision:ledger"), "submit_label": "保存",
           "source_object": source_object}
    return render(request, "supervision/form.html", ctx)


# ---------------------------------------------------------------- item detail and office actions


@login_required
def detail(request, pk):
    item = _item(request, pk)
    record_access(actor=request.user, obj=item, kind="view")
    user = request.user
    office = selectors.items_for(user, "manage").filter(pk=item.pk).exists()
    all_tasks = list(item.tasks.select_related("department__organization", "assignee").order_by("status", "role", "id"))
    reports = list(item.reports.select_related("task__department__organization", "task__item", "submitted_by").exclude(status="open").order_by("-submitted_at")[:50])
    for r in reports:
        r.files = list(attachments_of(r))
    ctx = {
        "title": item.title, "item": item, "office": office, "tasks": all_tasks, "reports": reports,
        "open_slots": item.reports.filter(status__in=["open", "returned"]).select_related("task__department__organization", "task__item").order_by("due_date"),
        "milestones": list(item.milestones.all()), "extensions": list(item.extensions.select_related("requested_by", "decided_by")),
        "reminders": list(item.reminders.all()[:20]),
        "can_confirm": item.status == "verified" and item.responsible_leader_id == user.pk and has_perm(user, "supervision.confirm"),
        "departments": department_choices(user) if office else [],
        "today": timezone.localdate(),
        "source_url": _source_url(item, user),
        "my_tasks": [t for t in all_tasks if t.status != "reassigned" and (t.department_id in user.department_ids or t.assignee_id == user.pk)],
    }
    return render(request, "supervision/detail.html", ctx)


def _source_url(item: SupervisionItem, user) -> str:
    if item.source_type_id and item.source_type.model == "incomingdocument":
        from zhongshu.incoming.selectors import incoming_for

        if incoming_for(user).filter(pk=item.source_id).exists():
            return reverse("incoming:detail", args=[item.source_id])
    return ""


@login_required
@require_POST
def item_action(request, pk):
    item = _item(request, pk)
    u, p = request.user, request.POST
    op = p.get("op", "")
    try:
        if op == "assign":
            services.supervision_item_assign(actor=u, item=item, requirement=p.get("requirement", ""))
            msg = "已交办，承办单位已收到通知。"
        elif op == "task_add":
            dep = Department.objects.filter(pk=_pk(p.get("department")), is_active=True).first()
            services.supervision_task_add(actor=u, item=item, department=dep, requirement=p.get("requirement", ""))  # type: ignore[arg-type]
            msg = "已增加承办单位。"
        elif op == "reassign":
            task = item.tasks.filter(pk=_pk(p.get("task"))).first()
            if task is None:
                raise Http404
            dep = Department.objects.filter(pk=_pk(p.get("department")), is_active=True).first()
            services.supervision_task_reassign(actor=u, task=task, department=dep, requirement=p.get("requirement", ""))  # type: ignore[arg-type]
            msg = "已改派。"
        elif op in ("report_accept", "report_return"):
            report = item.reports.filter(pk=_pk(p.get("report"))).first()
            if report is None:
                raise Http404
            services.supervision_report_review(actor=u, report=report, accept=op == "report_accept", comment=p.get("comment", ""))
            msg = "已审核通过。" if op == "report_accept" else "已退回，承办单位将重新报送。"
        elif op in ("verify", "verify_return"):
            services.supervision_item_verify(actor=u, item=item, accept=op == "verify", comment=p.get("comment", ""))
            msg = "已核实，等待责任领导确认销号。" if op == "verify" else "已退回承办单位继续办理。"
        elif op == "confirm":
            services.supervision_item_confirm(actor=u, item=item)
            msg = "已确认，事项销号。"
        elif op in ("extension_approve", "extension_refuse"):
            ext = item.extensions.filter(pk=_pk(p.get("extension"))).first()
            if ext is None:
                raise Http404
            services.supervision_extension_decide(actor=u, extension=ext, approve=op == "extension_approve", note=p.get("note", ""))
            msg = "已审批延期申请。"
        elif op == "remind":
            task = item.tasks.filter(pk=_pk(p.get("task"))).first() if p.get("task") else None
            notice = services.supervision_reminder_issue(actor=u, item=item, task=task, text=p.get("text", ""))
            msg = f"已出具催办单 {notice.number}。"
        elif op == "milestone_add":
            services.supervision_milestone_add(actor=u, item=item, title=p.get("title", ""), due_date=_date(p.get("due_date")))  # type: ignore[arg-type]
            msg = "已增加分阶段目标。"
        elif op == "milestone_done":
            stage = item.milestones.filter(pk=_pk(p.get("milestone"))).first()
            if stage is None:
                raise Http404
            services.supervision_milestone_done(actor=u, milestone=stage)
            msg = "已标记完成。"
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, msg)
    return redirect(item.get_absolute_url())


# ---------------------------------------------------------------- task page (the department's side)


@login_required
def task_detail(request, pk):
    task = _task(request, pk)
    user = request.user
    member = task.department_id in user.department_ids or task.assignee_id == user.pk
    signer = member and SupervisionTaskPolicy.signs_for(user, task)  # the shared 承办单位 rule
    reports = list(task.reports.select_related("submitted_by").order_by("-due_date", "-id"))
    for r in reports:
        r.files = list(attachments_of(r)) if r.status != ProgressReport.Status.OPEN else []
    slot = next((r for r in sorted(reports, key=lambda r: (r.due_date or datetime.date.max, r.pk))
                 if r.kind == "progress" and r.status in ("open", "returned")), None)
    ctx = {
        "title": task.item.title, "task": task, "item": task.item, "reports": reports, "slot": slot,
        "member": member, "signer": signer, "today": timezone.localdate(),
        "people": User.objects.filter(memberships__department_id=task.department_id, is_active=True) if signer else [],
        "milestones": list(task.item.milestones.all()),
        "item_visible": selectors.items_for(user).filter(pk=task.item_id).exists(),
        "pending_extension": task.item.extensions.filter(status="pending").exists(),
    }
    return render(request, "supervision/task.html", ctx)


@login_required
@require_POST
def task_action(request, pk):
    task = _task(request, pk)
    u, p = request.user, request.POST
    op = p.get("op", "")
    upload = request.FILES.get("file")
    try:
        if op == "accept":
            services.supervision_task_accept(actor=u, task=task)
            msg = "已签收。"
        elif op == "dispute":
            services.supervision_task_dispute(actor=u, task=task, reason=p.get("reason", ""))
            msg = "已提出异议，等待办公室改派。"
        elif op == "hand_down":
            person = User.objects.filter(pk=_pk(p.get("assignee"))).first()
            services.supervision_task_hand_down(actor=u, task=task, assignee=person)  # type: ignore[arg-type]
            msg = "已转交。"
        elif op == "report":
            services.supervision_report_submit(actor=u, task=task, content=p.get("content", ""), upload=upload)
            msg = "进展已报送。"
        elif op == "complete":
            services.supervision_completion_request(actor=u, task=task, content=p.get("content", ""), upload=upload)
            msg = "已申请办结，等待办公室核实。"
        elif op == "extension":
            services.supervision_extension_request(actor=u, task=task, new_deadline=_date(p.get("new_deadline")),  # type: ignore[arg-type]
                                                   reason=p.get("reason", ""))
            msg = "延期申请已提交，等待办公室审批。"
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, msg)
    return redirect(task.get_absolute_url())


# ---------------------------------------------------------------- dashboard, 督办通报, 催办单


def _month(value) -> datetime.date | None:
    """“2026-03” (or a date in that month) → 2026-03-01."""
    value = (value or "").strip()
    try:
        return datetime.date.fromisoformat(value[:7] + "-01") if len(value) >= 7 else None
    except ValueError:
        return None


def _period(request) -> tuple[datetime.date, datetime.date]:
    """Whole months: 起始月份 to 截止月份 (default: this year to date)."""
    today = timezone.localdate()
    start = _month(request.GET.get("start")) or today.replace(month=1, day=1)
    end = _month(request.GET.get("end")) or today.replace(day=1)
    if end < start or (end - start).days > 3700:
        start, end = today.replace(month=1, day=1), today.replace(day=1)
    return start, end


@login_required
def dashboard(request):
    if not has_perm(request.user, "supervision.view"):
        raise Http404
    start, end = _period(request)
    stats = selectors.statistics(request.user, start, end)
    charts = {
        "sources": [{"name": s["label"], "value": s["total"]} for s in stats.by_source],
        "departments": {"names": [d["name"] for d in stats.by_department[:15]], "rates": [d["close_rate"] for d in stats.by_department[:15]]},
        "trend": {"months": [t["month"] for t in stats.trend], "new": [t["new"] for t in stats.trend], "closed": [t["closed"] for t in stats.trend]},
        "lights": stats.lights,
    }
    return render(request, "supervision/dashboard.html", {"title": "督办看板", "stats": stats, "charts": charts, "start": start, "end": end,
                                                           "can_export": has_perm(request.user, "supervision.export")})


@login_required
def bulletin(request):
    """督办通报 for the chosen period, as DOCX or PDF (official-document layout)."""
    from zhongshu.render import RenderError

    from . import rendering

    if not has_perm(request.user, "supervision.export"):
        raise Http404
    kind = request.GET.get("format", "docx")
    if kind not in ("docx", "pdf"):
        raise Http404
    start, end = _period(request)
    stats = selectors.statistics(request.user, start, end, overdue_limit=50)
    doc = rendering.bulletin_document(stats, request.user.organization)
    try:
        data = rendering.render_pdf(doc) if kind == "pdf" else rendering.render_docx(doc)
    except RenderError as exc:
        messages.error(request, f"排版失败：{exc}")
        return redirect(reverse("supervision:dashboard"))
    return _download(data, f"督办通报（{start:%Y年%-m月}-{end:%Y年%-m月}）.{kind}", kind)


@login_required
def reminder_file(request, pk, kind):
    from zhongshu.render import RenderError

    from . import rendering

    if kind not in ("pdf", "docx"):
        raise Http404
    try:
        notice = selectors.reminder_get(request.user, pk)
    except NotFound:
        raise Http404
    try:
        data = rendering.reminder_pdf(notice) if kind == "pdf" else rendering.reminder_docx(notice)
    except RenderError as exc:
        messages.error(request, f"排版失败：{exc}")
        return redirect(notice.item.get_absolute_url())
    record_access(actor=request.user, obj=notice.item, kind="download")
    return _download(data, f"催办单 {notice.number}.{kind}", kind)
