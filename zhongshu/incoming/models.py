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
        HANDLING = "handling", _("拟办批示中")
        ASSIGNED = "assigned", _("承办中")
        CIRCULATING = "reading", _("传阅中")
        CLOSED = "closed", _("已办结")

    class Kind(models.TextChoices):
        """办件 need handling (拟办 → 批示 → 承办); 阅件 are for information and go straight to 传阅."""

        HANDLE = "handle", _("办件")
        READ = "read", _("阅件")

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
    kind = models.CharField(_("办理类型"), max_length=6, choices=Kind.choices, blank=True)
    reviewed_by = models.ForeignKey("org.User", verbose_name=_("初审人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    review_note = models.CharField(_("初审意见"), max_length=300, blank=True)
    # 承办安排: set by 拟办 or 批示 while the flow runs; becomes Undertaking rows when the flow is approved.
    lead_department = models.ForeignKey("org.Department", verbose_name=_("主办部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    co_departments = models.ManyToManyField("org.Department", verbose_name=_("协办部门"), blank=True, related_name="+")
    # 拟办 proposes the leaders the document goes to for 批示, in order (user ids); empty = the default 分管领导.
    proposed_leaders = models.JSONField(_("拟送批示领导"), default=list, blank=True)
    # …or other organizations on the platform (the county's bureaus and townships): the part goes to that organization.
    lead_organization = models.ForeignKey("org.Organization", verbose_name=_("主办单位（平台内机关）"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    co_organizations = models.ManyToManyField("org.Organization", verbose_name=_("协办单位（平台内机关）"), blank=True, related_name="+")
    # …or outside organs from the address book that are not on the platform: handled on paper, the office records it.
    lead_external = models.ForeignKey("org.ExternalOrgan", verbose_name=_("主办单位（外单位，纸质办理）"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    co_externals = models.ManyToManyField("org.ExternalOrgan", verbose_name=_("协办单位（外单位，纸质办理）"), blank=True, related_name="+")
    closed_by = models.ForeignKey("org.User", verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.CharField(_("办结意见"), max_length=300, blank=True)
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
            models.CheckConstraint(
                condition=(Q(lead_department__isnull=True, lead_organization__isnull=True) | Q(lead_department__isnull=True, lead_external__isnull=True)
                           | Q(lead_organization__isnull=True, lead_external__isnull=True)),
                name="incoming_one_lead_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number or '（未编号）'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incoming:detail", args=[self.pk])

    @property
    def lead_unit(self):
        """The 主办 named in the 承办安排: a department of this organization or another organization."""
        return self.lead_department or self.lead_organization or self.lead_external

    def co_units(self) -> list:
        return [*self.co_departments.all(), *self.co_organizations.all(), *self.co_externals.all()]

    @property
    def lead_unit_label(self) -> str:
        unit = self.lead_unit
        if unit is None:
            return ""
        return getattr(unit, "short_name", "") or unit.name

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


def undertaking_handlers_q(user) -> Q:
    """Who acts for a 承办 unit — the shared rule (zhongshu/org/units.py): a department's head and liaisons, an
    organization's principal and liaisons, and the person the part was handed to."""
    from zhongshu.org.units import acts_q

    return acts_q(user, department="department", organization="organization", assignee="assignee")


class ThroughDocumentQuerySet(models.QuerySet):
    """Rows that belong to a 收文 (承办 with its attachments) are visible when the document is — to the document's
    own organization; another organization that holds a part sees its own parts only (not the others' answers)."""

    def restrict(self, user, action: str = "view") -> models.QuerySet:
        visible = self.filter(document_id__in=IncomingDocument.objects.restrict(user, action).values("pk"))
        if user is None or getattr(user, "organization_id", None) is None:
            return visible.none()
        return visible.filter(Q(document__organization_id=user.organization_id) | Q(organization_id=user.organization_id))


class Undertaking(models.Model):
    """承办: one department's part in handling a 收文 — 主办 (writes the 答复) or 协办 (consulted)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    document = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, related_name="undertakings")
    # The unit: a department of the document's organization, or another organization on the platform (exactly one).
    department = models.ForeignKey("org.Department", verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("org.Organization", verbose_name=_("承办机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # …or an outside organ not on the platform (address book): it works on paper and the office records its part.
    external = models.ForeignKey("org.ExternalOrgan", verbose_name=_("承办外单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paper_sent_on = models.DateField(_("纸质送达日期"), null=True, blank=True)
    paper_reply_on = models.DateField(_("答复收到日期"), null=True, blank=True)
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey("org.User", verbose_name=_("具体承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # 签收 by the unit (its head/principal or liaison); handing the part to a person or answering signs implicitly.
    accepted_by = models.ForeignKey("org.User", verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    original_deadline = models.DateField(_("原定时限"), null=True, blank=True)
    reply = models.TextField(_("答复/办理结果"), blank=True)
    replied_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    return_note = models.CharField(_("退回意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded = models.JSONField(default=list, blank=True)  # reminder kinds already sent (before/due/overdue) — once each

    objects = ThroughDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("承办")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["document", "department"], name="undertaking_once_per_department"),
            models.UniqueConstraint(fields=["document", "organization"], name="undertaking_once_per_organization"),
            models.UniqueConstraint(fields=["document", "external"], name="undertaking_once_per_external"),
            models.CheckConstraint(condition=(Q(department__isnull=True, organization__isnull=False, external__isnull=True)
                                              | Q(department__isnull=False, organization__isnull=True, external__isnull=True)
                                              | Q(department__isnull=True, organization__isnull=True, external__isnull=False)),
                                   name="undertaking_one_unit"),
            models.CheckConstraint(condition=Q(external__isnull=False) | Q(paper_sent_on__isnull=True, paper_reply_on__isnull=True),
                                   name="undertaking_paper_only_external"),
            models.UniqueConstraint(fields=["document"], condition=Q(role="lead"), name="undertaking_one_lead"),
            models.CheckConstraint(condition=~Q(status="replied") | ~Q(reply=""), name="undertaking_reply_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit_label}"

    @property
    def unit(self):
        return self.department or self.organization or self.external

    @property
    def unit_label(self) -> str:
        """综合科 for an own department, 县发改局 for another organization on the platform."""
        from zhongshu.org.units import unit_label

        if self.external is not None:
            return f"{self.external.short_name or self.external.name}（纸质）"
        return unit_label(department=self.department, organization=self.organization,
                          home_organization_id=self.document.organization_id if self.department_id else None)

    @property
    def on_paper(self) -> bool:
        """An outside organ not on the platform: sent on paper, the office records the answer on its behalf."""
        return self.external_id is not None

    @property
    def cross_organization(self) -> bool:
        return self.organization_id is not None

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class ExtensionRequest(models.Model):
    """延期申请: the 主办 department asks for a later deadline; the office approves or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    undertaking = models.ForeignKey(Undertaking, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("延期理由"), max_length=300)
    previous_deadline = models.DateField(_("原时限"), null=True, blank=True)
    requested_deadline = models.DateField(_("申请延至"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["undertaking"], condition=Q(status="pending"), name="extension_one_pending"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.undertaking} → {self.requested_deadline}"


class Circulation(models.Model):
    """传阅: one round of circulating a document to readers, one after another (依次) or all at once (同时)."""

    class Mode(models.TextChoices):
        SEQUENTIAL = "sequential", _("依次传阅")
        PARALLEL = "parallel", _("同时传阅")

    class Status(models.TextChoices):
        ACTIVE = "active", _("传阅中")
        FINISHED = "finished", _("已阅毕")
        RECALLED = "recalled", _("已收回")

    document = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, related_name="circulations")
    mode = models.CharField(_("传阅方式"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    started_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["document"], condition=Q(status="active"), name="circulation_one_active")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.get_mode_display()}"


class CirculationSlot(models.Model):
    """One reader in a 传阅 round: queued (依次, not yet reached) → holding (在阅, since `received_at`) → read."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待传")
        HOLDING = "holding", _("在阅")
        READ = "read", _("已阅")
        RECALLED = "recalled", _("已收回")

    circulation = models.ForeignKey(Circulation, on_delete=models.PROTECT, related_name="slots")
    reader = models.ForeignKey("org.User", verbose_name=_("阅文人"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    received_at = models.DateTimeField(_("收到时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅毕时间"), null=True, blank=True)
    comment = models.CharField(_("阅文意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["circulation", "reader"], name="circulation_reader_once")]
        indexes = [models.Index(fields=["reader", "status"], name="circulation_slot_reader")]

    def __str__(self) -> str:
        return f"{self.reader_id} {self.status}"
