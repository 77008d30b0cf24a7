"""Password rules: complexity (three of four character classes) and no reuse of the last N passwords."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class ComplexityValidator:
    """至少包含大写字母、小写字母、数字、符号中的三类."""

    def validate(self, password: str, user=None) -> None:
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < 3:
            raise ValidationError("密码须至少包含大写字母、小写字母、数字、符号中的三类。", code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类。"


class HistoryValidator:
    """不得与最近 N 次使用过的密码相同."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        recent = user.password_history.all()[: self.keep]
        if any(check_password(password, h.password) for h in recent):
            raise ValidationError(f"不能使用最近 {self.keep} 次用过的密码。", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能使用最近 {self.keep} 次用过的密码。"


def remember_password(user) -> None:
    """Store the current hash in the history (called after set_password, before/after save)."""
    from .models import PasswordHistory

    if not user.pk:
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(user.password_history.values_list("pk", flat=True)[10:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


# Django's own messages for these three are not translated into Chinese in 5.2; same rules, our words.
from django.contrib.auth import password_validation as _pv  # noqa: E402


class MinimumLengthValidator(_pv.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(_pv.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "密码与登录名、姓名或电子邮箱过于相似。"

    def get_help_text(self) -> str:
        return "密码不能与个人信息过于相似。"


class CommonPasswordValidator(_pv.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "密码太常见，容易被猜中。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"
