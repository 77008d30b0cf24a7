"""通知公告: internal notices of an organization, each with a 密级 and a 知悉范围 (who may read it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Scope(models.TextChoices):
        ORGANIZATION = "organization", _("本机关全体")
        SELECTED = "selected", _("指定部门和人员")

    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    secrecy_period = models.CharField(_("保密期限"), max_length=20, blank=True, help_text=_("如“1年”“6个月”；不填按最长期限"))
    scope = models.CharField(_("知悉范围"), max_length=12, choices=Scope.choices, default=Scope.ORGANIZATION)
    recipient_departments = models.ManyToManyField("org.Department", verbose_name=_("发送部门"), blank=True, related_name="+")
    recipient_users = models.ManyToManyField("org.User", verbose_name=_("发送人员"), blank=True, related_name="+")
    author = models.ForeignKey("org.User", verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("发布部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pinned = models.BooleanField(_("置顶"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "-published_at"], name="notice_org_status_pub"),
            models.Index(fields=["organization", "-published_at"], name="notice_org_pub"),
            models.Index(fields=["organization", "status", "-pinned", "-published_at"], name="notice_org_status_pin_pub"),
        ]
        verbose_name = _("通知公告")
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="notice_classification_valid"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="notice_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)

    @property
    def marking(self) -> str:
        """密级标志, e.g. 秘密★1年 (spec: level + ★ + period; no period → the maximum)."""
        if self.classification < Classification.SECRET:
            return ""
        from zhongshu.core.classification import MAX_SECRECY_YEARS

        period = self.secrecy_period or f"{MAX_SECRECY_YEARS[Classification(self.classification)]}年"
        return f"{self.classification_label}★{period}"


class NoticeRead(models.Model):
    """Who has read a notice, and when (阅读记录)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} 已阅 {self.notice_id}"
