"""Notifications (消息提醒): in-app rows, e-mail, and group-robot webhooks (企业微信/钉钉 style)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内消息. Written in the same transaction as the change that causes it; e-mail/webhook go after commit."""

    class Level(models.TextChoices):
        INFO = "info", _("通知")
        REMINDER = "reminder", _("提醒")
        URGENT = "urgent", _("催办")
        WARNING = "warning", _("预警")

    recipient = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="notifications")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class WebhookEndpoint(models.Model):
    """An organization's group robot. `secret` signs each message (DingTalk-style or HMAC header)."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")
        GENERIC = "generic", _("通用 Webhook（HMAC 签名）")

    organization = models.ForeignKey("org.Organization", on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.GENERIC)
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    levels = models.CharField(_("推送级别"), max_length=100, default="urgent,warning", help_text=_("逗号分隔：info, reminder, urgent, warning"))
    is_active = models.BooleanField(_("启用"), default=True)
    last_status = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["organization", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="webhook_unique_name")]

    def __str__(self) -> str:
        return self.name
