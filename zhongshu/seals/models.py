"""印章 and 介绍信: the seal register (physical and electronic seals, their lifecycle and keepers), 用印申请 and the
append-only 用印登记簿, 外借, and the serial-numbered 介绍信 with their stubs (spec affairs.md §Seals)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification

# Default kinds of a new organization's register (configurable per organization in SealKind).
DEFAULT_KINDS = [
    ("official", "公章"), ("party", "党委章"), ("contract", "合同专用章"), ("finance", "财务专用章"),
    ("invoice", "发票专用章"), ("legal_rep", "法定代表人名章"), ("personnel", "人事专用章"), ("steel", "钢印"),
    ("department", "部门印章"),
]


class SealKind(models.Model):
    """印章种类 of an organization (defaults above; an administrator of the office may add more)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organization", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="seal_kind_code_once")]

    def __str__(self) -> str:
        return self.name


class Seal(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("刻制申请")
        MADE = "made", _("已刻制")
        ACTIVE = "active", _("在用")
        SUSPENDED = "suspended", _("停用")
        SEALED_AWAY = "sealed_away", _("封存")
        DESTROYED = "destroyed", _("销毁")
        LOST = "lost", _("挂失")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(SealKind, verbose_name=_("种类"), on_delete=models.PROTECT, related_name="seals")
    name = models.CharField(_("印文"), max_length=60, help_text=_("印章上刻的文字"))
    department = models.ForeignKey("org.Department", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("空为本机关"))
    electronic = models.BooleanField(_("电子印章"), default=False)
    keeper = models.ForeignKey("org.User", verbose_name=_("保管人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    storage = models.CharField(_("存放地点"), max_length=100, blank=True)
    impression = models.ForeignKey("core.Attachment", verbose_name=_("印模"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    engraver = models.CharField(_("刻制单位"), max_length=100, blank=True)
    filing_number = models.CharField(_("公安备案号"), max_length=60, blank=True)
    reason = models.CharField(_("刻制事由"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    # Electronic seals (GB/T 38540-2020): esID, validity, the key material reference and the certificate.
    es_id = models.CharField(_("电子印章标识 esID"), max_length=64, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    key_reference = models.CharField(_("密钥引用"), max_length=200, blank=True, help_text=_("签章密钥所在的设备或服务标识，不保存密钥本身"))
    certificate_subject = models.CharField(_("证书主题"), max_length=200, blank=True)
    certificate_serial = models.CharField(_("证书序列号"), max_length=64, blank=True)
    certificate_issuer = models.CharField(_("证书颁发者"), max_length=200, blank=True)
    enabled_on = models.DateField(_("启用日期"), null=True, blank=True)
    lost_on = models.DateField(_("挂失日期"), null=True, blank=True)
    void_statement = models.TextField(_("作废声明"), blank=True)
    enable_notice = models.ForeignKey("outgoing.OutgoingDocument", verbose_name=_("启用通知"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey("org.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "kind__order", "id"]
        verbose_name = _("印章")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["organization", "status"], name="seal_org_status")]
        constraints = [
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="seal_classification_valid"),
            models.CheckConstraint(condition=~Q(status="lost") | Q(lost_on__isnull=False), name="seal_lost_has_date"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="seal_validity_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("seals:detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        return self.department.name if self.department is not None else self.organization.name

    def expired(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return bool((self.valid_until and day > self.valid_until) or (self.valid_from and day < self.valid_from))


class SealEvent(models.Model):
    """The seal's history (刻制, 启用, 交接, 停用, 封存, 销毁, 挂失 …): append-only (PostgreSQL trigger)."""

    class Kind(models.TextChoices):
        APPLY = "apply", _("刻制申请")
        MAKE = "make", _("刻制")
        ENABLE = "enable", _("启用")
        HANDOVER = "handover", _("交接")
        SUSPEND = "suspend", _("停用")
        SEAL_AWAY = "seal_away", _("封存")
        DESTROY = "destroy", _("销毁")
        LOST = "lost", _("挂失")
        LOAN_OUT = "loan_out", _("外借")
        LOAN_BACK = "loan_back", _("归还")

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_keeper = models.ForeignKey("org.User", verbose_name=_("移交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_keeper = models.ForeignKey("org.User", verbose_name=_("接收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    witnesses = models.CharField(_("见证人"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    day = models.DateField(_("日期"), default=timezone.localdate)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.seal_id} {self.get_kind_display()}"


class Matter(models.TextChoices):
    """用印事项 (the rules may differ by matter)."""

    CONTRACT = "contract", _("合同协议")
    DOCUMENT = "document", _("公文函件")
    CERTIFICATE = "certificate", _("证明材料")
    REPORT = "report", _("对外报送材料")
    OTHER = "other", _("其他")


class ApproverKind(models.TextChoices):
    DEPT_HEAD = "dept_head", _("申请部门负责人")
    DEPT_LEADER = "dept_leader", _("分管领导")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    PRINCIPAL = "principal", _("主要负责人")
    PERSON = "person", _("指定人员")


class ApprovalRule(models.Model):
    """用印审批规则: seal kind (empty: any) × matter (empty: any) → one approver, in order. Every matching rule adds its
    approver to the request's 用印审批 step (e.g. 合同专用章 → 法律顾问 (a named person) and 分管领导)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(SealKind, verbose_name=_("印章种类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    matter = models.CharField(_("用印事项"), max_length=12, choices=Matter.choices, blank=True)
    approver = models.CharField(_("审批人"), max_length=16, choices=ApproverKind.choices)
    person = models.ForeignKey("org.User", verbose_name=_("指定人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("称谓"), max_length=20, blank=True, help_text=_("如“法律顾问”"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["organization", "order", "id"]
        constraints = [models.CheckConstraint(condition=~Q(approver="person") | Q(person__isnull=False), name="seal_rule_person_named")]

    def __str__(self) -> str:
        return self.label or self.get_approver_display()


class UseRequest(models.Model):
    """用印申请: a named document or matter (never a blank form), the seal(s), copies, purpose."""

    class Status(models.TextChoices):
        PENDING = "pending", _("审批中")
        APPROVED = "approved", _("已批准")
        STAMPED = "stamped", _("已用印")
        ENDED = "ended", _("已撤回/终止")

    class Mode(models.TextChoices):
        FLOW = "flow", _("流程审批")
        PHONE = "phone", _("电话审批（事后确认）")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey("org.User", verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("用印单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    matter = models.CharField(_("用印事项"), max_length=12, choices=Matter.choices)
    document_title = models.CharField(_("用印文件"), max_length=200)
    copies = models.PositiveSmallIntegerField(_("份数"))
    purpose = models.CharField(_("用途"), max_length=300)
    seals = models.ManyToManyField(Seal, verbose_name=_("印章"), related_name="requests")
    urgent = models.BooleanField(_("紧急"), default=False)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField(_("审批方式"), max_length=6, choices=Mode.choices, default=Mode.FLOW)
    phone_approver = models.ForeignKey("org.User", verbose_name=_("电话审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone_note = models.CharField(_("电话审批记录"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("审批确认时间"), null=True, blank=True)
    approvers = models.CharField(_("审批人"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("用印申请")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["organization", "status"], name="seal_request_org_status")]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="seal_request_copies_positive"),
            models.CheckConstraint(condition=~Q(document_title=""), name="seal_request_names_document"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="seal_request_classification_valid"),
            models.CheckConstraint(condition=~Q(mode="phone") | Q(phone_approver__isnull=False), name="seal_request_phone_names_approver"),
        ]

    def __str__(self) -> str:
        return self.document_title

    def get_absolute_url(self) -> str:
        return reverse("seals:request", args=[self.pk])


class UseRecord(models.Model):
    """用印登记 (unit, handler, document, copies, seal, approvers, date, witness): append-only on PostgreSQL.
    Written by the keeper for an approved request, or by 发文's 用印 step for an issued document (with its 文号)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT, related_name="records")
    request = models.ForeignKey(UseRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    outgoing = models.ForeignKey("outgoing.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("用印单位"), max_length=100)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey("org.User", verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    document_title = models.CharField(_("用印文件"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    copies = models.PositiveSmallIntegerField(_("份数"))
    approvers = models.CharField(_("审批人"), max_length=300)
    witness = models.CharField(_("监印人"), max_length=40, blank=True)
    keeper = models.ForeignKey("org.User", verbose_name=_("用印人"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("用印日期"))
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("用印登记")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["organization", "-day"], name="seal_record_org_day"),
                   models.Index(fields=["seal", "-day"], name="seal_record_seal_day")]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="seal_record_copies_positive"),
            models.CheckConstraint(condition=Q(request__isnull=False) | Q(outgoing__isnull=False), name="seal_record_has_basis"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="seal_record_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.seal} {self.document_title}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url() if self.request is not None else self.seal.get_absolute_url()


class SealLoan(models.Model):
    """外借: approval, who carries it and who accompanies, expected return; the seal is unavailable while out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        REJECTED = "rejected", _("未批准")
        OUT = "out", _("已借出")
        RETURNED = "returned", _("已归还")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT, related_name="loans")
    requester = models.ForeignKey("org.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    carrier = models.ForeignKey("org.User", verbose_name=_("携带人"), on_delete=models.PROTECT, related_name="+")
    companion = models.ForeignKey("org.User", verbose_name=_("陪同人"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("事由"), max_length=300)
    destination = models.CharField(_("前往地点"), max_length=100)
    expected_return = models.DateField(_("预计归还日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("org.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    out_at = models.DateTimeField(_("借出时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催还"), null=True, blank=True)
    escalated_on = models.DateField(_("上报日期"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("印章外借")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["seal"], condition=Q(status="out"), name="seal_loan_one_out"),
            models.CheckConstraint(condition=~Q(carrier=models.F("companion")), name="seal_loan_companion_differs"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="seal_loan_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.seal} 外借"

    def get_absolute_url(self) -> str:
        return reverse("seals:loan", args=[self.pk])


class LetterSequence(models.Model):
    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="seal_letter_sequence_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.last_serial}"


class IntroLetter(models.Model):
    """介绍信 and its 存根: one gapless serial per organization and year; every serial's fate is on the register."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("已开具")
        USED = "used", _("已使用")
        VOIDED = "voided", _("已作废")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("编号"))
    holder = models.CharField(_("持信人"), max_length=60)
    holder_count = models.PositiveSmallIntegerField(_("人数"), default=1)
    holder_title = models.CharField(_("职务"), max_length=40, blank=True)
    receiving_unit = models.CharField(_("接收单位"), max_length=100)
    matter = models.CharField(_("事由"), max_length=300)
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ISSUED)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    issued_by = models.ForeignKey("org.User", verbose_name=_("开具人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("开具日期"), default=timezone.localdate)
    closed_at = models.DateTimeField(null=True, blank=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = _("介绍信")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "serial"], name="seal_letter_serial_once"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="seal_letter_serial_positive"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("issued_on")), name="seal_letter_validity_after_issue"),
            models.CheckConstraint(condition=~Q(status="voided") | ~Q(void_reason=""), name="seal_letter_void_has_reason"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="seal_letter_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"介绍信 {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("seals:letter", args=[self.pk])

    @property
    def number(self) -> str:
        return f"〔{self.year}〕{self.serial}号"

    @property
    def title(self) -> str:
        """What a register line or a notification calls the letter."""
        return f"介绍信{self.number}：{self.receiving_unit} {self.matter}"

    def fate(self, day: datetime.date | None = None) -> str:
        """What became of the serial: 已作废 (with reason), 已使用, 已过期（作废）, or 有效."""
        day = day or timezone.localdate()
        if self.status == self.Status.VOIDED:
            return f"已作废（{self.void_reason}）"
        if self.status == self.Status.USED:
            return "已使用"
        return "已过期（作废）" if day > self.valid_until else "有效"
