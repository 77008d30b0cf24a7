"""The one inbox: a materialized `Task` per person and thing to do (待办) or read (待阅), whatever module it comes
from. Rows are derived data: each module computes the open tasks of one of its objects (`<app>/tasks.py`) and
`registry.sync()` opens and closes rows in the transaction that changed the object."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhongshu.core.classification import Classification


class Task(models.Model):
    class Box(models.TextChoices):
        TODO = "todo", _("待办")
        READ = "read", _("待阅")

    class Status(models.TextChoices):
        OPEN = "open", _("待办理")
        DONE = "done", _("已办理")
        CANCELLED = "cancelled", _("无需办理")

    kind = models.CharField(_("类别"), max_length=40)  # a registered task kind (registry.KINDS)
    box = models.CharField(max_length=5, choices=Box.choices, default=Box.TODO)
    key = models.CharField(max_length=60, blank=True)  # tells apart several tasks of one object for one person
    assignee = models.ForeignKey("org.User", verbose_name=_("办理人"), on_delete=models.CASCADE, related_name="+")
    delegable = models.BooleanField(default=False)  # 委托: a delegate of the assignee sees and does it
    organization = models.ForeignKey("org.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    classification = models.PositiveSmallIntegerField(choices=Classification.choices, default=Classification.INTERNAL)
    title = models.CharField(_("标题"), max_length=200)
    action = models.CharField(_("事项"), max_length=40, blank=True)  # 签收, 答复, 审批, 阅知 …
    origin = models.CharField(_("来自"), max_length=100, blank=True)
    since = models.DateTimeField(_("收到时间"))
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(default=False)
    url = models.CharField(max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["-since", "-id"]
        verbose_name = _("待办事项")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["assignee", "status", "box", "-since"], name="inbox_task_open"),
            models.Index(fields=["done_by", "status", "-done_at"], name="inbox_task_done"),
            models.Index(fields=["content_type", "object_id"], name="inbox_task_subject"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "key", "assignee"], condition=Q(status="open"),
                                    name="inbox_task_open_once"),
            models.CheckConstraint(condition=Q(status="open") | Q(done_at__isnull=False), name="inbox_task_closed_has_time"),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="inbox_task_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.assignee_id}:{self.title}"

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def kind_label(self) -> str:
        from .registry import KINDS

        k = KINDS.get(self.kind)
        return k.label if k else self.kind

    def urgency(self, today: datetime.date, next_workday: datetime.date) -> str:
        """red = overdue, yellow = due today or the next working day, green = later; "" without a deadline."""
        if self.deadline is None or self.status != self.Status.OPEN:
            return ""
        if self.deadline < today:
            return "red"
        if self.deadline <= next_workday:
            return "yellow"
        return "green"
