"""Organizations (机关/单位), departments (内设机构), positions (职务), people, roles and delegation (委托)."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongshu.core.classification import Classification, Clearance, max_readable

from .roles import AdminRole, Role


class Organization(models.Model):
    """机关/单位. Several share one deployment (a county's organs); every business row belongs to one."""

    name = models.CharField(_("机关名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    code = models.SlugField(_("机构代码"), max_length=40, unique=True,
                            help_text=_("18 位统一社会信用代码，或小写字母、数字和连字符（如 xfgj）；建立后不能修改"))
    doc_prefix = models.CharField(_("机关代字"), max_length=20, blank=True, help_text=_("用于发文字号，如“某政办发”"))
    fonds_code = models.CharField(_("全宗号"), max_length=4, blank=True)
    principal = models.ForeignKey(
        "org.User", verbose_name=_("主要负责人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class CirculationScope(models.TextChoices):
        """Who may pass a document on for reading (传阅/待阅), which widens its 知悉范围."""

        OFFICE = "office", _("仅办公室或文件所有人可以增加阅知人员")
        IN_SCOPE = "in_scope", _("阅知人员可以转给已在知悉范围内的人员")

    circulation_scope = models.CharField(_("传阅范围"), max_length=10, choices=CirculationScope.choices,
                                         default=CirculationScope.OFFICE)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("机关单位")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """内设机构, a tree per organization. `head` is the 负责人, `leader_in_charge` the 分管领导."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("机构名称"), max_length=60)
    code = models.CharField(_("机构代码"), max_length=20, help_text=_("用于档号的机构（问题）代码，如 BGS"))
    head = models.ForeignKey(
        "org.User", verbose_name=_("负责人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leader_in_charge = models.ForeignKey(
        "org.User", verbose_name=_("分管领导"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["organization", "order", "id"]
        verbose_name = _("内设机构")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name"),
            models.UniqueConstraint(fields=["organization", "code"], name="department_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Department]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain[::-1]


class Position(models.Model):
    """职务 (e.g. 主任, 副主任, 科员); `rank` orders people in lists (smaller is higher)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(_("职务名称"), max_length=40)
    rank = models.PositiveIntegerField(_("职级排序"), default=100)
    is_leadership = models.BooleanField(_("领导职务"), default=False)

    class Meta:
        ordering = ["organization", "rank", "id"]
        verbose_name = _("职务")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="position_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """人员: a login of one organization, with clearance (涉密人员类别) and roles."""

    real_name = models.CharField(_("姓名"), max_length=40)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("职务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    clearance = models.PositiveSmallIntegerField(_("涉密人员类别"), choices=Clearance.choices, default=Clearance.NONE)
    admin_role = models.CharField(_("三员角色"), max_length=16, choices=AdminRole.choices, blank=True, default="")
    departments = models.ManyToManyField(Department, through="Membership", related_name="members", blank=True)
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_confirmed = models.BooleanField(_("已启用动态口令"), default=False)
    # The time step (30 s) of the last accepted code: a code of the same or an earlier step is refused (no replay).
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    # 个人设置 “手写签批”: None follows the default (on for leaders), True/False is the person's own choice.
    signature_pad = models.BooleanField(_("手写签批"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "position__rank", "id"]
        verbose_name = _("人员")
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(admin_role__in=["", *AdminRole.values]), name="user_admin_role_valid"
            ),
            models.CheckConstraint(condition=Q(clearance__gte=1, clearance__lte=4), name="user_clearance_valid"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:person", args=[self.pk])

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def max_classification(self) -> Classification:
        return max_readable(self.clearance)

    @cached_property
    def role_set(self) -> frozenset[str]:
        roles = {r.role for r in self.role_assignments.all()}  # uses prefetch_related when lists asked for it
        if self.admin_role:
            roles.add(self.admin_role)
        return frozenset(roles)

    @property
    def uses_signature_pad(self) -> bool:
        """Whether the 批示/签发 pages offer the handwriting pad: the person's setting, else on for leaders."""
        if self.signature_pad is not None:
            return bool(self.signature_pad)
        return "leader" in self.role_set

    @cached_property
    def department_ids(self) -> list[int]:
        return [m.department_id for m in self.memberships.all()]

    @cached_property
    def primary_department(self) -> Department | None:
        m = self.memberships.select_related("department").filter(is_primary=True).first()
        return m.department if m else None

    def roles_display(self) -> str:
        labels = [Role(r).label for r in Role.values if r in self.role_set]
        if self.admin_role:
            labels.append(AdminRole(self.admin_role).label)
        return "、".join(str(x) for x in labels)


class Membership(models.Model):
    """A person's place in a department; exactly one primary department per person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="memberships")
    is_primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="membership_unique"),
            models.UniqueConstraint(fields=["user"], condition=Q(is_primary=True), name="membership_one_primary"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.department_id}"


class RoleAssignment(models.Model):
    """A business role held by a person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_assignment_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class ExternalOrgan(models.Model):
    """通讯录中的外单位: organs used in 主送/抄送 lists, each with its 机关代字."""

    class Relation(models.TextChoices):
        SUPERIOR = "superior", _("上级机关")
        PEER = "peer", _("同级机关")
        SUBORDINATE = "subordinate", _("下级机关")
        OTHER = "other", _("不相隶属机关")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="address_book")
    name = models.CharField(_("机关全称"), max_length=100)
    short_name = models.CharField(_("规范化简称"), max_length=40, blank=True)
    doc_prefix = models.CharField(_("机关代字"), max_length=20, blank=True)
    relation = models.CharField(_("行文关系"), max_length=12, choices=Relation.choices, default=Relation.OTHER)
    platform_organization = models.ForeignKey(
        Organization, verbose_name=_("平台内机关"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["organization", "order", "id"]
        verbose_name = _("外单位")
        verbose_name_plural = _("通讯录")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="external_organ_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:organ_edit", args=[self.pk])


class Delegation(models.Model):
    """委托: `delegator` (e.g. a leader on leave) lets `delegate` act for them between two dates."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    delegator = models.ForeignKey(User, verbose_name=_("委托人"), on_delete=models.PROTECT, related_name="delegations_given")
    delegate = models.ForeignKey(User, verbose_name=_("受托人"), on_delete=models.PROTECT, related_name="delegations_received")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(_("事由"), max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("委托")
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="delegation_dates_ordered"),
            models.CheckConstraint(condition=~Q(delegator=models.F("delegate")), name="delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} 委托 {self.delegate}（{self.start_date}～{self.end_date}）"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.start_date <= day <= self.end_date

    @property
    def status_label(self) -> str:
        today = timezone.localdate()
        if self.revoked_at:
            return "已撤销"
        if today < self.start_date:
            return "未开始"
        if today > self.end_date:
            return "已结束"
        return "生效中"
