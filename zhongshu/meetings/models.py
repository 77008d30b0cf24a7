"""办会: rooms and bookings, the meeting from 会议方案 to 纪要 and 督办, replies (回执), sign-in, numbered copies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification


class Room(models.Model):
    """会议室. Rooms themselves are not classified (a 涉密 room is one fit for classified meetings)."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=60)
    building = models.CharField(_("楼宇"), max_length=60)
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"))
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    is_classified = models.BooleanField(_("涉密会议室"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.PUBLIC)
    order = models.PositiveIntegerField(default=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "building", "order", "name"]
        verbose_name = _("会议室")
        constraints = [
            models.UniqueConstraint(fields=["organization", "building", "name"], name="meeting_room_unique"),
            models.CheckConstraint(condition=Q(classification=0), name="meeting_room_not_classified"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="meeting_room_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.building}{self.floor and ' ' + self.floor} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:room", args=[self.pk])


class Category(models.Model):
    """会议分类 with the 厉行节约 caps. Rows without organization are the platform defaults (migration 0002);
    an organization's own row of the same code replaces the default for it."""

    organization = models.ForeignKey("org.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=40)
    max_days = models.PositiveSmallIntegerField(_("会期上限（天）"), null=True, blank=True)
    max_attendees = models.PositiveIntegerField(_("参会人数上限"), null=True, blank=True)
    daily_cost_cap = models.DecimalField(_("每人每天综合定额（元）"), max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="meeting_category_unique"),
            models.UniqueConstraint(fields=["code"], condition=Q(organization__isnull=True), name="meeting_category_default_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("方案草稿")
        APPROVED = "approved", _("方案已批准")
        NOTIFIED = "notified", _("已通知")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    OPEN = (Status.DRAFT, Status.APPROVED, Status.NOTIFIED)

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("会议名称"), max_length=120)
    category = models.ForeignKey(Category, verbose_name=_("会议类别"), on_delete=models.PROTECT, related_name="+")
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    room = models.ForeignKey(Room, verbose_name=_("会议室"), null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    venue = models.CharField(_("会外地点"), max_length=120, blank=True)
    scope = models.CharField(_("参会范围"), max_length=300, blank=True)
    planned_attendees = models.PositiveIntegerField(_("计划参会人数"), default=0)
    budget = models.DecimalField(_("经费预算（元）"), max_digits=12, decimal_places=2, default=0)
    purpose = models.TextField(_("会议内容"), blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    reply_workdays = models.PositiveSmallIntegerField(_("回执期限（工作日）"), default=2)
    reply_deadline = models.DateField(_("回执截止"), null=True, blank=True)
    reply_deadline_provisional = models.BooleanField(default=False)
    organizer = models.ForeignKey("org.User", verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    record = models.TextField(_("会议记录"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    close_note = models.CharField(_("结束说明"), max_length=300, blank=True)
    # the formal 通知 to other organs and the 纪要, each handed to 发文 as a draft
    notice_document = models.ForeignKey("outgoing.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    minutes_document = models.ForeignKey("outgoing.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("会议")
        indexes = [models.Index(fields=["organization", "status", "-start"], name="meeting_org_status_start")]
        constraints = [
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="meeting_classification_valid"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)

    @property
    def place(self) -> str:
        return str(self.room) if self.room_id else self.venue


class BookingSeries(models.Model):
    """A weekly recurring booking (每周一常务会): its occurrences are Booking rows; an exception is one occurrence
    cancelled or moved."""

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("用途"), max_length=120)
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    start_time = models.TimeField(_("开始"))
    end_time = models.TimeField(_("结束"))
    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("截止日期"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="meeting_series_weekday")]

    def __str__(self) -> str:
        return self.title


class Booking(models.Model):
    """One hold on a room from `start` to `end`. Active holds of one room never overlap: the application checks
    under the transaction and, on PostgreSQL, an exclusion constraint (migration 0003) holds it for certain."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        CANCELLED = "cancelled", _("已取消")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    # the purpose of a booking without a meeting; a meeting's booking shows the meeting as the reader may see it
    title = models.CharField(_("用途"), max_length=120, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(BookingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    classification = models.PositiveSmallIntegerField(default=Classification.PUBLIC)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["room", "start"], name="meeting_booking_room_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_booking_end_after_start"),
            models.CheckConstraint(condition=Q(classification=0), name="meeting_booking_not_classified"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:room", args=[self.room_id])


class Attendee(models.Model):
    """One invited person and his 回执: attend, 请假 (approved by the organizer) or 代参 (a named substitute)."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("未回复")
        ATTEND = "attend", _("参加")
        LEAVE = "leave", _("请假")
        SUBSTITUTE = "substitute", _("代参")

    class Leave(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已准假")
        REFUSED = "refused", _("未准假")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    reply = models.CharField(_("回执"), max_length=12, choices=Reply.choices, default=Reply.PENDING)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    leave_status = models.CharField(_("请假审批"), max_length=10, choices=Leave.choices, default="", blank=True)
    substitute = models.ForeignKey("org.User", verbose_name=_("代参人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_in_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_attendee_unique"),
            models.CheckConstraint(condition=~Q(reply="substitute") | Q(substitute__isnull=False), name="meeting_substitute_named"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.user_id}"

    @property
    def present_user_id(self) -> int | None:
        """Who comes in this seat: the person, or his substitute."""
        if self.reply == self.Reply.SUBSTITUTE:
            return self.substitute_id
        if self.reply == self.Reply.LEAVE and self.leave_status != self.Leave.REFUSED:
            return None
        return self.user_id


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("议题"), max_length=200)
    presenter = models.CharField(_("汇报人"), max_length=60, blank=True)
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=15)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    """A paper of an agenda item; the file is an Attachment of the meeting (so /files/ asks the meeting's policy).
    A classified material is handed out in numbered copies (份号) and recovered (清退)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials")
    title = models.CharField(_("材料名称"), max_length=200)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    attachment = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class MaterialCopy(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("已发放")
        RETURNED = "returned", _("已清退")

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="copies")
    number = models.PositiveIntegerField(_("份号"))
    holder = models.ForeignKey("org.User", verbose_name=_("领取人"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField(auto_now_add=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["material", "number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="meeting_copy_number_unique")]

    def __str__(self) -> str:
        return f"{self.material_id} 第{self.label}份"

    @property
    def label(self) -> str:
        return f"{self.number:03d}"


class CopySequence(models.Model):
    """份号 series per material (next_serial)."""

    material = models.OneToOneField(Material, on_delete=models.CASCADE, related_name="+")
    last_serial = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"份号 {self.material_id}:{self.last_serial}"


class Decision(models.Model):
    """议定事项; `supervision_item` once turned into a 督办事项 (whose source_object is the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("议定事项"), max_length=300)
    lead_department = models.ForeignKey("org.Department", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("办结时限"))
    supervision_item = models.OneToOneField("supervision.SupervisionItem", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_decision")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text
