from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhongshu.core.errors import ServiceError
from zhongshu.web.forms import apply_errors

from . import selectors, services
from .forms import GrantForm
from .models import Grant
from .permissions import has_perm


@login_required
def grants(request):
    if not has_perm(request.user, "security.manage"):
        raise Http404
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已授权。")
            return redirect("access:grants")
    return render(request, "access/grants.html", {"title": "知悉范围授权", "form": form, "rows": selectors.grant_rows(request.user)})


@login_required
@require_POST
def grant_revoke(request, pk):
    if not has_perm(request.user, "security.manage"):
        raise Http404
    try:
        services.grant_revoke(actor=request.user, grant=get_object_or_404(Grant, pk=pk))
        messages.success(request, "已撤销授权。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("access:grants")
