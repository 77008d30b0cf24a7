"""Account security actions: password change, TOTP enrolment and verification, API tokens, activations.

Failed second factors and activation codes count against the same per-account lockout as wrong passwords
(django-axes: LOGIN_FAILURE_LIMIT / LOGIN_LOCKOUT_MINUTES); see docs/decisions/0009-authentication-hardening.md.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import logging
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record
from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError

from .models import ApiToken, PasswordActivation
from .passwords import remember_password

log = logging.getLogger(__name__)


class LockedOut(ServiceError):
    """Too many failures for the account (passwords, second factor and activation codes together)."""

    status = 429

    def __init__(self) -> None:
        minutes = int(settings.AXES_COOLOFF_TIME * 60)
        super().__init__(f"登录失败次数过多，账号已锁定 {minutes} 分钟。如需提前解锁，请联系系统管理员。", code="locked_out")


def account_locked(request, username: str) -> bool:
    """The per-account lockout of django-axes (the policy of the password check), asked for a username."""
    from axes.handlers.proxy import AxesProxyHandler

    return request is not None and AxesProxyHandler.is_locked(request, {"username": username})


def _count_failure(request, username: str, factor: str) -> None:
    """One more failure against the account's lockout counter. `factor` tells the audit receiver that the
    service has recorded its own, more precise entry (auth.totp_failed, auth.activation_failed)."""
    if request is not None:
        user_login_failed.send(sender=__name__, credentials={"username": username, "factor": factor}, request=request)


def reset_failures(username: str) -> None:
    from axes.handlers.proxy import AxesProxyHandler

    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(username=username)


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
        tokens_revoke_all(actor=user, user=user, reason="修改密码")


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


def _clean_code(code: str) -> str:
    return (code or "").strip().replace(" ", "")


def _matching_step(user, code: str) -> int | None:
    """The time step whose code this is, within one step of clock drift either way; None if none matches."""
    code = _clean_code(code)
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(timezone.now())
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user, step: int) -> bool:
    """Remember the step as used; False if this or a later step was used already (a replay, or a race lost)."""
    from zhongshu.org.models import User

    done = User.objects.filter(pk=user.pk).filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)).update(totp_last_step=step)
    if done:
        user.totp_last_step = step
    return bool(done)


def totp_check(user, code: str) -> bool:
    """Whether the code is valid now. Does not consume it; sign-in goes through totp_login()."""
    return _matching_step(user, code) is not None


def totp_login(*, user, code: str, request, field: str = "code") -> None:
    """The second factor at sign-in (page and API token): locked accounts are refused, each code is accepted once
    (its time step must be later than the last one used), and every failure is audited and counts towards
    the account's lockout like a wrong password."""
    if account_locked(request, user.username):
        raise LockedOut()
    if not _clean_code(code):
        raise ServiceError("需要正确的动态口令。", code="otp_required", fields={field: "请填写手机验证器上的六位数字。"})
    step = _matching_step(user, code)
    if step is not None and _use_step(user, step):
        return
    replay = step is not None
    record(actor=user, action="auth.totp_failed", target=user, note="动态口令已使用过（重放）" if replay else "动态口令不正确")
    _count_failure(request, user.username, "totp")
    message = "该动态口令已使用，请等待手机上出现新的六位数字。" if replay else "动态口令不正确。"
    raise ServiceError(message if replay else "需要正确的动态口令。", code="otp_required", fields={field: message})


def totp_confirm(*, user, code: str) -> None:
    """Finish enrolment with a valid code (which is then used up: it cannot serve again at sign-in)."""
    step = _matching_step(user, code)
    if step is None:
        raise ServiceError("动态口令不正确，请核对手机上的六位数字。", fields={"code": "动态口令不正确。"})
    with transaction.atomic():
        user.totp_confirmed = True
        user.totp_last_step = step
        user.save(update_fields=["totp_confirmed", "totp_last_step"])
        record(actor=user, action="auth.totp_enable", target=user)


# ---- API tokens --------------------------------------------------------------------------------
TOKEN_PREFIX = "zs_"


def token_digest(raw: str) -> str:
    """SHA-256 of a token: 256 random bits need no slow hash, and lookups stay one indexed equality."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_find(raw: str) -> ApiToken | None:
    """The live token for a presented key (None if unknown or expired); notes when it was last used."""
    if not raw or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or token.expired:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """签发 API 令牌 for one named device (the same name replaces that device's token). Returns the token and
    its text, which exists only in this return value: the database keeps its SHA-256."""
    from .middleware import policy_problem

    name = (name or "").strip() or "未命名设备"
    if len(name) > 60:
        raise ServiceError("设备名称不能超过 60 个字符。", fields={"name": "设备名称不能超过 60 个字符。"})
    if not user.is_active:
        raise ServiceError("账号已停用。", code="inactive")
    problem = policy_problem(user)
    if problem is not None:
        raise ServiceError(problem.message, code=problem.code)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = ApiToken.objects.filter(user=user, name=name).delete()[0]
        if ApiToken.objects.filter(user=user).count() >= settings.API_TOKEN_MAX_PER_USER:
            raise ServiceError(
                f"每人最多持有 {settings.API_TOKEN_MAX_PER_USER} 个 API 令牌，已达上限，请先吊销不用的令牌。", code="too_many_tokens"
            )
        token = ApiToken.objects.create(
            user=user, name=name, digest=token_digest(raw), prefix=raw[:10],
            expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        record(
            actor=user, action="auth.token_create", target=user, after={"name": name, "expires_at": token.expires_at},
            note="替换该设备原有的令牌" if replaced else "",
        )
    return token, raw


def token_revoke(*, actor, token: ApiToken) -> None:
    """吊销 one token: by its owner, or by the system administrator (org.manage)."""
    if actor.pk != token.user_id and not has_perm(actor, "org.manage"):
        raise PermissionDenied()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).delete()
        record(actor=actor, action="auth.token_revoke", target=token.user, before={"name": token.name})


def tokens_revoke_all(*, actor, user, reason: str) -> int:
    """All of a person's tokens end (logout-all, password change or reset, deactivation)."""
    if actor is not None and actor.pk != user.pk and not has_perm(actor, "org.manage"):
        raise PermissionDenied()
    with transaction.atomic():
        names = list(ApiToken.objects.filter(user=user).values_list("name", flat=True))
        if names:
            ApiToken.objects.filter(user=user).delete()
            record(actor=actor, action="auth.token_revoke_all", target=user, before={"names": sorted(names)}, note=reason)
    return len(names)


# ---- activation codes (password reset, new accounts) -------------------------------------------------
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: read off paper without doubt
HALF_CHARS = 10  # ~50 bits per half; guessing is also bounded by the account lockout


def _half() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(HALF_CHARS))
    return f"{raw[:5]}-{raw[5:]}"


def _half_digest(activation: PasswordActivation, half: str, part: str) -> str:
    """Keyed hash (HMAC with SECRET_KEY) of one half: a stolen database alone does not give the code away."""
    return salted_hmac("zhongshu.activation", f"{activation.pk}:{part}:{half.replace('-', '')}", algorithm="sha256").hexdigest()


def _send_code(activation: PasswordActivation, user) -> None:
    """E-mail the whole code straight after commit. Never through the job queue or a notification: both would
    store the code in the database."""
    a, b = _half(), _half()
    activation.part_a_digest = _half_digest(activation, a, "a")
    activation.part_b_digest = _half_digest(activation, b, "b")
    code, email, username = f"{a}-{b}", activation.email, user.username
    expires = timezone.localtime(activation.expires_at)
    body = (
        f"{user.display_name}：\n\n您的中枢账号（登录名 {username}）需要设置新密码。激活码：\n\n    {code}\n\n"
        f"请在 {expires:%Y年%m月%d日 %H:%M} 前打开“账号激活”页面（登录页下方，地址 /accounts/activate/），"
        "输入登录名、激活码并设置您自己的新密码。激活码只能使用一次；原密码已失效。\n"
        "如非本人申请，请立即联系本单位系统管理员和安全保密管理员。"
    )

    def send() -> None:
        try:
            send_mail("[中枢] 账号激活码", body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
        except Exception:  # noqa: BLE001 - the administrator can see it was not delivered and issue a new one
            log.exception("激活码邮件发送失败（账号 %s）", username)

    transaction.on_commit(send)


def _issue(activation: PasswordActivation, user) -> None:
    now = timezone.now()
    activation.status = PasswordActivation.Status.ISSUED
    activation.issued_at = now
    activation.expires_at = now + datetime.timedelta(hours=settings.PASSWORD_RESET_ACTIVATION_HOURS)
    if activation.delivery == PasswordActivation.Delivery.EMAIL:
        _send_code(activation, user)


def activation_request(*, actor, user, reason: str = "") -> PasswordActivation:
    """The system administrator asks for a person's password to be (re)set. The old password stops working now,
    the person's sessions and API tokens end, and an activation is opened that the administrator never sees."""
    if actor is not None and not has_perm(actor, "org.manage"):
        raise PermissionDenied()
    reason = (reason or "重置密码").strip()[:200]
    with transaction.atomic():
        PasswordActivation.objects.filter(
            user=user, status__in=[PasswordActivation.Status.REQUESTED, PasswordActivation.Status.ISSUED]
        ).update(status=PasswordActivation.Status.CANCELLED)
        user.set_unusable_password()  # also ends every session: the session hash changes
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        tokens_revoke_all(actor=actor, user=user, reason=reason)
        email = (user.email or "").strip()
        activation = PasswordActivation.objects.create(
            user=user, reason=reason, requested_by=actor, email=email,
            delivery=PasswordActivation.Delivery.EMAIL if email else PasswordActivation.Delivery.ENVELOPE,
        )
        if not settings.PASSWORD_RESET_NEEDS_APPROVAL:
            _issue(activation, user)
        activation.save()
        record(
            actor=actor, action="org.user_reset_password", target=user,
            after={"delivery": activation.delivery, "status": activation.status}, note=reason,
        )
    return activation


def _locked_activation(activation: PasswordActivation) -> PasswordActivation:
    return PasswordActivation.objects.select_for_update().select_related("user").get(pk=activation.pk)


def activation_approve(*, actor, activation: PasswordActivation) -> PasswordActivation:
    """The security administrator approves a requested reset; an e-mail delivery sends the code now."""
    if not has_perm(actor, "security.manage"):
        raise PermissionDenied("只有安全保密管理员可以审批密码重置。")
    with transaction.atomic():
        act = _locked_activation(activation)
        if act.requested_by_id == actor.pk:
            raise ServiceError("申请人不能审批自己的申请。")
        if act.status != PasswordActivation.Status.REQUESTED:
            raise ServiceError(f"该申请{act.status_label}，不能再审批。", code="conflict")
        act.decided_by, act.decided_at = actor, timezone.now()
        _issue(act, act.user)
        act.save()
        record(actor=actor, action="auth.activation_approve", target=act.user, after={"delivery": act.delivery})
    activation.refresh_from_db()
    return activation


def activation_reject(*, actor, activation: PasswordActivation, reason: str) -> PasswordActivation:
    if not has_perm(actor, "security.manage"):
        raise PermissionDenied("只有安全保密管理员可以审批密码重置。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写驳回理由。", fields={"reason": "请填写驳回理由。"})
    with transaction.atomic():
        act = _locked_activation(activation)
        if act.status != PasswordActivation.Status.REQUESTED:
            raise ServiceError(f"该申请{act.status_label}，不能再审批。", code="conflict")
        act.status, act.decided_by, act.decided_at, act.decision_note = PasswordActivation.Status.REJECTED, actor, timezone.now(), reason[:200]
        act.save()
        record(actor=actor, action="auth.activation_reject", target=act.user, note=reason[:200])
    activation.refresh_from_db()
    return activation


def activation_envelope(*, actor, activation: PasswordActivation) -> str:
    """Print one half of the code for the sealed envelopes (密码信封): the first half (第一联) by the system
    administrator, the second (第二联) by the security administrator, each once. Neither knows the whole code."""
    if has_perm(actor, "org.manage"):
        part = "a"
    elif has_perm(actor, "security.manage"):
        part = "b"
    else:
        raise PermissionDenied()
    with transaction.atomic():
        act = _locked_activation(activation)
        if act.delivery != PasswordActivation.Delivery.ENVELOPE:
            raise ServiceError("该激活码通过电子邮件发送，不打印信封。")
        if act.status == PasswordActivation.Status.REQUESTED:
            raise ServiceError("须先经安全保密管理员审批，才能打印密码信封。")
        if act.status != PasswordActivation.Status.ISSUED or act.expired:
            raise ServiceError(f"该激活{act.status_label}，不能打印信封。")
        label = "第一联" if part == "a" else "第二联"
        if getattr(act, f"part_{part}_printed_at"):
            raise ServiceError(f"{label}已打印，不能再次显示。如信封遗失，请重新申请重置。")
        other = act.part_b_printed_by_id if part == "a" else act.part_a_printed_by_id
        if other == actor.pk:
            raise ServiceError("两联信封须由两位管理员分别打印。")
        half = _half()
        setattr(act, f"part_{part}_digest", _half_digest(act, half, part))
        setattr(act, f"part_{part}_printed_by", actor)
        setattr(act, f"part_{part}_printed_at", timezone.now())
        act.save()
        record(actor=actor, action="auth.activation_envelope", target=act.user, after={"part": label})
    activation.refresh_from_db()
    return half


def activation_handover(*, actor, activation: PasswordActivation, handed_over_by: str) -> PasswordActivation:
    """登记密码信封已交付: who handed the sealed envelopes to the person."""
    if not (has_perm(actor, "org.manage") or has_perm(actor, "security.manage")):
        raise PermissionDenied()
    name = (handed_over_by or "").strip()
    if not name or len(name) > 60:
        raise ServiceError("请填写交付人（60 字以内）。", fields={"handed_over_by": "请填写交付人。"})
    with transaction.atomic():
        act = _locked_activation(activation)
        if act.delivery != PasswordActivation.Delivery.ENVELOPE or not (act.part_a_printed_at and act.part_b_printed_at):
            raise ServiceError("两联密码信封均打印后才能登记交付。")
        if act.handed_over_at:
            raise ServiceError("已登记交付。")
        act.handed_over_by, act.handed_over_at, act.handover_recorded_by = name, timezone.now(), actor
        act.save()
        record(actor=actor, action="auth.activation_handover", target=act.user, after={"handed_over_by": name})
    activation.refresh_from_db()
    return activation


def activation_redeem(*, username: str, code: str, new_password: str, new_password2: str, request=None):
    """The person sets their own password with the activation code — once, before it expires. Wrong codes count
    towards the account lockout like wrong passwords."""
    from zhongshu.org.models import User

    username = (username or "").strip()
    if account_locked(request, username):
        raise LockedOut()
    wrong = ServiceError("登录名或激活码不正确。", code="activation_invalid", fields={"code": "登录名或激活码不正确。"})
    user = User.objects.filter(username=username, is_active=True).first() if username else None
    act = (
        PasswordActivation.objects.filter(user=user, status=PasswordActivation.Status.ISSUED).order_by("-issued_at", "-id").first()
        if user is not None
        else None
    )
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    ok = (
        act is not None
        and len(clean) == 2 * HALF_CHARS
        and bool(act.part_a_digest and act.part_b_digest)
        and hmac.compare_digest(act.part_a_digest, _half_digest(act, clean[:HALF_CHARS], "a"))
        and hmac.compare_digest(act.part_b_digest, _half_digest(act, clean[HALF_CHARS:], "b"))
    )
    if not ok:
        if user is not None:
            record(actor=None, actor_name=username[:80], action="auth.activation_failed", target=user)
        _count_failure(request, username, "activation")
        raise wrong
    assert act is not None and user is not None
    if act.expired:
        raise ServiceError("激活码已过期，请联系本单位系统管理员重新申请。", code="activation_expired", fields={"code": "激活码已过期。"})
    if new_password != new_password2:
        raise ServiceError("两次输入的新密码不一致。", fields={"new_password2": "两次输入的新密码不一致。"})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ServiceError("新密码不符合要求。", fields={"new_password": exc.messages})
    with transaction.atomic():
        act = _locked_activation(act)
        if act.status != PasswordActivation.Status.ISSUED:
            raise wrong
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        remember_password(user)
        act.status, act.used_at = PasswordActivation.Status.USED, timezone.now()
        act.save(update_fields=["status", "used_at"])
        record(actor=user, action="auth.activation_use", target=user, after={"delivery": act.delivery})
    reset_failures(username)
    return user


def activation_for(actor, pk: int) -> PasswordActivation:
    """An activation an administrator (system or security) may act on."""
    if not (has_perm(actor, "org.manage") or has_perm(actor, "security.manage")):
        raise NotFound()
    act = PasswordActivation.objects.select_related("user", "requested_by", "decided_by").filter(pk=pk).first()
    if act is None:
        raise NotFound()
    return act


def preference_set(*, actor, signature_pad) -> None:
    """个人设置: the person's own “手写签批” switch (the pad on the 批示/签发 pages). Only ever one's own."""
    if signature_pad not in (True, False):
        raise ServiceError("请选择是否使用手写签批。", fields={"signature_pad": "请选择“开启”或“关闭”。"})
    from zhongshu.org.models import User

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = user.uses_signature_pad
        user.signature_pad = bool(signature_pad)
        user.save(update_fields=["signature_pad"])
        record(actor=actor, action="auth.preference_set", target=user, before={"signature_pad": before},
               after={"signature_pad": user.signature_pad})
    actor.signature_pad = user.signature_pad
