"""Daily job: remind people whose password expires within 7 days (等级保护: periodic change)."""

import datetime

from django.conf import settings
from django.utils import timezone


def remind_password_expiry() -> int:
    from zhongshu.notify.services import notify
    from zhongshu.org.models import User

    if settings.PASSWORD_MAX_AGE_DAYS <= 0:
        return 0
    now = timezone.now()
    window_start = now - datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    window_end = window_start + datetime.timedelta(days=7)
    people = list(User.objects.filter(is_active=True, password_changed_at__gt=window_start, password_changed_at__lte=window_end))
    for person in people:
        expires = timezone.localdate(person.password_changed_at + datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS))
        notify(
            recipients=[person], title=f"您的密码将于 {expires:%Y年%m月%d日} 过期", body="请及时修改密码。",
            url="/accounts/password/", level="reminder", webhook=False,
        )
    return len(people)
