from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import ServiceError
from zhongshu.web.forms import apply_errors

from .forms import WebhookForm
from .models import WebhookEndpoint
from .selectors import notifications_for
from .services import notification_mark_read, webhook_save


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {"title": "消息提醒", "page": page})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    try:
        n = notification_mark_read(user=request.user, ids=[int(i) for i in ids] if ids else None)
    except ValueError:
        n = 0
    messages.success(request, f"已将 {n} 条消息标为已读。")
    return redirect("notify:list")


@login_required
def webhooks(request):
    if not has_perm(request.user, "notify.manage"):
        raise Http404
    return render(request, "notify/webhooks.html", {"title": "群机器人", "items": WebhookEndpoint.objects.select_related("organization")})


@login_required
def webhook_edit(request, pk=None):
    if not has_perm(request.user, "notify.manage"):
        raise Http404
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk) if pk else None
    form = WebhookForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            webhook_save(actor=request.user, organization=org, endpoint=WebhookEndpoint.objects.get(pk=pk) if pk else None, **data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("notify:webhooks")
    return render(request, "web/form_page.html", {"title": "群机器人", "form": form, "cancel_url": reverse("notify:webhooks")})
