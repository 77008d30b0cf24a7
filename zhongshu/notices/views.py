"""通知公告 pages: thin — parse input, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.attachments import attachment_add, attachments_of, check_upload
from zhongshu.core.errors import NotFound, ServiceError
from zhongshu.web.forms import act, apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import selectors, services
from .filters import NoticeFilter
from .forms import NoticeForm
from .models import Notice
from .policy import NoticePolicy


def _get(request, pk, action="view") -> Notice:
    try:
        return selectors.notice_get(request.user, pk, action)
    except NotFound:
        raise Http404


COLUMNS = [
    Column("title", "标题", lambda n: n.title, sort="title", link=True),
    Column("classification", "密级", lambda n: n.classification_label, sort="classification"),
    Column("department", "发布部门", lambda n: n.department or ""),
    Column("author", "起草人", lambda n: n.author.display_name),
    Column("status", "状态", lambda n: n.get_status_display(), sort="status"),
    Column("published_at", "发布时间", lambda n: local(n.published_at, "Y-m-d H:i") if n.published_at else "", sort="published_at"),
    Column("read", "阅读", lambda n: "已读" if n.is_read else "未读"),
]


@login_required
def notice_list(request):
    if not has_perm(request.user, "notices.view"):
        raise Http404
    listing = ListPage(request, selectors.notices_for(request.user), COLUMNS, filterset_class=NoticeFilter, default_sort="-published_at")
    can_export = has_perm(request.user, "notices.export")
    if listing.wants_export():
        if not can_export:
            raise DjangoPermissionDenied
        return listing.export("通知公告.xlsx")
    actions = [{"label": "起草通知", "url": reverse("notices:create")}] if has_perm(request.user, "notices.add") else []
    return render(request, "web/list_page.html", {"title": "通知公告", "listing": listing, "row_link": True, "actions": actions, "can_export": can_export})


@login_required
def notice_detail(request, pk):
    notice = _get(request, pk)
    record_access(actor=request.user, obj=notice, kind="view")
    if notice.status == Notice.Status.PUBLISHED:
        services.notice_mark_read(user=request.user, notice=notice)
    from zhongshu.core.locks import edit_lock

    ctx = {
        "title": notice.title,
        "notice": notice,
        "attachments": attachments_of(notice),
        "actions": NoticePolicy.allowed_actions(request.user, notice),
        "locked": edit_lock(notice),
        "read_count": notice.reads.count(),
    }
    return render(request, "notices/detail.html", ctx)


def _form_values(form: NoticeForm) -> dict:
    return dict(form.cleaned_data)


@login_required
def notice_create(request):
    if not has_perm(request.user, "notices.add"):
        raise Http404
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        try:
            if upload:
                check_upload(upload)  # a bad file is refused before the draft is saved (no duplicate on retry)
            with transaction.atomic():
                notice = services.notice_create(actor=request.user, **_form_values(form))
                if upload:
                    attachment_add(actor=request.user, obj=notice, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。")
            return redirect(notice.get_absolute_url())
    return render(request, "notices/form.html", {"title": "起草通知", "form": form, "cancel_url": reverse("notices:list")})


@login_required
def notice_edit(request, pk):
    notice = _get(request, pk)
    if not NoticePolicy.can(request.user, notice, "edit"):
        raise Http404
    initial = {
        "title": notice.title, "body": notice.body, "classification": notice.classification, "secrecy_period": notice.secrecy_period,
        "scope": notice.scope, "recipient_departments": notice.recipient_departments.all(),
        "recipient_users": notice.recipient_users.all(), "pinned": notice.pinned,
    }
    form = NoticeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        try:
            if upload:
                check_upload(upload)
            with transaction.atomic():
                services.notice_update(actor=request.user, notice=notice, **_form_values(form))
                if upload:
                    attachment_add(actor=request.user, obj=notice, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(notice.get_absolute_url())
    return render(request, "notices/form.html", {"title": "修改通知", "form": form, "cancel_url": notice.get_absolute_url()})


@login_required
@require_POST
def notice_publish(request, pk):
    return act(request, _get(request, pk), lambda n: services.notice_publish(actor=request.user, notice=n),
               "已发布，已通知知悉范围内的人员。")


@login_required
@require_POST
def notice_withdraw(request, pk):
    return act(request, _get(request, pk), lambda n: services.notice_withdraw(
        actor=request.user, notice=n, reason=request.POST.get("reason", "")), "已撤回。")
