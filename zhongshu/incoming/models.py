"""收文 (incoming documents): 公文交换 from organizations on the platform and manual registration of paper,
fax or e-mail documents; 签收, 退文, 收文编号 and the 收文登记簿 (条例 Art. 24)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification


class IncomingDocument(models.Model):
    class Source(models.TextChoices):
        EXCHANGE = "exchange", _("公文交换")
        PAPER = "paper", _("纸质")
        FAX = "fax", _("传真")
        EMAIL = "email", _("电子邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        RECEIVED = "received", _("已签收")
        RETURNED = "returned", _("已退文")
        HANDLING = "handling", _("办理中")
        CLOSED = "closed", _("已办结")

    organization = models.ForeignKey("org.Organization", verbose_name=_("收文机关"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    outgoing = models.ForeignKey("outgoing.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    distribution = models.OneToOneField("outgoing.Distribution", null=True, blank=True, on_delete=models.PROTECT, related_name="delivery")
    sender_organ = models.ForeignKey("org.ExternalOrgan", verbose_name=_("来文单位（通讯录）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sender_name = models.CharField(_("来文单位"), max_length=100)
    doc_number = models.CharField(_("来文字号"), max_length=60, blank=True)
    doc_number_valid = models.BooleanField(_("字号格式规范"), default=True)
    title = models.CharField(_("标题"), max_length=200)
    doc_type = models.CharField(_("文种"), max_length=8, blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.PUBLIC)
    copy_no = models.CharField(_("份号"), max_length=6, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=4, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("份数"), default=1)
    received_on = models.DateField(_("收文日期"), null=True, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    body = models.TextField(_("正文"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_serial = models.PositiveIntegerField(null=True, blank=True)
    registered_by = models.ForeignKey("org.User", verbose_name=_("签收/登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("签收/登记时间"), null=True, blank=True)
    return_reason = models.CharField(_("退文理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("收文")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["organization", "status", "-created_at"], name="incoming_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number_year", "number_serial"], condition=Q(number_serial__isnull=False), name="incoming_number_unique"
            ),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="incoming_classification_valid"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(return_reason=""), name="incoming_return_has_reason"),
        ]

    class Access:
        area = "incoming"
        organization_field = "organization"
        classification_field = "classification"

        @staticmethod
        def need_to_know(user) -> Q:
            from zhongshu.access.permissions import has_perm

            # The office registers and distributes every incoming document (收文 is centrally managed);
            # others see one when the flow or an explicit grant brings it to them.
            if has_perm(user, "incoming.register"):
                return Q(pk__isnull=False)
            return Q(registered_by_id=user.pk)

    def __str__(self) -> str:
        return f"{self.receipt_number or '（未编号）'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incoming:detail", args=[self.pk])

    @property
    def receipt_number(self) -> str:
        """收文编号, e.g. 收〔2026〕15号."""
        return f"收〔{self.number_year}〕{self.number_serial}号" if self.number_serial else ""


class ReceiptSequence(models.Model):
    """收文编号 counter per organization per year (locked row, gapless like 发文字号)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="receipt_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.year}:{self.last_serial}"
