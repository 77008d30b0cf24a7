"""流程定义 administration pages (系统管理员, 办公室主任): versions, steps as rows, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.org.models import Organization
from zhongshu.web.forms import apply_errors
from zhongshu.web.lists import Column, ListPage

from . import forms as f
from . import selectors
from .registry import business_type_label
from .services import definitions as svc


def _local(value) -> str:
    return date_filter(timezone.localtime(value), "Y-m-d H:i") if value else ""


COLUMNS = [
    Column("name", "流程名称", lambda d: d.name, sort="name", link=True),
    Column("organization", "机关", lambda d: d.organization.short_name),
    Column("type", "业务类型", lambda d: business_type_label(d.business_type), sort="business_type"),
    Column("version", "版本", lambda d: d.version, sort="version"),
    Column("status", "状态", lambda d: d.get_status_display(), sort="status"),
    Column("steps", "步骤数", lambda d: d.step_count),
    Column("published_at", "启用时间", lambda d: _local(d.published_at)),
]


def _require(request) -> None:
    if not has_perm(request.user, "flow.manage"):
        raise Http404


def _get(request, pk):
    _require(request)
    try:
        return selectors.definition_get(request.user, pk)
    except NotFound:
        raise Http404


@login_required
def definition_list(request):
    _require(request)
    listing = ListPage(request, selectors.definitions_for(request.user), COLUMNS, default_sort="organization__order")
    return render(request, "web/list_page.html", {"title": "流程定义", "listing": listing, "row_link": True,
                                                  "actions": [{"label": "新建流程", "url": reverse("flow:definition_create")}]})


def _organizations(user):
    if has_perm(user, "org.manage"):
        return Organization.objects.filter(is_active=True)
    return Organization.objects.filter(pk=user.organization_id)


@login_required
def definition_create(request):
    _require(request)
    orgs = _organizations(request.user)
    form = f.DefinitionForm(request.POST or None, organizations=orgs, initial={"organization": request.user.organization_id})
    if request.method == "POST" and form.is_valid():
        try:
            d = svc.definition_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已新建草稿版本，请编辑步骤后启用。")
            return redirect("flow:definition_steps", pk=d.pk)
    return render(request, "web/form_page.html", {"title": "新建流程", "form": form, "cancel_url": reverse("flow:definitions")})


@login_required
def definition_detail(request, pk):
    d = _get(request, pk)
    steps = d.steps.prefetch_related("users").select_related("department")
    versions = selectors.definitions_for(request.user).filter(organization_id=d.organization_id, business_type=d.business_type)
    return render(request, "flow/definition.html", {"title": str(d), "definition": d, "steps": steps, "versions": versions,
                                                     "type_label": business_type_label(d.business_type)})


@login_required
@require_POST
def definition_publish(request, pk):
    d = _get(request, pk)
    try:
        svc.definition_publish(actor=request.user, definition=d)
        messages.success(request, f"第 {d.version} 版已启用；进行中的流程仍按原版本办理。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(d.get_absolute_url())


@login_required
@require_POST
def definition_new_version(request, pk):
    d = _get(request, pk)
    try:
        new = svc.definition_new_version(actor=request.user, definition=d)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(d.get_absolute_url())
    messages.success(request, f"已生成第 {new.version} 版草稿。")
    return redirect("flow:definition_steps", pk=new.pk)


def _initial(d) -> list[dict]:
    return [
        {"name": s.name, "kind": s.kind, "completion": s.completion, "completion_n": s.completion_n, "assignee_rule": s.assignee_rule,
         "users": list(s.users.all()), "role": s.role, "department": s.department, "condition_fact": s.condition_fact,
         "condition_op": s.condition_op, "condition_value": s.condition_value, "deadline_days": s.deadline_days, "actions": s.actions}
        for s in d.steps.prefetch_related("users").select_related("department")
    ]


@login_required
def definition_steps(request, pk):
    d = _get(request, pk)
    if d.status != d.Status.DRAFT:
        messages.error(request, "只能编辑草稿版本；请先生成新版本。")
        return redirect(d.get_absolute_url())
    kw = {"form_kwargs": {"organization_id": d.organization_id}, "prefix": "steps"}
    meta = f.DefinitionMetaForm(request.POST or None, initial={"name": d.name, "description": d.description})
    formset = f.StepFormSet(request.POST, **kw) if request.method == "POST" else f.StepFormSet(initial=_initial(d), **kw)
    if request.method == "POST" and meta.is_valid() and formset.is_valid():
        rows, index = [], []
        for i, form in enumerate(formset.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
            index.append(i)
        try:
            svc.definition_save_steps(actor=request.user, definition=d, steps=rows, **meta.cleaned_data)
        except ServiceError as exc:
            placed = False
            for key, msgs in exc.fields.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[0] == "steps" and int(parts[1]) < len(index):
                    form = formset.forms[index[int(parts[1])]]
                    for m in msgs:
                        form.add_error(parts[2] if parts[2] in form.fields else None, m)
                    placed = True
            if not placed:
                meta.add_error(None, exc.message)
        else:
            messages.success(request, "步骤已保存。")
            return redirect(d.get_absolute_url())
    return render(request, "flow/steps.html", {"title": f"编辑步骤：{d}", "definition": d, "meta": meta, "formset": formset})
