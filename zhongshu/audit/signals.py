"""Login events come only as Django signals, so they are recorded here (every success and failure)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhongshu.core.context import ip_from_request

from .services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", target=user, ip=ip_from_request(request) if request else None)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action="auth.logout", target=user, ip=ip_from_request(request) if request else None)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if (credentials or {}).get("factor"):
        return  # a second factor or an activation code: the accounts service recorded its own entry
    username = str((credentials or {}).get("username", ""))[:80]
    record(
        actor=None,
        actor_name=username,
        action="auth.login_failed",
        note=f"登录失败：{username}",
        ip=ip_from_request(request) if request is not None else None,
    )
