"""办会 pages: thin — parse input, call a selector or a service, render."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
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
from zhongshu.org.models import User
from zhongshu.web.forms import act, apply_errors
from zhongshu.web.lists import Column, ListPage, local

from . import selectors, services
from .filters import MeetingFilter
from .forms import (
    BookingForm,
    CategoryForm,
    DecisionForm,
    MeetingForm,
    MoveForm,
    ReplyForm,
    RoomForm,
    SeriesForm,
)
from .models import Attendee, Material, MaterialCopy, Meeting
from .policy import BookingPolicy, MeetingPolicy, RoomPolicy


def _get(request, pk, action="view") -> Meeting:
    try:
        return selectors.meeting_get(request.user, pk, action)
    except NotFound:
        raise Http404


def _room(request, pk):
    try:
        return selectors.room_get(request.user, pk)
    except NotFound:
        raise Http404


def _flash(request, exc: ServiceError) -> None:
    messages.error(request, exc.message)


COLUMNS = [
    Column("title", "会议名称", lambda m: m.title, sort="title", link=True),
    Column("classification", "密级", lambda m: m.classification_label, sort="classification"),
    Column("start", "时间", lambda m: local(m.start, "Y-m-d H:i"), sort="start"),
    Column("place", "地点", lambda m: m.place),
    Column("category", "类别", lambda m: m.category.name),
    Column("organizer", "承办人", lambda m: m.organizer.display_name),
    Column("status", "状态", lambda m: m.get_status_display(), sort="status"),
]


@login_required
def meeting_list(request):
    if not has_perm(request.user, "meetings.view"):
        raise Http404
    listing = ListPage(request, selectors.meetings_for(request.user), COLUMNS, filterset_class=MeetingFilter, default_sort="-start")
    if listing.wants_export():
        if not has_perm(request.user, "meetings.manage"):
            raise DjangoPermissionDenied
        return listing.export("会议.xlsx")
    actions = [{"label": "会议室", "url": reverse("meetings:rooms")}]
    if has_perm(request.user, "meetings.add"):
        actions.insert(0, {"label": "拟定会议方案", "url": reverse("meetings:create")})
    if has_perm(request.user, "meetings.manage"):
        actions.append({"label": "会议分类与定额", "url": reverse("meetings:categories")})
    return render(request, "web/list_page.html", {"title": "会议", "listing": listing, "row_link": True, "actions": actions,
                                                  "can_export": has_perm(request.user, "meetings.manage")})


@login_required
def meeting_create(request):
    if not has_perm(request.user, "meetings.add"):
        raise Http404
    form = MeetingForm(request.POST or None, user=request.user, categories=services.categories_for(request.user.organization_id))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            violations = services.plan_violations(meeting)
            if violations:
                messages.warning(request, "已保存。方案超出定额，报批前请调整：" + "；".join(violations))
            else:
                messages.success(request, "会议方案已保存，会议室已预留。")
            return redirect(meeting.get_absolute_url())
    return render(request, "web/form_page.html", {"title": "拟定会议方案", "form": form, "cancel_url": reverse("meetings:list")})


@login_required
def meeting_detail(request, pk):
    meeting = _get(request, pk)
    record_access(actor=request.user, obj=meeting, kind="view")
    from zhongshu.core.locks import edit_lock
    from zhongshu.flow.services import flow_state

    actions = MeetingPolicy.allowed_actions(request.user, meeting)
    organizes = MeetingPolicy.organizes(request.user, meeting)
    attendees = list(meeting.attendees.select_related("user__position", "substitute", "signed_in_by"))
    mine = next((a for a in attendees if a.user_id == request.user.pk), None)
    materials = list(meeting.materials.select_related("agenda_item", "attachment").prefetch_related("copies__holder"))
    late, absent = selectors.late_and_absent(meeting)
    state = flow_state(meeting)
    my_item = None
    if state.held_by(request.user):
        from zhongshu.flow.models import WorkItem, acting_ids

        my_item = WorkItem.objects.filter(instance=state.instance, status="pending", assignee_id__in=acting_ids(request.user)).first()
    ctx = {
        "title": meeting.title, "meeting": meeting, "actions": actions, "organizes": organizes, "mine": mine,
        "attendees": attendees if organizes else [a for a in attendees if a.user_id == request.user.pk or a.substitute_id == request.user.pk],
        "agenda": list(meeting.agenda.all()), "materials": materials, "attachments": attachments_of(meeting),
        "violations": services.plan_violations(meeting), "tally": selectors.tally(meeting), "late": late, "absent": absent,
        "decisions": list(meeting.decisions.select_related("lead_department__organization", "supervision_item")),
        "outstanding": list(services.outstanding_copies(meeting)), "flow": state, "my_item": my_item, "locked": edit_lock(meeting),
        "reply_form": ReplyForm(user=request.user) if "reply" in actions else None,
        "decision_form": DecisionForm() if "decisions" in actions else None,
        "people": User.objects.filter(organization_id=meeting.organization_id, is_active=True, admin_role="") if organizes else [],
        "leaders": User.objects.filter(organization_id=meeting.organization_id, is_active=True, role_assignments__role="leader") if "to_supervision" in actions else [],
        "supervision_items": meeting.decisions.filter(supervision_item__isnull=False).count(),
    }
    return render(request, "meetings/detail.html", ctx)


def _post(request, pk, fn, success):
    return act(request, _get(request, pk), fn, success)


@login_required
@require_POST
def meeting_notify(request, pk):
    return _post(request, pk, lambda m: services.meeting_notify(actor=request.user, meeting=m), "会议通知已发出。")


@login_required
@require_POST
def meeting_reply(request, pk):
    meeting = _get(request, pk)
    form = ReplyForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "请选择回执并填写所需内容。")
        return redirect(meeting.get_absolute_url())
    return act(request, meeting, lambda m: services.reply(actor=request.user, meeting=m, **form.cleaned_data), "回执已提交。")


def _attendee(meeting: Meeting, aid) -> Attendee:
    try:
        return meeting.attendees.select_related("meeting").get(pk=int(aid))
    except (Attendee.DoesNotExist, ValueError, TypeError):
        raise Http404


@login_required
@require_POST
def leave_decide(request, pk, aid):
    meeting = _get(request, pk)
    row = _attendee(meeting, aid)
    approve = request.POST.get("decision") == "approve"
    return act(request, meeting, lambda m: services.leave_decide(actor=request.user, attendee=row, approve=approve),
               "已批准请假。" if approve else "已不批准请假。")


@login_required
@require_POST
def checkin_manual(request, pk, aid):
    meeting = _get(request, pk)
    row = _attendee(meeting, aid)
    return act(request, meeting, lambda m: services.checkin_manual(actor=request.user, attendee=row), "已代为签到。")


@login_required
@require_POST
def meeting_remind(request, pk):
    return _post(request, pk, lambda m: services.remind_nonresponders(actor=request.user, meeting=m),
                 lambda n: f"已提醒 {n} 人。" if n else "没有需要提醒的人员（每人只提醒一次）。")


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = _get(request, pk)
    ids = request.POST.getlist("users")
    users = list(User.objects.filter(pk__in=[i for i in ids if i.isdigit()]))
    return act(request, meeting, lambda m: services.attendees_add(actor=request.user, meeting=m, users=users), "已增加参会人员。")


@login_required
@require_POST
def agenda_add(request, pk):
    p = request.POST
    minutes = p.get("minutes", "15")
    return _post(request, pk, lambda m: services.agenda_add(actor=request.user, meeting=m, title=p.get("title", ""),
                                                            presenter=p.get("presenter", ""), minutes=int(minutes) if minutes.isdigit() else 0),
                 "已增加议题。")


@login_required
@require_POST
def material_add(request, pk):
    meeting = _get(request, pk)
    p = request.POST
    item = meeting.agenda.filter(pk=p.get("agenda_item")).first() if (p.get("agenda_item") or "").isdigit() else None
    upload = request.FILES.get("file")
    level = p.get("classification", "1")

    def run(m):
        if upload:
            check_upload(upload)
        return services.material_add(actor=request.user, meeting=m, title=p.get("title", ""), upload=upload, agenda_item=item,
                                     classification=int(level) if level.isdigit() else -1)

    return act(request, meeting, run, "已增加会议材料。")


@login_required
@require_POST
def copy_issue(request, pk, mid):
    meeting = _get(request, pk)
    material = Material.objects.filter(meeting=meeting, pk=mid).first()
    holder = User.objects.filter(pk=request.POST.get("holder") or 0, organization_id=meeting.organization_id).first() if (request.POST.get("holder") or "").isdigit() else None
    if material is None:
        raise Http404
    if holder is None:
        messages.error(request, "请选择领取人。")
        return redirect(meeting.get_absolute_url())
    return act(request, meeting, lambda m: services.copy_issue(actor=request.user, material=material, holder=holder),
               lambda c: f"已发放第 {c.label} 份。")


@login_required
@require_POST
def copy_return(request, pk, cid):
    meeting = _get(request, pk)
    copy = MaterialCopy.objects.filter(material__meeting=meeting, pk=cid).select_related("material__meeting").first()
    if copy is None:
        raise Http404
    return act(request, meeting, lambda m: services.copy_return(actor=request.user, copy=copy), "已登记清退。")


@login_required
@require_POST
def record_save(request, pk):
    return _post(request, pk, lambda m: services.record_save(actor=request.user, meeting=m, record_text=request.POST.get("record"),
                                                             minutes=request.POST.get("minutes")), "已保存会议记录和纪要。")


@login_required
@require_POST
def decision_add(request, pk):
    meeting = _get(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写议定事项、主办单位和办结时限。")
        return redirect(meeting.get_absolute_url())
    return act(request, meeting, lambda m: services.decision_add(actor=request.user, meeting=m, **form.cleaned_data), "已登记议定事项。")


@login_required
@require_POST
def to_supervision(request, pk):
    meeting = _get(request, pk)
    leader = User.objects.filter(pk=request.POST.get("leader") or 0).first() if (request.POST.get("leader") or "").isdigit() else None
    if leader is None:
        messages.error(request, "请选择责任领导。")
        return redirect(meeting.get_absolute_url())
    return act(request, meeting, lambda m: services.decisions_to_supervision(actor=request.user, meeting=m, responsible_leader=leader),
               lambda rows: f"已转为督办事项 {len(rows)} 项。")


def _to_outgoing(request, pk, make, success: str):
    """Hand the meeting to 发文 as a draft and open it; a refusal stays on the meeting page with its message."""
    meeting = _get(request, pk)
    try:
        doc = make(actor=request.user, meeting=meeting)
    except ServiceError as exc:
        _flash(request, exc)
        return redirect(meeting.get_absolute_url())
    messages.success(request, success)
    return redirect(doc.get_absolute_url())


@login_required
@require_POST
def outgoing_notice(request, pk):
    return _to_outgoing(request, pk, services.notice_to_outgoing, "已生成发文拟稿（通知），请补充主送机关后送审。")


@login_required
@require_POST
def outgoing_minutes(request, pk):
    return _to_outgoing(request, pk, services.minutes_to_outgoing, "已生成发文拟稿（纪要格式），请补充后送审。")


@login_required
@require_POST
def meeting_close(request, pk):
    return _post(request, pk, lambda m: services.meeting_close(actor=request.user, meeting=m, note=request.POST.get("note", "")), "会议已结束。")


@login_required
@require_POST
def meeting_cancel(request, pk):
    return _post(request, pk, lambda m: services.meeting_cancel(actor=request.user, meeting=m, reason=request.POST.get("reason", "")),
                 "会议已取消，会议室已释放。")


# ---------------------------------------------------------------- sign-in


@login_required
def checkin_qr(request, pk):
    """The meeting's sign-in QR code (SVG) for the screen at the door: the organizer and the office only."""
    meeting = _get(request, pk)
    if "checkin_manual" not in MeetingPolicy.allowed_actions(request.user, meeting):
        raise Http404
    import qrcode
    import qrcode.image.svg

    url = request.build_absolute_uri(reverse("meetings:checkin", args=[services.checkin_token(meeting)]))
    buf = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(buf)
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


@login_required
def checkin(request, token):
    """扫码签到: the phone opens this link (logged in), confirms with one button."""
    if request.method == "POST":
        try:
            row = services.checkin_by_token(actor=request.user, token=token)
        except ServiceError as exc:
            return render(request, "meetings/checkin.html", {"title": "会议签到", "error": exc.message}, status=exc.status)
        return render(request, "meetings/checkin.html", {"title": "会议签到", "done": row, "meeting": row.meeting})
    return render(request, "meetings/checkin.html", {"title": "会议签到", "token": token})


# ---------------------------------------------------------------- rooms and bookings


def _day(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def rooms(request):
    """Rooms by building, as a day or week grid."""
    if not has_perm(request.user, "meetings.view"):
        raise Http404
    view = "day" if request.GET.get("view") == "day" else "week"
    day = _day(request.GET.get("day"))
    first = day if view == "day" else selectors.week_start(day)
    days = 1 if view == "day" else 7
    room_list = list(selectors.rooms_for(request.user))
    building = request.GET.get("building", "")
    buildings = sorted({r.building for r in room_list})
    if building:
        room_list = [r for r in room_list if r.building == building]
    step = datetime.timedelta(days=days)
    ctx = {"title": "会议室", "view": view, "first": first, "prev": first - step, "next": first + step, "building": building,
           "buildings": buildings, "dates": [first + datetime.timedelta(days=i) for i in range(days)],
           "grid": selectors.room_grid(request.user, room_list, first, days), "manage": has_perm(request.user, "meetings.manage")}
    return render(request, "meetings/rooms.html", ctx)


@login_required
def room_detail(request, pk):
    room = _room(request, pk)
    first = selectors.week_start(_day(request.GET.get("day")))
    ctx = {"title": str(room), "room": room, "first": first, "prev": first - datetime.timedelta(days=7), "next": first + datetime.timedelta(days=7),
           "dates": [first + datetime.timedelta(days=i) for i in range(7)], "grid": selectors.room_grid(request.user, [room], first, 7),
           "actions": RoomPolicy.allowed_actions(request.user, room), "attachments": attachments_of(room),
           "form": BookingForm(), "series_form": SeriesForm()}
    bookings = [s for row in ctx["grid"] for cell in row["cells"] for s in cell]
    ctx["booking_actions"] = {s.booking.pk: BookingPolicy.allowed_actions(request.user, s.booking) for s in bookings}
    return render(request, "meetings/room.html", ctx)


@login_required
@require_POST
def room_book(request, pk):
    room = _room(request, pk)
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写用途、开始和结束时间。")
        return redirect(room.get_absolute_url())
    return act(request, room, lambda r: services.booking_create(actor=request.user, room=r, **form.cleaned_data), "已预订。")


@login_required
@require_POST
def room_series(request, pk):
    room = _room(request, pk)
    form = SeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请完整填写固定预订。")
        return redirect(room.get_absolute_url())
    return act(request, room, lambda r: services.series_create(actor=request.user, room=r, **form.cleaned_data),
               lambda s: f"已固定预订 {s.occurrences.count()} 次。")


def _booking(request, pk):
    try:
        return selectors.booking_get(request.user, pk)
    except NotFound:
        raise Http404


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = _booking(request, pk)
    return act(request, booking, lambda b: services.booking_cancel(actor=request.user, booking=b), "已取消该次预订。")


@login_required
@require_POST
def booking_move(request, pk):
    booking = _booking(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写新的开始和结束时间。")
        return redirect(booking.get_absolute_url())
    return act(request, booking, lambda b: services.booking_move(actor=request.user, booking=b, **form.cleaned_data), "已调整该次预订。")


@login_required
def room_create(request):
    return _room_form(request, None)


@login_required
def room_edit(request, pk):
    return _room_form(request, _room(request, pk))


def _room_form(request, room):
    if not has_perm(request.user, "meetings.manage"):
        raise Http404
    initial = {k: getattr(room, k) for k in services.ROOM_FIELDS if k != "order"} if room else {"is_active": True}
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        try:
            if upload:
                check_upload(upload)
            with transaction.atomic():
                saved = services.room_save(actor=request.user, room=room, **form.cleaned_data)
                if upload:
                    attachment_add(actor=request.user, obj=saved, upload=upload)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(saved.get_absolute_url())
    return render(request, "web/form_page.html", {"title": "修改会议室" if room else "新增会议室", "form": form,
                                                  "cancel_url": reverse("meetings:rooms")})


@login_required
def room_stats(request):
    if not has_perm(request.user, "meetings.view"):
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    return render(request, "meetings/stats.html", {"title": "会议室使用统计", "year": year, "stats": selectors.usage_stats(request.user, year)})


@login_required
def categories(request):
    if not has_perm(request.user, "meetings.view"):
        raise Http404
    manage = has_perm(request.user, "meetings.manage")
    form = CategoryForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise Http404
        if form is not None and form.is_valid():
            try:
                services.category_save(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存会议分类。")
                return redirect("meetings:categories")
    return render(request, "meetings/categories.html", {"title": "会议分类与定额", "rows": services.categories_for(request.user.organization_id),
                                                        "form": form})


# ---------------------------------------------------------------- 座次 (the seating library on the 回执)
SEATING_KINDS = {"podium": "主席台", "photo": "合影", "hall": "会场"}
SEATING_FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "cards": "application/pdf"}


def _seating_options(request) -> tuple[dict, dict]:
    """The chart options from the query string, each checked; errors by field in Chinese."""
    q = request.GET
    errors: dict[str, str] = {}
    kind = q.get("kind", "podium")
    if kind not in SEATING_KINDS:
        errors["kind"] = "请选择主席台、合影或会场。"
    rule = q.get("rule", "left")
    if rule not in ("left", "right"):
        errors["rule"] = "请选择以左为上或以右为上。"
    even = q.get("even", "pair")
    if even not in ("pair", "offset"):
        errors["even"] = "请选择偶数排法。"
    viewpoint = q.get("viewpoint", "audience")
    if viewpoint not in ("audience", "podium"):
        errors["viewpoint"] = "请选择观众视角或主席台视角。"
    per_row_raw = q.get("per_row", "").strip()
    per_row = None
    if per_row_raw:
        if not per_row_raw.isdigit() or not 1 <= int(per_row_raw) <= 60:
            errors["per_row"] = "每排人数应为 1 至 60 的整数。"
        else:
            per_row = int(per_row_raw)
    return {"kind": kind, "rule": rule, "even": even, "viewpoint": viewpoint, "per_row": per_row}, errors


@login_required
def meeting_seating(request, pk):
    """座次: the chart of those attending after the 回执 (代参 in the seat of whom they replace, 请假 left out), laid
    out by `zhongshu.seating` with the chosen rule; PDF/DOCX of the chart and 桌签. The organizer and the office only."""
    meeting = _get(request, pk)
    if not MeetingPolicy.organizes(request.user, meeting):
        raise Http404
    from zhongshu.seating import SeatingError, chart_for

    people = selectors.meeting_attendees_ranked(meeting)
    names = [u.display_name for u in people]
    opts, errors = _seating_options(request)
    chart = None
    if not errors and names:
        try:
            chart = chart_for(opts["kind"], names, rule=opts["rule"], even=opts["even"], viewpoint=opts["viewpoint"],
                              per_row=opts["per_row"], title=f"{meeting.title[:90]}座次")
        except SeatingError as e:
            errors[getattr(e, "field", None) or "kind"] = str(e)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in SEATING_FORMATS:
            raise Http404
        if chart is None:
            return render(request, "meetings/seating.html", {"title": "座次", "meeting": meeting, "opts": opts, "errors": errors,
                                                              "names": names, "chart": None, "kinds": SEATING_KINDS}, status=400)
        from zhongshu.seating.docx_out import chart_docx
        from zhongshu.seating.pdf import chart_pdf, tent_cards_pdf

        if fmt == "pdf":
            data = chart_pdf(chart)
        elif fmt == "docx":
            data = chart_docx(chart)
        else:
            data = tent_cards_pdf(names)
        if fmt != "docx" and meeting.classification >= 2:
            from zhongshu.archives.pdfstamp import watermark

            data = watermark(data, f"{request.user.display_name} {timezone.localtime():%Y-%m-%d %H:%M}")
        record_access(actor=request.user, obj=meeting, kind="download")
        name = {"pdf": "座次图.pdf", "docx": "座次图.docx", "cards": "桌签.pdf"}[fmt]
        resp = HttpResponse(data, content_type=SEATING_FORMATS[fmt])
        from urllib.parse import quote

        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return resp
    blocks: list[dict] = []
    if chart is not None:
        d = chart.to_dict()
        blocks = d["blocks"] if "blocks" in d else [{"number": None, "rows": d.get("rows", [])}]
    ctx = {"title": "座次", "meeting": meeting, "opts": opts, "errors": errors, "names": names, "chart": chart, "blocks": blocks,
           "kinds": SEATING_KINDS, "query": request.GET.urlencode()}
    return render(request, "meetings/seating.html", ctx, status=400 if errors else 200)
