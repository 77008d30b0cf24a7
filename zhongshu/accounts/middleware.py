"""Security policy applied to every signed-in request.

- Sets the client IP for audit records.
- 三员 must enrol TOTP before anything else (TOTP_REQUIRED_FOR_ADMINS).
- An expired or administrator-reset password must be changed first.
Idle timeout is the session's own: SESSION_COOKIE_AGE renewed on each request.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from zhongshu.core.context import client_ip, current_user_id, ip_from_request

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/metrics")


class SecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(ip_from_request(request))
        user = getattr(request, "user", None)
        acting = current_user_id.set(user.pk if user is not None and user.is_authenticated else None)
        try:
            if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
                # A signed-in session (browser or the browsable API) obeys the policy here; API tokens obey the
                # same policy_problem() in accounts.authentication, at every request.
                problem = policy_problem(user)
                if problem is not None:
                    if request.path.startswith("/api/"):
                        return JsonResponse({"error": problem.message, "code": problem.code, "fields": {}}, status=403)
                    return redirect(problem.url)
            return self.get_response(request)
        finally:
            current_user_id.reset(acting)
            client_ip.reset(token)


class Problem(NamedTuple):
    url: str
    message: str
    code: str


def policy_problem(user) -> Problem | None:
    """What the person must do before anything else (enrol TOTP, change the password), or None."""
    if settings.TOTP_REQUIRED_FOR_ADMINS and user.admin_role and not user.totp_confirmed:
        return Problem("accounts:totp_setup", "三员账号须先启用动态口令。", "totp_setup_required")
    if password_expired(user):
        return Problem("accounts:password_change", "密码已过期或被重置，请先修改密码。", "password_expired")
    return None


def password_expired(user) -> bool:
    if user.must_change_password:
        return True
    if user.password_changed_at is None or settings.PASSWORD_MAX_AGE_DAYS <= 0:
        return False
    return timezone.now() - user.password_changed_at > datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
