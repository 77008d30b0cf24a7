import calendar as pycal
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import ServiceError
from zhongshu.web.forms import apply_errors

from . import services
from .calendar import day_info, deadline, workdays_between
from .forms import CalcForm, DayForm, YearForm
from .models import CalendarDay, CalendarYear


def _month(year: int, month: int, org_id):
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"info": day_info(d, organization_id=org_id), "in_month": d.month == month} for d in week])
    return weeks


@login_required
def calendar_view(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        datetime.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    org_id = request.user.organization_id
    form = CalcForm(request.GET if "start" in request.GET else None, initial={"start": today})
    result = None
    if form.is_bound and form.is_valid():
        dl = deadline(form.cleaned_data["start"], form.cleaned_data["days"], organization_id=org_id)
        result = {"deadline": dl, "span": workdays_between(form.cleaned_data["start"], dl.date, organization_id=org_id)}
    prev = (datetime.date(year, month, 1) - datetime.timedelta(days=1)).replace(day=1)
    nxt = (datetime.date(year, month, 28) + datetime.timedelta(days=7)).replace(day=1)
    ctx = {
        "title": "工作日历", "year": year, "month": month, "weeks": _month(year, month, org_id), "form": form, "result": result,
        "prev": prev, "next": nxt, "today": today, "can_manage": has_perm(request.user, "workdays.manage"),
    }
    return render(request, "workdays/calendar.html", ctx)


@login_required
def manage(request):
    if not has_perm(request.user, "workdays.manage"):
        raise Http404
    day_form = DayForm(request.POST if request.POST.get("form") == "day" else None)
    year_form = YearForm(request.POST if request.POST.get("form") == "year" else None)
    if request.method == "POST":
        form = day_form if request.POST.get("form") == "day" else year_form
        if form.is_valid():
            try:
                if form is day_form:
                    services.calendar_day_set(actor=request.user, **form.cleaned_data)
                else:
                    services.calendar_year_publish(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("workdays:manage")
    days = CalendarDay.objects.select_related("organization").order_by("-date")[:200]
    return render(request, "workdays/manage.html", {"title": "节假日维护", "day_form": day_form, "year_form": year_form, "days": days, "years": CalendarYear.objects.all()})


@login_required
@require_POST
def day_delete(request, pk):
    if not has_perm(request.user, "workdays.manage"):
        raise Http404
    day = get_object_or_404(CalendarDay, pk=pk)
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, "已删除。")
    return redirect("workdays:manage")
