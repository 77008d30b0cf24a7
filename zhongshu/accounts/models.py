"""Password history (密码历史) for the 'do not reuse recent passwords' rule of 等级保护 level 3."""

from django.db import models
from django.utils import timezone


class PasswordHistory(models.Model):
    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)  # the hash, never the password
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"密码历史 {self.user_id}"


class ApiToken(models.Model):
    """API 令牌: one per named device, expiring; only the SHA-256 of the token is stored."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("设备名称", max_length=60)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token, never the token
    prefix = models.CharField("令牌开头", max_length=12)  # its first characters, so the owner can tell them apart
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间", db_index=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="apitoken_one_per_device")]

    def __str__(self) -> str:
        return f"API 令牌 {self.name}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PasswordActivation(models.Model):
    """账号激活 / 密码重置: a one-time, expiring code that only the person receives.

    Requested by the system administrator, approved by the security administrator (PASSWORD_RESET_NEEDS_APPROVAL),
    then e-mailed to the person, or — without e-mail — printed in two sealed envelopes, the first half by the
    system administrator, the second by the security administrator. Only keyed hashes of the halves are stored.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        ISSUED = "issued", "已签发"
        USED = "used", "已使用"
        REJECTED = "rejected", "已驳回"
        CANCELLED = "cancelled", "已作废"

    class Delivery(models.TextChoices):
        EMAIL = "email", "电子邮件"
        ENVELOPE = "envelope", "密码信封"

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="activations")
    reason = models.CharField("事由", max_length=200, blank=True)
    delivery = models.CharField("交付方式", max_length=10, choices=Delivery.choices)
    email = models.CharField("发送邮箱", max_length=254, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    part_a_digest = models.CharField(max_length=64, blank=True)
    part_b_digest = models.CharField(max_length=64, blank=True)
    part_a_printed_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    part_a_printed_at = models.DateTimeField("第一联打印时间", null=True, blank=True)
    part_b_printed_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    part_b_printed_at = models.DateTimeField("第二联打印时间", null=True, blank=True)
    handed_over_by = models.CharField("交付人", max_length=60, blank=True)
    handed_over_at = models.DateTimeField("交付时间", null=True, blank=True)
    handover_recorded_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"账号激活 {self.user_id}"

    @property
    def expired(self) -> bool:
        return self.status == self.Status.ISSUED and self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        return "已过期" if self.expired else self.get_status_display()

    @property
    def open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ISSUED) and not self.expired
