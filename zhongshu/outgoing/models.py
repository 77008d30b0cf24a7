"""发文 (outgoing documents): the 发文稿纸 and its text versions, 发文字号 numbering and the 发文登记簿."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import MAX_SECRECY_YEARS, Classification


class DocType(models.TextChoices):
    """The 15 文种 of the 条例 (Art. 8)."""

    RESOLUTION = "决议", _("决议")
    DECISION = "决定", _("决定")
    ORDER = "命令（令）", _("命令（令）")
    COMMUNIQUE = "公报", _("公报")
    ANNOUNCEMENT = "公告", _("公告")
    PUBLIC_NOTICE = "通告", _("通告")
    OPINION = "意见", _("意见")
    NOTICE = "通知", _("通知")
    BULLETIN = "通报", _("通报")
    REPORT = "报告", _("报告")
    REQUEST = "请示", _("请示")
    REPLY = "批复", _("批复")
    MOTION = "议案", _("议案")
    LETTER = "函", _("函")
    MINUTES = "纪要", _("纪要")


class Direction(models.TextChoices):
    """行文方向: decides the routing rules (上行文 needs 签发人, one 主送, no 抄送 downward)."""

    UP = "up", _("上行文")
    DOWN = "down", _("下行文")
    PARALLEL = "parallel", _("平行文")
    PUBLISHED = "published", _("公布性")


# The usual direction of each type (spec table); 意见 and 通知 can go several ways, so the drafter may change it.
DEFAULT_DIRECTION = {
    DocType.REPORT: Direction.UP, DocType.REQUEST: Direction.UP, DocType.MOTION: Direction.UP,
    DocType.LETTER: Direction.PARALLEL, DocType.COMMUNIQUE: Direction.PUBLISHED, DocType.ANNOUNCEMENT: Direction.PUBLISHED,
    DocType.PUBLIC_NOTICE: Direction.PUBLISHED,
}


class Format(models.TextChoices):
    STANDARD = "standard", _("文件格式")
    LETTER = "letter", _("信函格式")
    ORDER = "order", _("命令（令）格式")
    MINUTES = "minutes", _("纪要格式")


class Urgency(models.TextChoices):
    NONE = "", _("无")
    URGENT = "加急", _("加急")
    EXTRA_URGENT = "特急", _("特急")


class Publicity(models.TextChoices):
    """公开属性."""

    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_PUBLIC = "not_public", _("不予公开")


class OutgoingDocument(models.Model):
    """发文: one document from the 发文稿纸 to distribution."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟稿")
        REVIEWING = "reviewing", _("审核中")
        SIGNED = "signed", _("已签发")
        NUMBERED = "numbered", _("已编号")
        PRINTED = "printed", _("已印制")
        SEALED = "sealed", _("已用印")
        DISTRIBUTED = "distributed", _("已分发")
        FILED = "filed", _("已归档")
        CANCELLED = "cancelled", _("已作废")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("文种"), max_length=8, choices=DocType.choices)
    format = models.CharField(_("版式"), max_length=10, choices=Format.choices, default=Format.STANDARD)
    direction = models.CharField(_("行文方向"), max_length=10, choices=Direction.choices, default=Direction.DOWN)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.PUBLIC)
    secrecy_period = models.CharField(_("保密期限"), max_length=20, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=4, choices=Urgency.choices, blank=True, default="")
    copies = models.PositiveIntegerField(_("份数"), default=1)
    publicity = models.CharField(_("公开属性"), max_length=12, choices=Publicity.choices, default=Publicity.ACTIVE)
    main_recipients = models.ManyToManyField("org.ExternalOrgan", verbose_name=_("主送机关"), blank=True, related_name="+")
    cc_recipients = models.ManyToManyField("org.ExternalOrgan", verbose_name=_("抄送机关"), blank=True, related_name="+")
    countersign_departments = models.ManyToManyField("org.Department", verbose_name=_("会签单位"), blank=True, related_name="+")
    attachment_names = models.JSONField(_("附件说明"), default=list, blank=True)
    note = models.CharField(_("附注"), max_length=100, blank=True)
    drafting_department = models.ForeignKey("org.Department", verbose_name=_("拟稿单位"), null=True, on_delete=models.PROTECT, related_name="+")
    drafter = models.ForeignKey("org.User", verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+")
    signers = models.ManyToManyField("org.User", verbose_name=_("签发人"), blank=True, related_name="+")
    doc_prefix = models.CharField(_("机关代字"), max_length=20, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_serial = models.PositiveIntegerField(null=True, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=40, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    needs_resign = models.BooleanField(_("签发后实质性修改，待重新签发"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("发文")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["organization", "status", "-created_at"], name="outgoing_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "doc_prefix", "number_year", "number_serial"],
                condition=Q(number_serial__isnull=False), name="outgoing_number_unique",
            ),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="outgoing_classification_valid"),
            models.CheckConstraint(condition=Q(copies__gte=1), name="outgoing_copies_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number or '（未编号）'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("outgoing:detail", args=[self.pk])

    @property
    def is_upward(self) -> bool:
        return self.direction == Direction.UP

    @property
    def marking(self) -> str:
        if self.classification < Classification.SECRET:
            return ""
        level = Classification(self.classification)
        return f"{level.label}★{self.secrecy_period or str(MAX_SECRECY_YEARS[level]) + '年'}"


class JointIssuer(models.Model):
    """联合发文机关: another organ issuing the document jointly; the document's own organization is the lead
    (主办) organ and numbers it. Each joint organ agrees (会签) before numbering — on the platform by one of
    its leaders, or, for an organ outside the platform, as recorded by the lead office after a paper 会签."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待会签")
        AGREED = "agreed", _("已会签")
        DECLINED = "declined", _("不同意")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="joint_issuers")
    organ = models.ForeignKey("org.ExternalOrgan", verbose_name=_("联合发文机关"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("会签状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    offline = models.BooleanField(_("线下会签"), default=False)
    decided_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.CharField(_("会签意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("联合发文机关")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["document", "organ"], name="joint_issuer_once"),
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(opinion=""), name="joint_decline_has_opinion"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.get_status_display()}"


class DocumentVersion(models.Model):
    """Every saved text of a document (title + body), numbered from 1; compared in the diff view."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("修改说明"), max_length=200, blank=True)
    after_sign_off = models.BooleanField(default=False)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class NumberSequence(models.Model):
    """The counter of one 机关代字 in one year; locked row by row so concurrent sign-offs never collide."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "prefix", "year"], name="sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_serial}"


class NumberRecord(models.Model):
    """发文登记簿: each issued serial once — assigned to a document, reserved, or voided (never reused)."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("预留")
        ASSIGNED = "assigned", _("已使用")
        VOIDED = "voided", _("已作废")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(_("机关代字"), max_length=20)
    year = models.PositiveIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    document = models.OneToOneField(OutgoingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="number_record")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey("org.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "prefix", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "prefix", "year", "serial"], name="number_record_unique"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="number_record_serial_positive"),
        ]

    def __str__(self) -> str:
        return format_number(self.prefix, self.year, self.serial)


class Distribution(models.Model):
    """分发记录: one copy to one recipient, with its 份号 (6 digits, required for classified documents)."""

    class Channel(models.TextChoices):
        PLATFORM = "platform", _("平台内电子交换")
        PACKAGE = "package", _("下载包（平台外）")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="distributions")
    recipient = models.ForeignKey("org.ExternalOrgan", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("主送/抄送"), max_length=4, choices=[("main", "主送"), ("cc", "抄送")])
    copy_no = models.CharField(_("份号"), max_length=6)
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    platform_organization = models.ForeignKey("org.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    distributed_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    distributed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "copy_no"]
        constraints = [
            models.UniqueConstraint(fields=["document", "copy_no"], name="distribution_unique_copy"),
            models.UniqueConstraint(fields=["document", "recipient"], name="distribution_unique_recipient"),
            models.CheckConstraint(condition=Q(copy_no__regex=r"^[0-9]{6}$"), name="distribution_copy_no_6_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.copy_no} → {self.recipient}"


def format_number(prefix: str, year: int, serial: int) -> str:
    """发文字号 per GB/T 9704: 代字〔年份〕序号号 — 六角括号, full year, no 第, no leading zero."""
    return f"{prefix}〔{year}〕{serial}号"
