"""审计日志: append-only, hash-chained entries written by services in the same transaction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One audited event. No foreign keys: names are snapshotted so the chain never depends on other rows.

    `hash` = H(canonical payload including `prev_hash`), H being SM3 (or SHA-256 where the local OpenSSL
    lacks SM3 — `hash_algo` says which). PostgreSQL triggers refuse UPDATE and DELETE (migration 0002).
    """

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("操作人"), max_length=80, blank=True)
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True)
    on_behalf_of_name = models.CharField(_("被代理人"), max_length=80, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), default=0)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    hash_algo = models.CharField(max_length=10)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """The single row holding the last sequence number and hash; locked to serialise appends.

    It also lets `audit verify` notice that the newest entries were deleted.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="chainhead_singleton")]

    def __str__(self) -> str:
        return f"审计链头 #{self.last_seq}"
