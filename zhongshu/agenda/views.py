"""我的日程: week and month pages, .ics export, the subscription link (secret token) for phone calendars."""

from __future__ import annotations

import calendar as pycal
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm

from . import services
from .registry import events_for

WEEKDAYS = "一二三四五六日"


def _day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())


@login_required
def calendar_page(request):
    if not has_perm(request.user, "agenda.view"):
        raise Http404
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _day(request.GET.get("day"))
    if view == "week":
        first = day - datetime.timedelta(days=day.weekday())
        dates = [first + datetime.timedelta(days=i) for i in range(7)]
        prev, nxt = first - datetime.timedelta(days=7), first + datetime.timedelta(days=7)
    else:
        first = day.replace(day=1)
        n = pycal.monthrange(first.year, first.month)[1]
        start = first - datetime.timedelta(days=first.weekday())
        last = first.replace(day=n)
        end = last + datetime.timedelta(days=6 - last.weekday())
        dates = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
        prev = (first - datetime.timedelta(days=1)).replace(day=1)
        nxt = last + datetime.timedelta(days=1)
    events = events_for(request.user, _at(dates[0]), _at(dates[-1] + datetime.timedelta(days=1)))
    days = []
    for d in dates:
        todays = [e for e in events if timezone.localtime(e.start).date() <= d <= timezone.localtime(e.end - datetime.timedelta(seconds=1)).date()]
        days.append({"date": d, "weekday": WEEKDAYS[d.weekday()], "events": todays, "today": d == timezone.localdate(),
                     "other_month": view == "month" and d.month != first.month})
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    ctx = {"title": "我的日程", "view": view, "weeks": weeks, "first": first, "prev": prev, "next": nxt,
           "has_token": services.has_token(request.user), "new_token": request.session.pop("agenda_token", None)}
    if ctx["new_token"]:
        ctx["feed_url"] = request.build_absolute_uri(f"/agenda/feed/{ctx['new_token']}.ics")
    return render(request, "agenda/calendar.html", ctx)


@login_required
def export_ics(request):
    if not has_perm(request.user, "agenda.view"):
        raise Http404
    text = services.feed_for(request.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="zhongshu.ics"'
    return response


@login_required
@require_POST
def subscription(request):
    if not has_perm(request.user, "agenda.view"):
        raise Http404
    try:
        token = services.token_create(actor=request.user)
    except Exception as exc:  # noqa: BLE001 — a ServiceError message
        messages.error(request, getattr(exc, "message", "无法生成订阅链接。"))
    else:
        request.session["agenda_token"] = token
        messages.success(request, "已生成新的订阅链接，旧链接已失效。链接只显示这一次，请妥善保管。")
    return redirect("agenda:calendar")


@login_required
@require_POST
def subscription_revoke(request):
    n = services.token_revoke(actor=request.user)
    messages.success(request, "订阅链接已作废。" if n else "没有有效的订阅链接。")
    return redirect("agenda:calendar")


def feed(request, token: str):
    """The subscription feed for phone calendars: no session, the secret token names the person."""
    user = services.token_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(services.feed_for(user, base_url=request.build_absolute_uri("/")), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
