"""Account security actions: password change, TOTP enrolment and verification."""

from __future__ import annotations

import base64
import io

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhongshu.audit.services import record
from zhongshu.core.errors import ServiceError

from .passwords import remember_password


def password_change(*, user, old_password: str, new_password: str, new_password2: str) -> None:
    """修改密码: checks the old one, complexity and history; clears the forced-change flag."""
    if not user.check_password(old_password or ""):
        raise ServiceError("原密码不正确。", fields={"old_password": "原密码不正确。"})
    if new_password != new_password2:
        raise ServiceError("两次输入的新密码不一致。", fields={"new_password2": "两次输入的新密码不一致。"})
    if new_password == old_password:
        raise ServiceError("新密码不能与原密码相同。", fields={"new_password": "新密码不能与原密码相同。"})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ServiceError("新密码不符合要求。", fields={"new_password": exc.messages})
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        remember_password(user)
        record(actor=user, action="auth.password_change", target=user)


def totp_begin(*, user) -> str:
    """Start enrolment: a fresh secret, kept unconfirmed until a code proves the phone has it."""
    if user.totp_confirmed:
        raise ServiceError("已启用动态口令。")
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


def totp_uri(user) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=settings.TOTP_ISSUER)


def totp_qr_svg(user) -> str:
    img = qrcode.make(totp_uri(user), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def totp_check(user, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    return pyotp.TOTP(user.totp_secret).verify(code, valid_window=1)


def totp_confirm(*, user, code: str) -> None:
    """Finish enrolment with a valid code."""
    if not totp_check(user, code):
        raise ServiceError("动态口令不正确，请核对手机上的六位数字。", fields={"code": "动态口令不正确。"})
    with transaction.atomic():
        user.totp_confirmed = True
        user.save(update_fields=["totp_confirmed"])
        record(actor=user, action="auth.totp_enable", target=user)
