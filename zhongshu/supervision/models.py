"""督查督办 (supervision): 督办事项 split into department tasks, with 分阶段目标, cycle progress reports,
extensions, 催办单 and a red/yellow/green light.

The light, the last report date and the next report due date are denormalised onto the item (and task)
by the services and the daily scan, so the 督办台账 and the dashboards read one table at 100k items.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification


class Source(models.TextChoices):
    INSTRUCTION = "instruction", _("领导批示")
    MEETING = "meeting", _("会议议定")
    DOCUMENT = "document", _("文件")
    KEY_TASK = "key_task", _("重点工作")
    NPC = "npc", _("人大建议")
    CPPCC = "cppcc", _("政协提案")
    LETTER = "letter", _("群众来信")
    OTHER = "other", _("其他")


class Cycle(models.TextChoices):
    NONE = "none", _("不定期")
    WEEKLY = "weekly", _("每周")
    HALF_MONTH = "half_month", _("每半月")
    MONTHLY = "monthly", _("每月")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


def department_label(department, organization_id: int | None) -> str:
    if department.organization_id == organization_id:
        return department.name
    return f"{department.organization.short_name}·{department.name}"


class SupervisionItem(models.Model):
    """督办事项: one instruction, decision or key task the office follows until 销号."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待交办")
        IN_PROGRESS = "in_progress", _("办理中")
        COMPLETION_REQUESTED = "completion_requested", _("申请办结")
        VERIFIED = "verified", _("办公室已核实")
        CLOSED = "closed", _("已销号")

    OPEN = (Status.IN_PROGRESS, Status.COMPLETION_REQUESTED, Status.VERIFIED)

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    number_year = models.PositiveIntegerField()
    number_serial = models.PositiveIntegerField()
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_ref = models.CharField(_("来源说明"), max_length=120, blank=True, help_text=_("如批示件编号、会议名称、提案号"))
    title = models.CharField(_("督办事项"), max_length=200)
    content = models.TextField(_("督办内容"))
    responsible_leader = models.ForeignKey("org.User", verbose_name=_("责任领导"), on_delete=models.PROTECT, related_name="+")
    lead_department = models.ForeignKey("org.Department", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    co_departments = models.ManyToManyField("org.Department", verbose_name=_("协办单位"), blank=True, related_name="+")
    deadline = models.DateField(_("办结时限"))
    original_deadline = models.DateField(_("原定时限"))
    cycle = models.CharField(_("报送周期"), max_length=10, choices=Cycle.choices, default=Cycle.NONE)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    light = models.CharField(_("亮灯"), max_length=6, choices=Light.choices, default=Light.GREEN)
    last_report_on = models.DateField(_("最近报送"), null=True, blank=True)
    next_report_due = models.DateField(_("下次报送"), null=True, blank=True)
    created_on = models.DateField(_("立项日期"))
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    # YYYYMM of created_on / closed_on: the dashboard's monthly trend groups on a plain integer column.
    created_month = models.PositiveIntegerField(editable=False)
    closed_month = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("督办事项")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["organization", "created_on"], name="sup_item_org_created"),
            models.Index(fields=["organization", "status", "deadline"], name="sup_item_org_status_dl"),
            models.Index(fields=["organization", "light", "deadline"], name="sup_item_org_light"),
            models.Index(fields=["responsible_leader", "status"], name="sup_item_leader"),
            # Period first, then the dashboard's GROUP BY order, covering every column it filters and counts on
            # (restrict() and the id included): index-only scans on both databases (decisions/0005).
            models.Index(
                fields=["organization", "created_month", "source", "lead_department", "status", "classification", "deadline",
                        "closed_on", "closed_month", "light", "responsible_leader", "created_by", "id"],
                name="sup_item_dashboard",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number_year", "number_serial"], name="sup_item_number_unique"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="sup_item_classification_valid"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("original_deadline")), name="sup_item_deadline_not_before_original"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False, closed_month__isnull=False), name="sup_item_closed_has_date"),
            models.CheckConstraint(condition=Q(created_month__gte=190001, created_month__lte=999912), name="sup_item_created_month_valid"),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True) | Q(source_type__isnull=False, source_id__isnull=False),
                name="sup_item_source_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    @property
    def number(self) -> str:
        """督办编号, e.g. 督〔2026〕12号."""
        return f"督〔{self.number_year}〕{self.number_serial}号"

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)

    @property
    def lead_label(self) -> str:
        """主办单位 as shown: another organ's department carries the organ's name (县发改局·办公室)."""
        return department_label(self.lead_department, self.organization_id)

    @property
    def extended(self) -> bool:
        return self.deadline != self.original_deadline


class ItemSequence(models.Model):
    """督办编号 counter per organization per year (gapless)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="sup_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.year}:{self.last_serial}"


class Milestone(models.Model):
    """分阶段目标: an intermediate target with its own date."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("阶段目标"), max_length=200)
    due_date = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "title"], name="sup_milestone_unique_title")]

    def __str__(self) -> str:
        return self.title


class SupervisionTask(models.Model):
    """A department's share of an item (主办 or 协办): 签收 or 有异议, handed down to a person, reported on."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("办理中")
        DISPUTED = "disputed", _("有异议")
        REASSIGNED = "reassigned", _("已改派")
        DONE = "done", _("已办结")

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey("org.Department", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    # Denormalised for restrict(): the department may be another organ (县政府办 supervises 县发改局).
    department_organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    classification = models.PositiveSmallIntegerField(choices=Classification.choices, default=Classification.INTERNAL)
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    requirement = models.TextField(_("办理要求"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    assignee = models.ForeignKey("org.User", verbose_name=_("具体承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    accepted_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("异议理由"), max_length=300, blank=True)
    reassigned_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    light = models.CharField(_("亮灯"), max_length=6, choices=Light.choices, default=Light.GREEN)
    last_report_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["item_id", "role", "id"]
        verbose_name = _("督办任务")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["department", "status"], name="sup_task_dept_status"),
            models.Index(fields=["assignee"], name="sup_task_assignee", condition=Q(assignee__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["item", "department"], condition=~Q(status="reassigned"), name="sup_task_one_live_per_dept"),
            models.UniqueConstraint(fields=["item"], condition=Q(role="lead") & ~Q(status="reassigned"), name="sup_task_one_lead"),
            models.CheckConstraint(condition=~Q(status="disputed") | ~Q(dispute_reason=""), name="sup_task_dispute_has_reason"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="sup_task_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.item.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:task", args=[self.pk])

    @property
    def label(self) -> str:
        return department_label(self.department, self.item.organization_id)


class ReportQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> models.QuerySet:
        """A report is visible with its item (office, leader) or with its task (the department) — both restricted."""
        items = SupervisionItem.objects.restrict(user, action).values("pk")
        tasks = SupervisionTask.objects.restrict(user, action).values("pk")
        return self.filter(Q(item_id__in=items) | Q(task_id__in=tasks))


class ProgressReport(models.Model):
    """进展报送: one per task per cycle period (opened by the daily scan), or a completion report (办结报告)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展情况")
        COMPLETION = "completion", _("办结报告")

    class Status(models.TextChoices):
        OPEN = "open", _("待报送")
        SUBMITTED = "submitted", _("已报送")
        ACCEPTED = "accepted", _("已审核")
        RETURNED = "returned", _("已退回")

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="reports")
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    period_start = models.DateField(_("周期起"), null=True, blank=True)
    period_end = models.DateField(_("周期止"), null=True, blank=True)
    due_date = models.DateField(_("报送时限"), null=True, blank=True)
    content = models.TextField(_("进展情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    office_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["task", "status"], name="sup_report_task_status")]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], condition=Q(kind="progress"), name="sup_report_one_per_period"),
            models.CheckConstraint(condition=Q(status="open") | Q(submitted_at__isnull=False), name="sup_report_submitted_has_time"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(office_comment=""), name="sup_report_return_has_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.period_start or ''} {self.status}"


class ExtensionRequest(models.Model):
    """申请延期: a reason and a new date; the office approves or refuses; the original deadline stays."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="extensions")
    task = models.ForeignKey(SupervisionTask, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("延期理由"), max_length=500)
    old_deadline = models.DateField(_("原时限"))
    new_deadline = models.DateField(_("申请延至"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(status="pending"), name="sup_extension_one_pending"),
            models.CheckConstraint(condition=Q(new_deadline__gt=models.F("old_deadline")), name="sup_extension_later"),
            models.CheckConstraint(condition=~Q(reason=""), name="sup_extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.new_deadline}"


class ReminderNotice(models.Model):
    """催办单: issued by the office or automatically when overdue; downloadable as DOCX/PDF."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("人工催办")
        OVERDUE = "overdue", _("超期自动催办")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey(SupervisionTask, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    number_year = models.PositiveIntegerField()
    number_serial = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    text = models.TextField(_("催办内容"))
    issued_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("催办日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "number_year", "number_serial"], name="sup_reminder_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"督催〔{self.number_year}〕{self.number_serial}号"


class ReminderSequence(models.Model):
    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="sup_reminder_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.year}:{self.last_serial}"


class ReminderLog(models.Model):
    """One row per automatic reminder sent, so the daily scan is idempotent (key e.g. ``deadline:before``)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="sup_reminder_log_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.key}"
