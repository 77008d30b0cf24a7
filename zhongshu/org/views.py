"""Organization admin screens: organizations, departments, people, address book, delegation, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.core.excel import XLSX
from zhongshu.web.forms import apply_errors
from zhongshu.web.lists import Column, ListPage

from . import importing, selectors, services
from .filters import PersonFilter
from .forms import (
    ClearanceForm,
    DelegationForm,
    DepartmentForm,
    ExternalOrganForm,
    ImportForm,
    OrganizationForm,
    PersonForm,
    PositionForm,
)
from .models import Delegation, Department, ExternalOrgan, Organization, User


def _need(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise Http404


# ---- organizations ---------------------------------------------------------------------------
@login_required
def organization_list(request):
    _need(request, "org.manage")
    orgs = Organization.objects.all()
    return render(request, "org/organizations.html", {"title": "机关单位", "orgs": orgs})


@login_required
def organization_edit(request, pk=None):
    _need(request, "org.manage")
    org = get_object_or_404(Organization, pk=pk) if pk else None
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "short_name", "doc_prefix", "fonds_code", "order")}
        try:
            if org is None:
                org = services.organization_create(actor=request.user, code=form.cleaned_data["code"], **data)
            else:
                data["principal"] = form.cleaned_data.get("principal")
                services.organization_update(actor=request.user, organization=Organization.objects.get(pk=org.pk), **data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("org:departments", org_pk=org.pk)
    return render(request, "web/form_page.html", {"title": "修改机关单位" if org else "新建机关单位", "form": form, "cancel_url": reverse("org:organizations")})


@login_required
def positions(request, org_pk):
    _need(request, "org.manage")
    org = get_object_or_404(Organization, pk=org_pk)
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_create(actor=request.user, organization=org, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已新增职务。")
            return redirect("org:positions", org_pk=org.pk)
    items = org.positions.all()
    return render(request, "org/positions.html", {"title": f"{org.short_name} · 职务", "org": org, "form": form, "items": items})


# ---- departments -----------------------------------------------------------------------------
def _tree(departments: list[Department]) -> list[dict]:
    children: dict[int | None, list[Department]] = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d)

    def build(parent_id):
        return [{"dept": d, "children": build(d.pk)} for d in children.get(parent_id, [])]

    return build(None)


@login_required
def departments(request, org_pk=None):
    if org_pk is None:
        org_pk = request.user.organization_id
    org = get_object_or_404(Organization, pk=org_pk)
    depts = list(selectors.departments_visible_to(request.user).filter(organization=org))
    if not depts and not has_perm(request.user, "org.manage"):
        raise Http404
    from django.db.models import Count

    counts = dict(
        Department.objects.filter(pk__in=[d.pk for d in depts]).annotate(n=Count("memberships")).values_list("pk", "n")
    )
    for d in depts:
        d.member_count = counts.get(d.pk, 0)
    return render(
        request,
        "org/departments.html",
        {"title": f"{org.short_name} · 内设机构", "org": org, "tree": _tree(depts), "can_manage": has_perm(request.user, "org.manage")},
    )


@login_required
def department_edit(request, org_pk, pk=None):
    _need(request, "org.manage")
    org = get_object_or_404(Organization, pk=org_pk)
    dept = get_object_or_404(Department, pk=pk, organization=org) if pk else None
    initial = {}
    if dept:
        initial = {f: getattr(dept, f) for f in ("name", "code", "parent", "head", "leader_in_charge", "order")}
    form = DepartmentForm(request.POST or None, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if dept is None:
                services.department_create(actor=request.user, organization=org, **form.cleaned_data)
            else:
                services.department_update(actor=request.user, department=dept, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("org:departments", org_pk=org.pk)
    return render(request, "web/form_page.html", {"title": f"{org.short_name} · {'修改' if dept else '新建'}内设机构", "form": form, "cancel_url": reverse("org:departments", args=[org.pk])})


# ---- people ----------------------------------------------------------------------------------
PEOPLE_COLUMNS = [
    Column("real_name", "姓名", lambda u: u.display_name, sort="real_name", link=True),
    Column("username", "登录名", lambda u: u.username, sort="username"),
    Column("organization", "机关", lambda u: u.organization.short_name if u.organization else ""),
    Column("department", "部门", lambda u: "、".join(m.department.name for m in u.memberships.all())),
    Column("position", "职务", lambda u: u.position or "", sort="position__rank"),
    Column("roles", "角色", lambda u: u.roles_display()),
    Column("phone", "电话", lambda u: u.phone),
    Column("active", "状态", lambda u: "启用" if u.is_active else "停用", sort="is_active"),
]


def _sees_clearance(user) -> bool:
    return has_perm(user, "security.manage") or has_perm(user, "org.manage")


@login_required
def people(request):
    if not (has_perm(request.user, "org.view_people") or has_perm(request.user, "org.view_directory")):
        raise Http404
    qs = selectors.people_visible_to(request.user).prefetch_related("role_assignments")
    columns = list(PEOPLE_COLUMNS)
    if _sees_clearance(request.user):  # who is a 涉密人员 is itself need-to-know information
        columns.insert(6, Column("clearance", "涉密类别", lambda u: u.get_clearance_display(), sort="clearance"))
    listing = ListPage(request, qs, columns, filterset_class=PersonFilter, default_sort=("organization__order", "position__rank", "pk"))
    can_export = has_perm(request.user, "org.export")
    if listing.wants_export():
        if not can_export:
            raise Http404
        return listing.export("人员名册.xlsx")
    actions = []
    if has_perm(request.user, "org.manage"):
        actions = [{"label": "新建人员", "url": reverse("org:person_create")}, {"label": "Excel 导入", "url": reverse("org:import")}]
    return render(request, "org/people.html", {"title": "人员", "listing": listing, "row_link": True, "actions": actions, "can_export": can_export})


@login_required
def person_detail(request, pk):
    person = selectors.people_visible_to(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    ctx = {
        "title": person.display_name,
        "person": person,
        "can_manage": has_perm(request.user, "org.manage"),
        "can_clear": has_perm(request.user, "security.manage"),
        "sees_clearance": _sees_clearance(request.user),
        "clearance_form": ClearanceForm(initial={"clearance": person.clearance}),
        "delegations": Delegation.objects.filter(delegator=person).select_related("delegate")[:10],
    }
    if ctx["can_manage"]:
        ctx["tokens"] = person.api_tokens.all()
    if ctx["can_manage"] or ctx["can_clear"]:
        ctx["activations"] = person.activations.select_related("requested_by", "decided_by")[:5]
    return render(request, "org/person.html", ctx)


@login_required
def person_edit(request, pk=None):
    _need(request, "org.manage")
    person = get_object_or_404(User, pk=pk) if pk else None
    org_pk = request.GET.get("org") or (person.organization_id if person else request.user.organization_id)
    org = get_object_or_404(Organization, pk=org_pk)
    initial = {}
    if person:
        initial = {
            "username": person.username, "real_name": person.real_name, "department": person.primary_department,
            "position": person.position, "roles": sorted(person.role_set - {person.admin_role}), "phone": person.phone,
            "email": person.email, "is_active": person.is_active,
        }
    form = PersonForm(request.POST or None, organization=org, editing=bool(person), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if person is None:
                with transaction.atomic():
                    person = services.user_create(
                        actor=request.user, organization=org, username=d["username"], real_name=d["real_name"], department=d["department"],
                        position=d["position"], roles=d["roles"], phone=d["phone"], email=d["email"],
                    )
                    activation = services.user_reset_password(actor=request.user, user=person, reason="新建账号")
                messages.success(request, f"已创建账号 {person.username}。{_activation_message(activation)}")
            else:
                services.user_update(
                    actor=request.user, user=person, department=d["department"], real_name=d["real_name"], position=d["position"],
                    phone=d["phone"], email=d["email"], is_active=d.get("is_active", True),
                )
                services.user_set_roles(actor=request.user, user=person, roles=d["roles"])
                messages.success(request, "已保存。")
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            return redirect("org:person", pk=person.pk)
    return render(request, "web/form_page.html", {"title": "修改人员" if person else f"新建人员（{org.short_name}）", "form": form, "cancel_url": reverse("org:people")})


@login_required
@require_POST
def person_reset_password(request, pk):
    _need(request, "org.manage")
    person = get_object_or_404(User, pk=pk)
    try:
        activation = services.user_reset_password(actor=request.user, user=person, reason=request.POST.get("reason", "") or "重置密码")
        messages.success(request, f"已申请重置 {person.display_name} 的密码，原密码即刻失效。{_activation_message(activation)}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("org:person", pk=pk)


def _activation_message(activation) -> str:
    """What happens next with an activation — never the code, which the administrator does not get."""
    where = f"本人电子邮箱（{activation.email}）" if activation.delivery == "email" else "密码信封（两联，分别由系统管理员和安全保密管理员打印）"
    if activation.status == "requested":
        return f"激活码待安全保密管理员审批后经{where}交给本人。"
    if activation.delivery == "email":
        return f"激活码已通过{where}发给本人。"
    return f"激活码经{where}交给本人，请在“密码重置与激活”中打印第一联。"


@login_required
@require_POST
def person_token_revoke(request, pk, token_pk):
    """系统管理员吊销某人的 API 令牌."""
    from zhongshu.accounts.models import ApiToken
    from zhongshu.accounts.services import token_revoke

    _need(request, "org.manage")
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_pk, user_id=pk)
    try:
        token_revoke(actor=request.user, token=token)
        messages.success(request, f"已吊销令牌“{token.name}”。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("org:person", pk=pk)


# ---- password resets and activations (三员: requested by the system administrator, approved by the security one)
@login_required
def resets(request):
    from zhongshu.accounts.models import PasswordActivation

    if not (has_perm(request.user, "org.manage") or has_perm(request.user, "security.manage")):
        raise Http404
    rows = PasswordActivation.objects.select_related("user", "requested_by", "decided_by", "part_a_printed_by", "part_b_printed_by")
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(status__in=[PasswordActivation.Status.REQUESTED, PasswordActivation.Status.ISSUED])
    ctx = {
        "title": "密码重置与激活", "rows": rows[:200], "show": show,
        "can_approve": has_perm(request.user, "security.manage"), "can_request": has_perm(request.user, "org.manage"),
        "part": "第一联" if has_perm(request.user, "org.manage") else "第二联",
    }
    return render(request, "org/resets.html", ctx)


def _reset_action(request, pk, fn, success):
    from zhongshu.accounts.services import activation_for

    try:
        act = activation_for(request.user, pk)
        fn(act)
        messages.success(request, success)
    except NotFound:
        raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("org:resets")


@login_required
@require_POST
def reset_approve(request, pk):
    from zhongshu.accounts.services import activation_approve

    return _reset_action(request, pk, lambda a: activation_approve(actor=request.user, activation=a), "已批准。")


@login_required
@require_POST
def reset_reject(request, pk):
    from zhongshu.accounts.services import activation_reject

    return _reset_action(
        request, pk, lambda a: activation_reject(actor=request.user, activation=a, reason=request.POST.get("reason", "")), "已驳回。"
    )


@login_required
@require_POST
def reset_handover(request, pk):
    from zhongshu.accounts.services import activation_handover

    return _reset_action(
        request, pk, lambda a: activation_handover(actor=request.user, activation=a, handed_over_by=request.POST.get("handed_over_by", "")),
        "已登记密码信封交付。",
    )


@login_required
@require_POST
def reset_envelope(request, pk):
    """The printable envelope half, shown once: the code is made here and only its hash is kept."""
    from zhongshu.accounts.services import activation_envelope, activation_for

    try:
        act = activation_for(request.user, pk)
        half = activation_envelope(actor=request.user, activation=act)
    except NotFound:
        raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("org:resets")
    part = "第一联" if act.part_a_printed_by_id == request.user.pk else "第二联"
    response = render(request, "org/envelope.html", {"title": "密码信封", "act": act, "half": half, "part": part})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def person_clearance(request, pk):
    _need(request, "security.manage")
    person = get_object_or_404(User, pk=pk)
    form = ClearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择涉密人员类别并填写调整事由。")
    else:
        try:
            services.user_set_clearance(actor=request.user, user=person, **form.cleaned_data)
            messages.success(request, "已调整涉密人员类别。")
        except ServiceError as exc:
            messages.error(request, exc.message)
    return redirect("org:person", pk=pk)


# ---- address book ----------------------------------------------------------------------------
ORGAN_COLUMNS = [
    Column("name", "机关全称", lambda o: o.name, sort="name"),
    Column("short_name", "简称", lambda o: o.short_name),
    Column("doc_prefix", "机关代字", lambda o: o.doc_prefix, sort="doc_prefix"),
    Column("relation", "行文关系", lambda o: o.get_relation_display(), sort="relation"),
    Column("platform", "平台内", lambda o: "是" if o.platform_organization_id else ""),
    Column("contact", "联系人", lambda o: o.contact),
    Column("phone", "电话", lambda o: o.phone),
]


@login_required
def address_book(request):
    qs = selectors.external_organs_visible_to(request.user)
    listing = ListPage(request, qs, ORGAN_COLUMNS, default_sort="order")
    can_edit = has_perm(request.user, "org.manage") or has_perm(request.user, "notices.manage")
    if listing.wants_export():
        return listing.export("通讯录.xlsx")
    actions = [{"label": "新增外单位", "url": reverse("org:organ_create")}] if can_edit else []
    return render(request, "web/list_page.html", {"title": "通讯录（外单位）", "listing": listing, "actions": actions, "can_export": True,
                                                  "row_link": can_edit})


@login_required
def organ_edit(request, pk=None):
    if not (has_perm(request.user, "org.manage") or has_perm(request.user, "notices.manage")):
        raise Http404
    organ = get_object_or_404(selectors.external_organs_visible_to(request.user), pk=pk) if pk else None
    form = ExternalOrganForm(request.POST or None, instance=organ)
    if request.method == "POST" and form.is_valid():
        try:
            org = organ.organization if organ else request.user.organization
            services.external_organ_save(actor=request.user, organization=org, organ=ExternalOrgan.objects.get(pk=organ.pk) if organ else None, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("org:address_book")
    return render(request, "web/form_page.html", {"title": "外单位", "form": form, "cancel_url": reverse("org:address_book")})


# ---- delegation ------------------------------------------------------------------------------
@login_required
def delegations(request):
    may_choose = has_perm(request.user, "org.manage_delegation")
    form = DelegationForm(request.POST or None, user=request.user, may_choose_delegator=may_choose)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "委托已设置。")
            return redirect("org:delegations")
    items = selectors.delegations_visible_to(request.user)[:100]
    principals = selectors.principals_of(request.user)
    return render(request, "org/delegations.html", {"title": "委托办理", "form": form, "items": items, "principals": principals})


@login_required
@require_POST
def delegation_revoke(request, pk):
    d = get_object_or_404(selectors.delegations_visible_to(request.user), pk=pk)
    try:
        services.delegation_revoke(actor=request.user, delegation=d)
        messages.success(request, "委托已撤销。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("org:delegations")


# ---- import ----------------------------------------------------------------------------------
@login_required
def import_template(request):
    _need(request, "org.manage")
    resp = HttpResponse(importing.template_bytes(), content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''%E9%83%A8%E9%97%A8%E4%BA%BA%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    return resp


@login_required
def import_view(request):
    _need(request, "org.manage")
    orgs = Organization.objects.all()
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    org = None
    if request.method == "POST":
        org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
        if org is None:
            form.add_error(None, "请选择导入到哪个机关。")
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > 5 * 1024 * 1024:
                form.add_error("file", "文件不能超过 5 MB。")
            else:
                result = importing.import_workbook(actor=request.user, organization=org, data=upload.read())
    return render(request, "org/import.html", {"title": "导入部门和人员", "form": form, "orgs": orgs, "result": result, "org": org})
