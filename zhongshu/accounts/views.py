"""Sign-in (password, then TOTP when enrolled), sign-out, password change, TOTP enrolment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhongshu.core.errors import ServiceError
from zhongshu.org.models import User
from zhongshu.web.forms import apply_errors

from . import services
from .forms import ActivationForm, LoginForm, PasswordChangeForm, PreferenceForm, TokenForm, TotpForm
from .models import ApiToken

PENDING_KEY = "zs_pending_user"


def lockout_response(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    message = f"登录失败次数过多，账号已锁定 {minutes} 分钟。如需提前解锁，请联系系统管理员。"
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "code": "locked_out", "fields": {}}, status=429)
    return render(request, "accounts/login.html", {"form": LoginForm(), "locked": message}, status=429)


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, "登录名或密码不正确。连续失败 5 次将锁定账号。")
        elif user.totp_confirmed:
            request.session[PENDING_KEY] = user.pk
            request.session["zs_next"] = _next_url(request)
            return redirect("accounts:totp_verify")
        else:
            login(request, user)
            return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def totp_verify(request):
    pk = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_login(user=user, code=form.cleaned_data["code"], request=request)
        except services.LockedOut:
            return lockout_response(request)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            nxt = request.session.pop("zs_next", None) or resolve_url(settings.LOGIN_REDIRECT_URL)
            request.session.pop(PENDING_KEY, None)
            user.backend = "django.contrib.auth.backends.ModelBackend"
            login(request, user)
            return HttpResponseRedirect(nxt)
    return render(request, "accounts/totp_verify.html", {"form": form, "title": "动态口令验证"})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    forced = request.user.must_change_password
    return render(request, "accounts/password_change.html", {"form": form, "title": "修改密码", "forced": forced})


@login_required
def totp_setup(request):
    user = request.user
    if user.totp_confirmed:
        messages.info(request, "已启用动态口令。")
        return redirect("accounts:profile")
    if not user.totp_secret or request.method == "GET":
        services.totp_begin(user=user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "动态口令已启用，今后登录需输入手机上的六位数字。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    required = bool(user.admin_role) and settings.TOTP_REQUIRED_FOR_ADMINS
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "title": "启用动态口令", "qr": services.totp_qr_svg(user), "secret": user.totp_secret, "required": required},
    )


@login_required
def profile(request):
    """个人设置: who I am, and my own switches (手写签批)."""
    user = request.user
    form = PreferenceForm(request.POST or None, initial={"signature_pad": "1" if user.uses_signature_pad else "0"})
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(actor=user, signature_pad=form.cleaned_data["signature_pad"])
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存：手写签批" + ("已开启。" if user.uses_signature_pad else "已关闭。"))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"title": "个人设置", "person": user, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
def tokens(request):
    """我的 API 令牌: list, issue one for a named device (its text shown this once), revoke."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    ctx = {"title": "API 令牌", "form": form, "rows": rows, "new_token": new_token, "ttl": settings.API_TOKEN_TTL_DAYS}
    response = render(request, "accounts/tokens.html", ctx)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销令牌“{token.name}”。")
    return redirect("accounts:tokens")


@login_required
@require_POST
def tokens_revoke_all(request):
    """退出全部设备: every API token ends, then this session."""
    services.tokens_revoke_all(actor=request.user, user=request.user, reason="退出全部设备")
    logout(request)
    messages.info(request, "已吊销全部 API 令牌并退出登录。")
    return redirect("accounts:login")


def activate(request):
    """账号激活: login name + the activation code (e-mail, or the two envelope halves) + one's own new password."""
    if request.user.is_authenticated:
        logout(request)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_redeem(request=request, **form.cleaned_data)
        except services.LockedOut:
            return lockout_response(request)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "密码已设置，请用新密码登录。")
            return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form, "title": "账号激活"})
