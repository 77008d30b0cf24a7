"""收文 pages after 签收: 初审, 承办安排, 承办 (交办, 答复, 延期), 办结, 传阅 actions, 我的收文事项 and the statistics.

Every action is a POST to a thin view that calls one service and returns to the document (web.forms.act)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.org import units
from zhongshu.org.models import User
from zhongshu.web.forms import act

from . import selectors, services
from .forms import unit_from_value
from .models import CirculationSlot, ExtensionRequest, Undertaking
from .views import _get


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _undertaking(request, pk, upk) -> tuple:
    doc = _get(request, pk)
    try:
        # restrict(): another organization reaches its own part only
        return doc, Undertaking.objects.restrict(request.user).select_related("department__head", "organization", "external").get(document=doc, pk=_int(upk))
    except Undertaking.DoesNotExist:
        raise Http404


def _person(doc, value) -> User | None:
    return User.objects.filter(organization_id=doc.organization_id, pk=_int(value)).first() if _int(value) else None


@login_required
@require_POST
def review(request, pk):
    doc = _get(request, pk)
    passed = {key: request.POST.get(f"check_{key}") == "on" for key, _label in services.REVIEW_CHECKS}
    return act(request, doc, lambda d: services.incoming_review(actor=request.user, document=d, passed=passed,
                                                                kind=request.POST.get("kind", ""), note=request.POST.get("note", "")),
               lambda d: "初审未通过，已退文。" if d.status == "returned" else ("初审通过（办件），可送拟办。" if d.kind == "handle" else "初审通过（阅件），可传阅。"))


@login_required
@require_POST
def plan(request, pk):
    doc = _get(request, pk)
    deadline = _date(request.POST.get("deadline", ""))
    days = _int(request.POST.get("workdays"))
    if deadline is None and days and 0 < days <= 250:
        from zhongshu.workdays.calendar import add_workdays

        deadline = add_workdays(timezone.localdate(), days, organization_id=doc.organization_id)
    # Values are "d:<id>" (a department of this organization) or "o:<id>" (another organization on the platform).
    co = [u for u in (unit_from_value(doc, v) for v in request.POST.getlist("co_departments")) if u is not None]
    return act(request, doc, lambda d: services.incoming_plan(actor=request.user, document=d, lead_department=unit_from_value(doc, request.POST.get("lead_department")),
                                                              co_departments=co, deadline=deadline), "已安排承办，批示完毕后交承办单位办理。")


@login_required
@require_POST
def accept(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    return act(request, doc, lambda d: services.undertaking_accept(actor=request.user, undertaking=u), "已签收。")


@login_required
@require_POST
def hand_to(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    person = units.members(department=u.department, organization=u.organization).filter(pk=_int(request.POST.get("assignee")) or 0).first()
    if person is None:
        from django.contrib import messages
        from django.shortcuts import redirect

        messages.error(request, "请选择本单位的承办人。")
        return redirect(doc.get_absolute_url())
    return act(request, doc, lambda d: services.undertaking_hand_to(actor=request.user, undertaking=u, assignee=person),
               f"已交{person.display_name}办理。")


@login_required
@require_POST
def reply(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    files = request.FILES.getlist("files")
    return act(request, doc, lambda d: services.undertaking_reply(actor=request.user, undertaking=u, reply=request.POST.get("reply", ""), files=files),
               "已答复，办公室将审核办结。")


@login_required
@require_POST
def record_paper(request, pk, upk):
    """登记外单位纸质办理: the office records, for an outside organ not on the platform, the paper delivery and its answer."""
    doc, u = _undertaking(request, pk, upk)
    result = request.POST.get("result", "")
    return act(request, doc, lambda d: services.undertaking_record_paper(
        actor=request.user, undertaking=u, sent_on=_date(request.POST.get("sent_on", "")),
        reply_on=_date(request.POST.get("reply_on", "")), result=result),
        "已登记外单位的答复，请由办公室其他人员审核。" if result.strip() else "已登记纸质送达。")


@login_required
@require_POST
def reply_return(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    return act(request, doc, lambda d: services.undertaking_return(actor=request.user, undertaking=u, reason=request.POST.get("reason", "")),
               "已退回承办单位重办。")


@login_required
@require_POST
def chase(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    return act(request, doc, lambda d: services.undertaking_chase(actor=request.user, undertaking=u, message=request.POST.get("message", "")),
               "已催办。")


@login_required
@require_POST
def extension(request, pk, upk):
    doc, u = _undertaking(request, pk, upk)
    return act(request, doc, lambda d: services.extension_request(actor=request.user, undertaking=u, reason=request.POST.get("reason", ""),
                                                                  requested_deadline=_date(request.POST.get("requested_deadline", ""))),
               "延期申请已提交，等待办公室审批。")


@login_required
@require_POST
def extension_decide(request, pk, rpk):
    doc = _get(request, pk)
    req = ExtensionRequest.objects.filter(pk=_int(rpk), undertaking__document=doc).first()
    if req is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    return act(request, doc, lambda d: services.extension_decide(actor=request.user, request_=req, approve=approve, note=request.POST.get("note", "")),
               "已同意延期。" if approve else "已不同意延期。")


@login_required
@require_POST
def close(request, pk):
    return act(request, _get(request, pk), lambda d: services.incoming_close(actor=request.user, document=d, note=request.POST.get("note", "")), "已办结。")


@login_required
@require_POST
def circulate(request, pk):
    doc = _get(request, pk)
    readers = [p for p in (_person(doc, v) for v in request.POST.getlist("readers")) if p is not None]
    return act(request, doc, lambda d: services.circulation_start(actor=request.user, document=d, readers=readers, mode=request.POST.get("mode", "")),
               "已送传阅。")


def _slot(doc, spk) -> CirculationSlot:
    slot = CirculationSlot.objects.filter(pk=_int(spk), circulation__document=doc).first()
    if slot is None:
        raise Http404
    return slot


@login_required
@require_POST
def read(request, pk, spk):
    doc = _get(request, pk)
    slot = _slot(doc, spk)
    return act(request, doc, lambda d: services.circulation_read(actor=request.user, slot=slot, comment=request.POST.get("comment", "")), "已阅。")


@login_required
@require_POST
def redirect_slot(request, pk, spk):
    doc = _get(request, pk)
    slot = _slot(doc, spk)
    return act(request, doc, lambda d: services.circulation_redirect(actor=request.user, slot=slot, to=_person(doc, request.POST.get("to"))), "已改送。")


@login_required
@require_POST
def recall(request, pk):
    return act(request, _get(request, pk), lambda d: services.circulation_recall(actor=request.user, document=d, reason=request.POST.get("reason", "")),
               "已收回传阅件。")


@login_required
def mine(request):
    """我的收文事项: 承办 tasks of my department(s) and documents I hold in 传阅."""
    tasks = list(selectors.undertakings_for(request.user)[:200])
    reading = list(selectors.reading_for(request.user)[:200])
    return render(request, "incoming/mine.html", {"title": "我的收文事项", "tasks": tasks, "reading": reading, "today": timezone.localdate()})


@login_required
def stats(request):
    if not has_perm(request.user, "incoming.stats"):
        raise Http404
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    st = selectors.incoming_stats(request.user, year=year, today=today)
    charts = {
        "source": [{"name": n, "value": v} for n, v in st.by_source],
        "type": {"names": [n for n, _v in st.by_type], "values": [v for _n, v in st.by_type]},
        "status": [{"name": n, "value": v} for n, v in st.by_status],
        "department": {"names": [n for n, _v in st.by_department], "values": [v for _n, v in st.by_department]},
        "month": st.by_month,
    }
    return render(request, "incoming/stats.html", {"title": f"收文统计（{year}年）", "st": st, "charts": charts, "year": year,
                                                   "years": list(range(today.year, today.year - 5, -1)), "today": today})
