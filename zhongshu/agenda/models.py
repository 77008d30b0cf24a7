"""A person's calendar subscription (订阅链接): a secret token, stored hashed, revocable."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class CalendarToken(models.Model):
    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the token; the token itself is shown once
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="agenda_one_live_token")]

    def __str__(self) -> str:
        return f"日程订阅 {self.user_id}"
