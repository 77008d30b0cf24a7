"""流程审批 pages: thin — parse input, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.web.forms import apply_errors
from zhongshu.web.lists import Column, ListPage

from . import forms as f
from . import selectors, services
from .filters import InstanceFilter
from .models import FlowInstance, StepAction, WorkItem, acting_ids
from .registry import business_type_label, subject_for
from .services import engine


def _local(value) -> str:
    """Lists are built in Python, so convert to Asia/Shanghai here (templates do it themselves)."""
    return date_filter(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _require_view(request) -> None:
    if not has_perm(request.user, "flow.view"):
        raise Http404


# The flow's 待办/待阅/已办 are the one inbox's (zhongshu/inbox): the old addresses redirect there with the filters
# both lists share (keyword, 时限, dates, page size); 业务类型 has no equivalent (the inbox filters by 类别).
INBOX_FOR = {"todo": "inbox:todo", "toread": "inbox:toread", "done": "inbox:done"}
KEPT_FILTERS = ("q", "urgency", "received_after", "received_before", "size", "export")


def _to_inbox(request, box: str):
    _require_view(request)
    query = QueryDict(mutable=True)
    for key in KEPT_FILTERS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    url = reverse(INBOX_FOR[box])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
def todo(request):
    return _to_inbox(request, "todo")


@login_required
def toread(request):
    return _to_inbox(request, "toread")


@login_required
def done(request):
    return _to_inbox(request, "done")


def _tabs() -> list[dict]:
    return [{"key": k, "label": v, "url": reverse(f"inbox:{k}"), "active": False}
            for k, v in (("todo", "待办"), ("toread", "待阅"), ("done", "已办"))] + [
        {"key": "started", "label": "我发起的", "url": reverse("flow:started"), "active": True}]


STARTED_COLUMNS = [
    Column("title", "标题", lambda i: i.title, sort="title", link=True),
    Column("type", "业务类型", lambda i: business_type_label(i.business_type)),
    Column("status", "状态", lambda i: i.get_status_display(), sort="status"),
    Column("step", "当前步骤", lambda i: i.current_step_name),
    Column("created_at", "发起时间", lambda i: _local(i.created_at), sort="created_at"),
]


@login_required
def started(request):
    _require_view(request)
    listing = ListPage(request, selectors.started_by(request.user), STARTED_COLUMNS, filterset_class=InstanceFilter,
                       default_sort="-created_at")
    if listing.wants_export():
        return listing.export("我发起的.xlsx")
    return render(request, "flow/started.html", {"title": "我发起的", "listing": listing, "row_link": True,
                                                 "can_export": True, "tabs": _tabs(),
                                               "start_url": reverse("flow:start")})


@login_required
@require_POST
def bulk_read(request):
    _require_view(request)
    n = services.work_items_circle_bulk(actor=request.user, items=request.POST.getlist("items"))
    messages.success(request, f"已圈阅 {n} 件。") if n else messages.info(request, "没有选中可圈阅的事项。")
    return redirect("inbox:toread")  # the one 待阅 posts here


# ---- item and instance pages ----------------------------------------------------------------------------
def _people(instance: FlowInstance, user):
    return engine.eligible(instance).exclude(pk=user.pk).select_related("position").order_by("position__rank", "id")


def _subject(request, instance: FlowInstance) -> dict:
    adapter = subject_for(instance.business_type)
    obj = engine.subject_of(instance)
    if adapter is None or obj is None:
        return {}
    url = adapter.url(obj)
    restrict = getattr(type(obj).objects, "restrict", None)
    if restrict is not None and not type(obj).objects.restrict(request.user).filter(pk=obj.pk).exists():
        url = ""
    return {"summary": adapter.summary(obj), "body": adapter.body(obj), "url": url, "label": adapter.label,
            "preview": adapter.preview_url(obj, request.user)}


def _extra_form(request, item: WorkItem, *, data=None, confirm: bool = False):
    """The adapter's fields inside the 办理 form (收文: 承办安排 and the leaders to send to), or None."""
    if item.kind != WorkItem.Kind.TODO or item.origin == WorkItem.Origin.INITIATOR:
        return None
    adapter = subject_for(item.instance.business_type)
    obj = engine.subject_of(item.instance)
    if adapter is None or obj is None:
        return None
    return adapter.item_form(obj, item, request.user, data=data, designates=engine.upcoming_subject_step(item.instance), confirm=confirm)


def _item_forms(request, item: WorkItem, bound: dict) -> dict:
    instance = item.instance
    can_act = item.status == WorkItem.Status.PENDING and item.assignee_id in acting_ids(request.user) and (
        item.kind == WorkItem.Kind.READ or instance.status == FlowInstance.Status.RUNNING)
    if not can_act:
        return {}
    if item.kind == WorkItem.Kind.READ:
        return {"read": True}
    if item.origin == WorkItem.Origin.INITIATOR:
        allowed = {StepAction.APPROVE, StepAction.TERMINATE}
    else:
        allowed = set(item.step.actions if item.step else [])
        if item.origin != WorkItem.Origin.NORMAL:
            allowed -= {StepAction.RETURN}
    people = _people(instance, request.user)
    out: dict = {"allowed": allowed}
    if StepAction.APPROVE in allowed or StepAction.CIRCLE in allowed:
        step, candidates = engine.upcoming_choice(instance) if item.origin in (WorkItem.Origin.NORMAL, WorkItem.Origin.INITIATOR) else (None, None)
        out["approve"] = bound.get("approve") or f.ApproveForm(candidates=candidates, next_step=step)
        out["extra"] = bound["extra"] if "extra" in bound else _extra_form(request, item)
        out["verb"] = item.step.verb if item.step is not None and item.origin == WorkItem.Origin.NORMAL else (
            "重新提交" if item.origin == WorkItem.Origin.INITIATOR else "同意并提交")
    if StepAction.RETURN in allowed:
        out["return"] = bound.get("return") or f.ReturnForm(targets=engine.return_targets(instance))
    if StepAction.TRANSFER in allowed:
        out["transfer"] = bound.get("transfer") or f.TransferForm(people=people)
    if StepAction.ADD_SIGN in allowed:
        out["add_sign"] = bound.get("add_sign") or f.AddSignForm(people=people)
    if StepAction.TERMINATE in allowed:
        out["terminate"] = bound.get("terminate") or f.ReasonForm()
    return out


def _item_or_404(request, pk) -> WorkItem:
    _require_view(request)
    try:
        return selectors.item_get(request.user, pk)
    except NotFound:
        raise Http404


def _render_item(request, item: WorkItem, bound: dict | None = None, status: int = 200):
    instance = item.instance
    ctx = {
        "title": instance.title, "item": item, "instance": instance, "subject": _subject(request, instance),
        "history": selectors.history_of(instance), "holders": selectors.open_items_of(instance),
        "forms": _item_forms(request, item, bound or {}), "urgency": item.urgency(*selectors.urgency_bounds(instance.organization_id)),
        "acting_for": item.assignee if item.assignee_id != request.user.pk else None,
        "signature_value": request.POST.get("signature", "") if request.method == "POST" else "",
        "signature_pad": request.user.uses_signature_pad,  # 个人设置 “手写签批”
    }
    return render(request, "flow/item.html", ctx, status=status)


@login_required
def item_detail(request, pk):
    return _render_item(request, _item_or_404(request, pk))


ITEM_FORMS = {"approve": f.ApproveForm, "circle": f.ApproveForm, "return": f.ReturnForm, "transfer": f.TransferForm,
              "add_sign": f.AddSignForm, "terminate": f.ReasonForm}


@login_required
@require_POST
def item_act(request, pk, action):
    item = _item_or_404(request, pk)
    if action == "read":
        return _run(request, item, lambda: services.work_item_read(actor=request.user, item=item, opinion=request.POST.get("opinion", "")),
                    "已阅。", "inbox:toread")
    if action not in ITEM_FORMS:
        raise Http404
    instance = item.instance
    kwargs: dict = {}
    if action in ("approve", "circle"):
        step, candidates = engine.upcoming_choice(instance)
        kwargs = {"candidates": candidates, "next_step": step}
    elif action == "return":
        kwargs = {"targets": engine.return_targets(instance)}
    elif action in ("transfer", "add_sign"):
        kwargs = {"people": _people(instance, request.user)}
    form = ITEM_FORMS[action](request.POST, **kwargs)
    key = "approve" if action == "circle" else action
    extra = _extra_form(request, item, data=request.POST, confirm="no_undertaking" in request.POST) if key == "approve" else None
    if not form.is_valid() or (extra is not None and not extra.is_valid()):
        return _render_item(request, item, {key: form, "extra": extra}, status=400)
    data = form.cleaned_data
    subject_data = dict(extra.cleaned_data) if extra is not None else {}
    signature = request.POST.get("signature", "")
    calls = {
        "approve": lambda: services.work_item_approve(actor=request.user, item=item, opinion=data["opinion"],
                                                      next_assignees=list(data.get("next_assignees") or []),
                                                      subject_data=subject_data, signature=signature),
        "circle": lambda: services.work_item_approve(actor=request.user, item=item, opinion=data["opinion"], circle=True,
                                                     next_assignees=list(data.get("next_assignees") or []),
                                                     subject_data=subject_data, signature=signature),
        "return": lambda: services.work_item_return(actor=request.user, item=item, reason=data["reason"], to_position=data["to_position"]),
        "transfer": lambda: services.work_item_transfer(actor=request.user, item=item, to=data["to"], opinion=data["opinion"]),
        "add_sign": lambda: services.work_item_add_signers(actor=request.user, item=item, signers=list(data["signers"]),
                                                           position=data["position"], opinion=data["opinion"]),
        "terminate": lambda: services.instance_terminate(actor=request.user, instance=instance, item=item, reason=data["reason"]),
    }
    done_messages = {"approve": "已提交。", "circle": "已圈阅。", "return": "已退回。", "transfer": "已转办。",
                     "add_sign": "已加签。", "terminate": "流程已终止。"}
    return _run(request, item, calls[action], done_messages[action], "inbox:todo", form=form, key=key, extra=extra)


def _run(request, item, call, ok: str, next_url: str, *, form=None, key: str = "", extra=None):
    try:
        call()
    except ServiceError as exc:
        if form is None or exc.status in (403, 404, 409):
            messages.error(request, exc.message)
            if exc.status == 404:
                raise Http404
            return redirect(item.get_absolute_url())
        if extra is not None:
            if "no_undertaking" in exc.fields and "no_undertaking" not in extra.fields:
                extra = _extra_form(request, item, data=request.POST, confirm=True)
                extra.is_valid()
            extra_fields = {k: v for k, v in exc.fields.items() if k in extra.fields}
            for name, msgs in extra_fields.items():
                for msg in msgs:
                    extra.add_error(name, msg)
            rest: dict[str, list[str] | str] = {k: v for k, v in exc.fields.items() if k not in extra.fields}
            if rest or not extra_fields:
                apply_errors(form, ServiceError(exc.message, fields=rest))
        else:
            apply_errors(form, exc)
        return _render_item(request, item, {key: form, "extra": extra}, status=400)
    messages.success(request, ok)
    return redirect(next_url)


def _instance_or_404(request, pk) -> FlowInstance:
    _require_view(request)
    try:
        return selectors.instance_get(request.user, pk)
    except NotFound:
        raise Http404


def _render_instance(request, instance: FlowInstance, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    running = instance.status == FlowInstance.Status.RUNNING
    office = has_perm(user, "flow.supervise") and user.organization_id == instance.organization_id
    is_initiator = instance.initiator_id == user.pk
    ctx = {
        "title": instance.title, "instance": instance, "subject": _subject(request, instance),
        "history": selectors.history_of(instance), "holders": selectors.open_items_of(instance),
        "my_item": selectors.my_open_item(user, instance),
        "can_withdraw": running and is_initiator, "can_chase": running and (is_initiator or office),
        "can_terminate": running and (is_initiator or office),
        "withdraw_form": bound.get("withdraw") or f.WithdrawForm(), "chase_form": bound.get("chase") or f.ChaseForm(),
        "terminate_form": bound.get("terminate") or f.ReasonForm(),
        "circulate_form": bound.get("circulate") or f.CirculateForm(people=_people(instance, user)),
    }
    return render(request, "flow/instance.html", ctx, status=status)


@login_required
def instance_detail(request, pk):
    return _render_instance(request, _instance_or_404(request, pk))


@login_required
@require_POST
def instance_act(request, pk, action):
    instance = _instance_or_404(request, pk)
    forms_by_action = {"withdraw": f.WithdrawForm, "chase": f.ChaseForm, "terminate": f.ReasonForm, "circulate": f.CirculateForm}
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action](request.POST, **({"people": _people(instance, request.user)} if action == "circulate" else {}))
    if not form.is_valid():
        return _render_instance(request, instance, {action: form}, status=400)
    d = form.cleaned_data
    calls = {
        "withdraw": lambda: services.instance_withdraw(actor=request.user, instance=instance, reason=d["reason"]),
        "chase": lambda: services.instance_chase(actor=request.user, instance=instance, message=d["message"]),
        "terminate": lambda: services.instance_terminate(actor=request.user, instance=instance, reason=d["reason"]),
        "circulate": lambda: services.instance_circulate(actor=request.user, instance=instance, recipients=list(d["recipients"]),
                                                         opinion=d["opinion"]),
    }
    try:
        calls[action]()
    except ServiceError as exc:
        if exc.status in (403, 404, 409):
            messages.error(request, exc.message)
            return redirect(instance.get_absolute_url())
        apply_errors(form, exc)
        return _render_instance(request, instance, {action: form}, status=400)
    messages.success(request, {"withdraw": "已撤回。", "chase": "已催办。", "terminate": "流程已终止。", "circulate": "已传阅。"}[action])
    return redirect(instance.get_absolute_url())


@login_required
def start(request):
    """发起审批: pick a business type and one of the actor's objects that may be submitted."""
    _require_view(request)
    from .registry import SUBJECTS

    types = [(k, s.label) for k, s in sorted(SUBJECTS.items())]
    business_type = request.GET.get("type") or request.POST.get("type") or (types[0][0] if types else "")
    adapter = subject_for(business_type)
    if adapter is None:
        raise Http404
    objects = list(adapter.startable(request.user)[:200])
    wanted = request.GET.get("object_id", "")
    form = f.StartForm(request.POST or None, objects=objects, initial={"object_id": wanted} if wanted.isdigit() else None)
    if request.method == "POST" and form.is_valid():
        obj = next(o for o in objects if o.pk == form.cleaned_data["object_id"])
        try:
            instance = services.flow_start(actor=request.user, subject=obj, opinion=form.cleaned_data["opinion"],
                                           chosen=list(form.cleaned_data.get("next_assignees") or []))
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已提交审批。")
            return redirect(instance.get_absolute_url())
    return render(request, "flow/start.html", {"title": "发起审批", "form": form, "types": types, "business_type": business_type,
                                               "empty": not objects})
