"""档案 (archives): items (件) filed from finished 发文/收文 per DA/T 22-2015, their files, loans (借阅/查阅),
appraisal (鉴定), the destruction register (销毁清册), transfers (移交) and year-end batch filing.

档号 = 全宗号-门类代码·年度-保管期限-机构（问题）代码-件号, e.g. 0194-WS·2026-D30-BGS-0001; 件号 is gapless
within its lowest class (全宗, 门类, 年度, 保管期限, 机构) and the database refuses a duplicate.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification
from zhongshu.org.roles import Role

CODE_RE = r"^[0-9A-Z]{1,6}$"
FONDS_RE = r"^[0-9A-Z]{4}$"


class Retention(models.TextChoices):
    """保管期限 (DA/T 22-2015): 永久, 定期30年, 定期10年 — "长期/短期" are obsolete."""

    PERMANENT = "Y", _("永久")
    D30 = "D30", _("定期30年")
    D10 = "D10", _("定期10年")


RETENTION_YEARS = {Retention.PERMANENT: None, Retention.D30: 30, Retention.D10: 10}
# The short form printed in the 归档章 cell.
RETENTION_STAMP = {Retention.PERMANENT: "永久", Retention.D30: "30年", Retention.D10: "10年"}


class Source(models.TextChoices):
    OUTGOING = "outgoing", _("发文")
    INCOMING = "incoming", _("收文")


class ArchiveSettings(models.Model):
    """档案设置 of one organization: 全宗号, 全宗名称, 门类代码 and the approval rules.

    The approval rules (who approves a loan by 密级, who approves a destruction) follow 《机关档案管理规定》
    only in outline — the exact article wording is unconfirmed in our spec — so they are settings here.
    """

    organization = models.OneToOneField("org.Organization", on_delete=models.PROTECT, related_name="archive_settings")
    fonds_code = models.CharField(_("全宗号"), max_length=4)
    fonds_name = models.CharField(_("全宗名称"), max_length=100)
    category_code = models.CharField(_("门类代码"), max_length=4, default="WS")
    default_unit_code = models.CharField(_("默认机构（问题）代码"), max_length=6, default="BGS")
    loan_days = models.PositiveSmallIntegerField(_("默认借阅天数"), default=14)
    director_from = models.PositiveSmallIntegerField(
        _("自此密级起由上级审批人审批"), choices=Classification.choices, default=Classification.SECRET
    )
    lower_approver_role = models.CharField(_("一般借阅审批角色"), max_length=20, choices=Role.choices, default=Role.ARCHIVIST)
    upper_approver_role = models.CharField(_("涉密借阅审批角色"), max_length=20, choices=Role.choices, default=Role.OFFICE_DIRECTOR)
    destruction_approver_role = models.CharField(_("销毁审批角色（机关负责人）"), max_length=20, choices=Role.choices, default=Role.LEADER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("档案设置")
        constraints = [
            models.CheckConstraint(condition=Q(fonds_code__regex=FONDS_RE), name="archives_settings_fonds_4"),
            models.CheckConstraint(condition=Q(category_code__regex=r"^[A-Z]{1,4}$"), name="archives_settings_category"),
            models.CheckConstraint(condition=Q(default_unit_code__regex=CODE_RE), name="archives_settings_unit"),
            models.CheckConstraint(condition=Q(loan_days__gte=1, loan_days__lte=90), name="archives_settings_loan_days"),
        ]

    def __str__(self) -> str:
        return f"{self.fonds_code} {self.fonds_name}"


class UnitCode(models.Model):
    """机构（问题）代码 of one department in the 档号 (overrides the department's own code)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    department = models.OneToOneField("org.Department", on_delete=models.CASCADE, related_name="archive_unit_code")
    code = models.CharField(_("机构（问题）代码"), max_length=6)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(code__regex=CODE_RE), name="archives_unit_code_valid")]

    def __str__(self) -> str:
        return self.code


class RetentionRule(models.Model):
    """A suggestion rule for 保管期限: the first matching rule (by order) wins; the archivist confirms."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(_("顺序"), default=100)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, blank=True, default="")
    doc_type = models.CharField(_("文种"), max_length=8, blank=True, default="")
    keyword = models.CharField(_("标题关键词"), max_length=40, blank=True, default="")
    retention = models.CharField(_("保管期限"), max_length=3, choices=Retention.choices)

    class Meta:
        ordering = ["organization", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(retention__in=Retention.values), name="archives_rule_retention_valid")]

    def __str__(self) -> str:
        return f"{self.source or '任意'}/{self.doc_type or '任意'}/{self.keyword or '—'} → {self.retention}"


class ItemSequence(models.Model):
    """件号 counter of one lowest class (全宗, 门类, 年度, 保管期限, 机构); locked while incremented."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    fonds_code = models.CharField(max_length=4)
    category_code = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    retention = models.CharField(max_length=3)
    unit_code = models.CharField(max_length=6)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "fonds_code", "category_code", "year", "retention", "unit_code"], name="archives_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fonds_code}-{self.category_code}·{self.year}-{self.retention}-{self.unit_code}: {self.last_serial}"


class ArchiveItem(models.Model):
    """件: one filed document (body + attachments; for 发文 the signed original + final draft) with its 档号."""

    class Status(models.TextChoices):
        FILED = "filed", _("已归档")
        TO_DESTROY = "to_destroy", _("拟销毁")
        DESTROYED = "destroyed", _("已销毁")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    outgoing = models.OneToOneField("outgoing.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="archive_item")
    incoming = models.OneToOneField("incoming.IncomingDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="archive_item")
    fonds_code = models.CharField(_("全宗号"), max_length=4)
    category_code = models.CharField(_("门类代码"), max_length=4)
    year = models.PositiveIntegerField(_("年度"))
    retention = models.CharField(_("保管期限"), max_length=3, choices=Retention.choices)
    unit_code = models.CharField(_("机构（问题）代码"), max_length=6)
    item_number = models.PositiveIntegerField(_("件号"))
    archival_code = models.CharField(_("档号"), max_length=40)
    title = models.CharField(_("题名"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    doc_type = models.CharField(_("文种"), max_length=8, blank=True)
    responsible = models.CharField(_("责任者"), max_length=100)
    date = models.DateField(_("日期"))
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.PUBLIC)
    secrecy_period = models.CharField(_("保密期限"), max_length=20, blank=True)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    department = models.ForeignKey("org.Department", verbose_name=_("机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    expires_on = models.DateField(_("保管期满日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.FILED)
    filed_by = models.ForeignKey("org.User", verbose_name=_("归档人"), on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("归档时间"), default=timezone.now)
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "retention", "unit_code", "item_number"]
        verbose_name = _("档案")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["organization", "year", "retention", "unit_code", "item_number"], name="archives_item_catalogue"),
            models.Index(fields=["organization", "status", "expires_on"], name="archives_item_expiry"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "archival_code"], name="archives_item_code_unique"),
            models.UniqueConstraint(
                fields=["organization", "fonds_code", "category_code", "year", "retention", "unit_code", "item_number"], name="archives_item_number_unique"
            ),
            models.CheckConstraint(condition=Q(item_number__gte=1, item_number__lte=9999), name="archives_item_number_4_digits"),
            models.CheckConstraint(condition=Q(retention__in=Retention.values), name="archives_item_retention_valid"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="archives_item_classification_valid"),
            models.CheckConstraint(
                condition=(Q(source="outgoing", outgoing__isnull=False, incoming__isnull=True) | Q(source="incoming", incoming__isnull=False, outgoing__isnull=True)),
                name="archives_item_one_source",
            ),
            models.CheckConstraint(condition=~Q(status="destroyed") | Q(destroyed_at__isnull=False), name="archives_item_destroyed_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.archival_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("archives:detail", args=[self.pk])

    @property
    def filed_on(self):
        return timezone.localtime(self.filed_at).date()


def archive_file_path(instance: ArchiveFile, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"archives/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class ArchiveFile(models.Model):
    """One stored file of an item: the stamped PDF (正本), the 定稿, or an attachment. Served only through the
    item's access rules (view-only and watermarked for borrowers), never through /files/."""

    class Role(models.TextChoices):
        ORIGINAL = "original", _("正本（盖归档章）")
        FINAL_DRAFT = "final_draft", _("定稿")
        ATTACHMENT = "attachment", _("附件")

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(_("类别"), max_length=12, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to=archive_file_path, max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="archives_file_order_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"


class Loan(models.Model):
    """借阅/查阅: request → approval (by 密级 rule) → access until `due_at` → return."""

    class Kind(models.TextChoices):
        BORROW = "borrow", _("借阅")
        CONSULT = "consult", _("查阅")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        ACTIVE = "active", _("借阅中")
        REJECTED = "rejected", _("未批准")
        RETURNED = "returned", _("已归还")
        CANCELLED = "cancelled", _("已撤回")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey("org.User", verbose_name=_("借阅人"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("方式"), max_length=8, choices=Kind.choices, default=Kind.CONSULT)
    purpose = models.CharField(_("利用目的"), max_length=200)
    days = models.PositiveSmallIntegerField(_("借阅天数"))
    required_role = models.CharField(_("审批角色"), max_length=20, choices=Role.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey("org.User", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("起始时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("借阅")
        constraints = [
            models.UniqueConstraint(fields=["item", "borrower"], condition=Q(status__in=["pending", "active"]), name="archives_loan_one_open"),
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=90), name="archives_loan_days_range"),
            models.CheckConstraint(condition=~Q(status="active") | Q(due_at__isnull=False, starts_at__isnull=False, decided_by__isnull=False), name="archives_loan_active_has_period"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("borrower")), name="archives_loan_not_self_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item.archival_code}（{self.borrower.display_name}）"

    def get_absolute_url(self) -> str:
        return reverse("archives:loans")

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.ACTIVE and self.due_at is not None and self.due_at <= timezone.now()


class Appraisal(models.Model):
    """鉴定: one decision on an expired item — keep with a new period, or destroy."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("继续保存")
        DESTROY = "destroy", _("拟销毁")

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="appraisals")
    decision = models.CharField(_("鉴定结论"), max_length=8, choices=Decision.choices)
    new_years = models.PositiveSmallIntegerField(_("延长年限"), null=True, blank=True)
    opinion = models.CharField(_("鉴定意见"), max_length=300)
    decided_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "decided_at"]
        constraints = [models.CheckConstraint(condition=~Q(decision="keep") | Q(new_years__gte=1), name="archives_appraisal_keep_has_years")]

    def __str__(self) -> str:
        return f"{self.item.archival_code} {self.get_decision_display()}"


class Destruction(models.Model):
    """档案销毁清册: approved by the head (机关负责人), executed under two distinct supervisors (监销人); kept permanently."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审批")
        APPROVED = "approved", _("已批准")
        DONE = "done", _("已销毁")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("清册号"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField(_("销毁理由"), max_length=300)
    created_by = models.ForeignKey("org.User", verbose_name=_("编制人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey("org.User", verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    supervisor1 = models.ForeignKey("org.User", verbose_name=_("监销人一"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supervisor2 = models.ForeignKey("org.User", verbose_name=_("监销人二"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    executed_by = models.ForeignKey("org.User", verbose_name=_("销毁执行人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    executed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = _("销毁清册")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "serial"], name="archives_destruction_serial_unique"),
            models.CheckConstraint(condition=Q(status="draft") | Q(approved_by__isnull=False), name="archives_destruction_approved_by_head"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(supervisor1__isnull=False, supervisor2__isnull=False) & ~Q(supervisor1=models.F("supervisor2"))),
                name="archives_destruction_two_supervisors",
            ),
        ]

    def __str__(self) -> str:
        return f"档案销毁清册〔{self.year}〕{self.serial}号"

    def get_absolute_url(self) -> str:
        return reverse("archives:destruction", args=[self.pk])


class DestructionSequence(models.Model):
    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="archives_destruction_seq_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_serial}"


class DestructionLine(models.Model):
    """One line of the 销毁清册: a snapshot of the catalogue line (append-only on PostgreSQL)."""

    destruction = models.ForeignKey(Destruction, on_delete=models.PROTECT, related_name="lines")
    item = models.OneToOneField(ArchiveItem, on_delete=models.PROTECT, related_name="destruction_line")
    order = models.PositiveIntegerField()
    archival_code = models.CharField(_("档号"), max_length=40)
    title = models.CharField(_("题名"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    retention = models.CharField(_("保管期限"), max_length=3)
    pages = models.PositiveIntegerField(_("页数"))
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices)

    class Meta:
        ordering = ["destruction", "order"]
        constraints = [models.UniqueConstraint(fields=["destruction", "order"], name="archives_destruction_line_order")]

    def __str__(self) -> str:
        return f"{self.destruction} {self.archival_code}"


class FileDisposal(models.Model):
    """Evidence that a destroyed item's file was overwritten and removed (digest of the former content)."""

    line = models.ForeignKey(DestructionLine, on_delete=models.PROTECT, related_name="disposals")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    removed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Transfer(models.Model):
    """移交: one exported package (PDFs, catalogue, metadata, checksum manifest)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    item_count = models.PositiveIntegerField(_("件数"))
    path = models.CharField(_("移交包位置"), max_length=300)
    manifest_digest = models.CharField(_("清单摘要"), max_length=64)
    algorithm = models.CharField(_("摘要算法"), max_length=10)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} 年度移交（{self.item_count} 件）"


class FilingBatch(models.Model):
    """Year-end batch filing (年终集中归档): progress and the report of what could not be filed and why."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("归档中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    filed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of the worker running it (host:pid:token) until lease_until, renewed with every document: a
    # re-delivered job resumes once the holder is dead or its lease ran out (batch.batch_run, batch.recover).
    lease_owner = models.CharField(max_length=120, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(processed__lte=models.F("total")), name="archives_batch_progress_bounded")]

    def __str__(self) -> str:
        return f"{self.year} 年度集中归档"

    def get_absolute_url(self) -> str:
        return reverse("archives:batch", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 and self.status == self.Status.DONE else (self.processed * 100 // self.total if self.total else 0)
