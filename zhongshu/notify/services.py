"""notify(): the one way modules tell people something. In-app rows now; e-mail and webhooks on commit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from zhongshu.core.errors import ServiceError
from zhongshu.core.faults import fault
from zhongshu.core.jobs import enqueue

from .models import Notification, WebhookEndpoint


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    level: str = Notification.Level.INFO,
    email: bool = True,
    webhook: bool = True,
    subject: Any = None,
) -> list[Notification]:
    """Create in-app notifications and schedule e-mail/webhook delivery after the transaction commits.

    `subject` is the business object the message is about. Its policy decides, per recipient, who may receive
    its title: a person below its classification (or one of the 三员) never does — they get the policy's redacted
    line instead when `settings.NOTIFY_UNCLEARED == "redact"`, and nothing otherwise (the default). A classified
    subject (秘密 and above) never leaves the platform: no e-mail, no group robot.
    """
    people = {p.pk: p for p in recipients if p is not None and getattr(p, "pk", None) and p.is_active}
    redacted: dict[int, Any] = {}
    if subject is not None:
        from zhongshu.access.policy import policy_for
        from zhongshu.core.classification import Classification

        policy = policy_for(subject)
        if policy is None:
            raise TypeError(f"{type(subject).__name__} 未登记访问策略，不能作为通知的事由")
        if policy.classification_of(subject) >= Classification.SECRET:
            email = webhook = False
        for pk, person in list(people.items()):
            if not policy.may_receive(person, subject):
                del people[pk]
                if getattr(settings, "NOTIFY_UNCLEARED", "drop") == "redact":
                    redacted[pk] = person
        line = policy.redacted(subject)
    rows = Notification.objects.bulk_create(
        [Notification(recipient=p, level=level, title=title[:200], body=body, url=url) for p in people.values()]
        + [Notification(recipient=p, level=level, title=f"您有一件{line}，请联系办公室", body="", url="") for p in redacted.values()]
    )
    ids = [n.pk for n in rows if n.pk and n.recipient_id in people]
    if not ids and people:  # backends without RETURNING ids (none we support, but stay safe)
        ids = list(Notification.objects.filter(recipient__in=people.values(), title=title[:200]).values_list("pk", flat=True))
    if email and ids:
        transaction.on_commit(lambda: enqueue("zhongshu.notify.tasks.deliver_email", ids))
    if webhook and people:
        org_ids = sorted({p.organization_id for p in people.values() if p.organization_id})
        endpoints = list(
            WebhookEndpoint.objects.filter(organization_id__in=org_ids, is_active=True).values_list("pk", "levels")
        )
        text = f"【{Notification.Level(level).label}】{title}" + (f"\n{body}" if body else "")
        for pk, levels in endpoints:
            if level in {x.strip() for x in levels.split(",")}:
                transaction.on_commit(partial(enqueue, "zhongshu.notify.tasks.deliver_webhook", pk, text))
    return rows


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def send_emails(ids: list[int]) -> int:
    sent = 0
    for n in Notification.objects.select_related("recipient").filter(pk__in=ids, emailed_at__isnull=True):
        if not n.recipient.email:
            continue
        send_mail(f"[中枢] {n.title}", n.body or n.title, settings.DEFAULT_FROM_EMAIL, [n.recipient.email], fail_silently=False)
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
        fault("notify.email")
    return sent


def webhook_request(endpoint: WebhookEndpoint, text: str, *, now_ms: int | None = None) -> urllib.request.Request:
    """Build the signed HTTP request for one endpoint (separate from sending, so it can be tested)."""
    now_ms = now_ms or int(time.time() * 1000)
    url = endpoint.url
    headers = {"Content-Type": "application/json; charset=utf-8"}
    payload: dict[str, Any]
    if endpoint.kind in (WebhookEndpoint.Kind.DINGTALK, WebhookEndpoint.Kind.WECOM):
        payload = {"msgtype": "text", "text": {"content": text}}
    else:
        payload = {"text": text, "sent_at": now_ms}
    body = json.dumps(payload, ensure_ascii=False).encode()
    if endpoint.secret:
        if endpoint.kind == WebhookEndpoint.Kind.DINGTALK:
            # DingTalk: sign = base64(HMAC-SHA256(secret, "timestamp\nsecret")), passed in the URL.
            to_sign = f"{now_ms}\n{endpoint.secret}".encode()
            sign = base64.b64encode(hmac.new(endpoint.secret.encode(), to_sign, hashlib.sha256).digest()).decode()
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}timestamp={now_ms}&sign={urllib.parse.quote_plus(sign)}"
        else:
            mac = hmac.new(endpoint.secret.encode(), f"{now_ms}.".encode() + body, hashlib.sha256).hexdigest()
            headers["X-Zhongshu-Timestamp"] = str(now_ms)
            headers["X-Zhongshu-Signature"] = f"sha256={mac}"
    return urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only: webhook_save)


def send_webhook(endpoint_id: int, text: str) -> str:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).first()
    if endpoint is None:
        return "skipped"
    req = webhook_request(endpoint, text)
    if not req.full_url.startswith(("https://", "http://")):
        raise ValueError("webhook URL must be http(s)")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (scheme checked above)  # noqa: S310 — webhook_save only admits http(s)
            status = f"{timezone.now():%Y-%m-%d %H:%M} HTTP {resp.status}"
    except Exception as exc:  # network errors are recorded on the endpoint, then the queue retries
        status = f"{timezone.now():%Y-%m-%d %H:%M} 失败：{exc}"[:200]
        WebhookEndpoint.objects.filter(pk=endpoint_id).update(last_status=status)
        raise
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(last_status=status)
    return status


def webhook_save(*, actor, organization, endpoint: WebhookEndpoint | None = None, **values) -> WebhookEndpoint:
    """新增或修改群机器人 Webhook (系统管理员)."""
    from zhongshu.access.permissions import has_perm
    from zhongshu.audit.services import record
    from zhongshu.core.errors import PermissionDenied

    if not has_perm(actor, "notify.manage"):
        raise PermissionDenied()
    endpoint = endpoint or WebhookEndpoint(organization=organization)
    for key in ("name", "kind", "url", "secret", "levels", "is_active"):
        if key in values:
            setattr(endpoint, key, values[key])
    if not (endpoint.url or "").startswith(("https://", "http://")):
        raise ServiceError("地址必须以 http:// 或 https:// 开头。", fields={"url": "地址必须以 http:// 或 https:// 开头。"})
    bad = {x.strip() for x in endpoint.levels.split(",") if x.strip()} - set(Notification.Level.values)
    if bad:
        raise ServiceError("推送级别无效：" + "、".join(sorted(bad)), fields={"levels": "推送级别无效。"})
    with transaction.atomic():
        created = endpoint.pk is None
        endpoint.save()
        record(actor=actor, action="notify.webhook_save", target=endpoint, after={"name": endpoint.name, "url": endpoint.url, "created": created})
    return endpoint
