"""Subscription tokens and the iCalendar (RFC 5545) text of a person's events."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from zhongshu.audit.services import record
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied

from .models import CalendarToken
from .registry import Event, events_for

FEED_PAST = datetime.timedelta(days=30)
FEED_FUTURE = datetime.timedelta(days=180)
HIDDEN_TITLE = "涉密事项（详情请登录平台查看）"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, actor) -> str:
    """A new subscription token for the actor (the previous one stops working). Returns the token, shown once."""
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.admin_role or actor.organization_id is None:
        raise PermissionDenied("只有业务人员可以订阅日程。")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        row = CalendarToken.objects.create(user=actor, digest=_digest(token))
        record(actor=actor, action="agenda.token_create", target=row)
    return token


def token_revoke(*, actor) -> int:
    with transaction.atomic():
        rows = list(CalendarToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True))
        for row in rows:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            record(actor=actor, action="agenda.token_revoke", target=row)
    return len(rows)


def token_user(token: str):
    """The person of a live token, or None (and the use is remembered)."""
    if not token or len(token) > 100:
        return None
    row = CalendarToken.objects.select_related("user").filter(digest=_digest(token), revoked_at__isnull=True).first()
    if row is None or not row.user.is_active:
        return None
    CalendarToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user


def has_token(user) -> bool:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines longer than 75 octets are folded (without splitting a UTF-8 character)."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode())
        if size + n > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return [out[0], *[" " + part for part in out[1:]]]


def _utc(dt: datetime.datetime) -> str:
    return dt.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(events: list[Event], *, name: str, base_url: str = "") -> str:
    """The events as an iCalendar file. Classified (秘密 and above) events never leave with their title or place."""
    now = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Zhongshu//Agenda//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for e in events:
        hidden = e.classification >= Classification.SECRET
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{now}", f"DTSTART:{_utc(e.start)}", f"DTEND:{_utc(e.end)}",
                  f"SUMMARY:{_escape(HIDDEN_TITLE if hidden else e.title)}"]
        if e.location and not hidden:
            lines.append(f"LOCATION:{_escape(e.location)}")
        if e.url and base_url:
            lines.append(f"URL:{base_url.rstrip('/')}{e.url}")
        if hidden:
            lines.append("CLASS:CONFIDENTIAL")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded: list[str] = []
    for line in lines:
        folded.extend(_fold(line))
    return "\r\n".join(folded) + "\r\n"


def feed_for(user, *, base_url: str = "") -> str:
    now = timezone.now()
    return to_ics(events_for(user, now - FEED_PAST, now + FEED_FUTURE), name=f"{user.display_name}的日程", base_url=base_url)
