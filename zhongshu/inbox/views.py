"""The one 待办 / 待阅 / 已办: every module's tasks in one list with the same columns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html

from zhongshu.access.permissions import has_perm
from zhongshu.web.lists import Column, ListPage, local

from . import selectors
from .filters import TaskFilter
from .models import Task

URGENCY_LABELS = {"red": "已超期", "yellow": "临近到期", "green": "未到期"}


def _require(request) -> None:
    if not has_perm(request.user, "flow.view"):
        raise Http404


def _dot(task: Task, bounds) -> str:
    level = task.urgency(*bounds)
    if not level:
        return ""
    return format_html('<span class="dot {}" title="{}"></span>{}{}', level, URGENCY_LABELS[level], date_filter(task.deadline, "n月j日"),
                       "（暂定）" if task.deadline_provisional else "")


def _columns(box: str, bounds, user) -> list[Column]:
    cols = [
        Column("title", "标题", lambda t: t.title, sort="title", link=True),
        Column("kind", "类别", lambda t: t.kind_label, sort="kind"),
        Column("action", "事项", lambda t: t.action),
        Column("origin", "来自", lambda t: t.origin),
    ]
    if box == "done":
        cols += [Column("done_at", "办理时间", lambda t: local(t.done_at), sort="done_at")]
        return cols
    cols.append(Column("since", "收到时间", lambda t: local(t.since), sort="since"))
    if box == "todo":
        cols.append(Column("deadline", "办理时限", lambda t: _dot(t, bounds), sort="deadline", deadline=True))
    cols.append(Column("for", "办理人", lambda t: "" if t.assignee_id == user.pk else f"代{t.assignee.display_name}"))
    return cols


def _tabs(current: str) -> list[dict]:
    return [{"key": k, "label": v, "url": reverse(f"inbox:{k}"), "active": k == current}
            for k, v in (("todo", "待办"), ("toread", "待阅"), ("done", "已办"))] + [
        {"key": "started", "label": "我发起的", "url": reverse("flow:started"), "active": False}]


BOXES = {
    "todo": ("待办", selectors.todo_for, "-since"),
    "toread": ("待阅", selectors.toread_for, "-since"),
    "done": ("已办", selectors.done_for, "-done_at"),
}


def _box(request, box: str):
    _require(request)
    title, selector, default_sort = BOXES[box]
    bounds = selectors.urgency_bounds(request.user.organization_id)
    listing = ListPage(request, selector(request.user), _columns(box, bounds, request.user), filterset_class=TaskFilter,
                       default_sort=default_sort)
    if listing.wants_export():
        return listing.export(f"{title}.xlsx")
    ctx = {"title": title, "box": box, "listing": listing, "tabs": _tabs(box), "can_export": True}
    if box == "done":
        page = Paginator(selectors.actions_of(request.user).order_by("-seq"), 20).get_page(request.GET.get("rpage"))
        ctx["records"] = selectors.describe(request.user, list(page.object_list))
        ctx["records_page"] = page
    return render(request, "inbox/inbox.html", ctx)


@login_required
def todo(request):
    return _box(request, "todo")


@login_required
def toread(request):
    return _box(request, "toread")


@login_required
def done(request):
    return _box(request, "done")
