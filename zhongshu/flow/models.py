"""流程 (flow) tables: definitions (versioned data), instances, work items (待办/待阅), history (意见), reminders.

Only `zhongshu.flow.services` writes these tables; modules call its small API.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongshu.access.restrict import RestrictedQuerySet
from zhongshu.core.classification import Classification

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def acting_ids(user) -> list[int]:
    """The user plus everyone whose work the user may handle today (委托 in force); cached per request."""
    today = timezone.localdate()
    cached = getattr(user, "_flow_acting", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    from zhongshu.org.models import Delegation

    ids = [user.pk, *Delegation.objects.filter(
        delegate_id=user.pk, revoked_at__isnull=True, start_date__lte=today, end_date__gte=today
    ).values_list("delegator_id", flat=True)]
    user._flow_acting = (today, ids)
    return ids


class StepKind(models.TextChoices):
    SINGLE = "single", _("单人办理")
    SERIAL = "serial", _("依次办理（串签）")
    PARALLEL = "parallel", _("会签（并行）")
    CIRCULATE = "circulate", _("传阅（待阅，不阻塞）")


class Completion(models.TextChoices):
    ALL = "all", _("全部同意")
    ANY = "any", _("任一人同意")
    N_OF_M = "n", _("N 人同意")


class AssigneeRule(models.TextChoices):
    USERS = "users", _("指定人员")
    ROLE_IN_DEPARTMENT = "role_dept", _("部门中的角色")
    INITIATOR_HEAD = "initiator_head", _("发起人部门负责人")
    INITIATOR_LEADER = "initiator_leader", _("发起人部门分管领导")
    PRINCIPAL = "principal", _("本机关主要负责人")
    CHOSEN = "chosen", _("由上一步办理人选择")
    SUBJECT = "subject", _("由业务单据指定（如会签部门负责人）")


class StepAction(models.TextChoices):
    """Actions an administrator may allow on a step (撤回 and 催办 belong to the initiator, not a step)."""

    APPROVE = "approve", _("提交/同意")
    CIRCLE = "circle", _("圈阅")
    RETURN = "return", _("退回")
    TRANSFER = "transfer", _("转办")
    ADD_SIGN = "add_sign", _("加签")
    TERMINATE = "terminate", _("终止")


DEFAULT_ACTIONS = [StepAction.APPROVE, StepAction.RETURN, StepAction.TRANSFER, StepAction.ADD_SIGN]


class Fact(models.TextChoices):
    """Condition facts a subject adapter supplies (条件分支)."""

    DOC_TYPE = "doc_type", _("文种")
    CLASSIFICATION = "classification", _("密级")
    DEPARTMENT = "department", _("部门代码")
    AMOUNT = "amount", _("金额")
    UPWARD = "upward", _("上行文")
    COUNTERSIGN = "countersign", _("需要会签")


class Op(models.TextChoices):
    EQ = "eq", _("等于")
    NE = "ne", _("不等于")
    IN = "in", _("属于（逗号分隔）")
    GTE = "gte", _("大于等于")
    LTE = "lte", _("小于等于")
    GT = "gt", _("大于")
    LT = "lt", _("小于")


class FlowDefinition(models.Model):
    """流程定义: one version of an organization's flow for one business type. Active versions never change;
    editing means a new draft version, and running instances keep the version they started with."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("启用")
        RETIRED = "retired", _("已停用")

    organization = models.ForeignKey("org.Organization", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    business_type = models.CharField(_("业务类型"), max_length=30)
    name = models.CharField(_("流程名称"), max_length=60)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "business_type", "-version"]
        verbose_name = _("流程定义")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["organization", "business_type", "version"], name="flow_definition_unique_version"),
            models.UniqueConstraint(
                fields=["organization", "business_type"], condition=Q(status="active"), name="flow_definition_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"

    def get_absolute_url(self) -> str:
        return reverse("flow:definition", args=[self.pk])


class StepDefinition(models.Model):
    """流程步骤: who handles it (assignee rule), how many must agree, when it applies, its deadline and actions."""

    definition = models.ForeignKey(FlowDefinition, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤名称"), max_length=40)
    kind = models.CharField(_("办理方式"), max_length=10, choices=StepKind.choices, default=StepKind.SINGLE)
    completion = models.CharField(_("会签规则"), max_length=4, choices=Completion.choices, default=Completion.ALL)
    completion_n = models.PositiveSmallIntegerField(_("N"), null=True, blank=True)
    assignee_rule = models.CharField(_("办理人规则"), max_length=20, choices=AssigneeRule.choices)
    users = models.ManyToManyField("org.User", verbose_name=_("人员"), blank=True, related_name="+")
    role = models.CharField(_("角色"), max_length=20, blank=True)
    department = models.ForeignKey("org.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    condition_fact = models.CharField(_("条件"), max_length=20, choices=Fact.choices, blank=True)
    condition_op = models.CharField(_("比较"), max_length=4, choices=Op.choices, blank=True)
    condition_value = models.CharField(_("条件值"), max_length=100, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    actions = models.JSONField(_("允许的操作"), default=list)

    class Meta:
        ordering = ["definition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "order"], name="flow_step_unique_order"),
            models.CheckConstraint(condition=Q(completion="n", completion_n__gte=1) | ~Q(completion="n"), name="flow_step_n_set"),
        ]

    def __str__(self) -> str:
        return self.name

    def allows(self, action: str) -> bool:
        return action in (self.actions or [])

    @property
    def verb(self) -> str:
        """What agreeing at this step is called on its button (签发, 批示, 核稿 …), from the step's name."""
        return step_verb(self.name)


# The word on a step's 同意 button, by what the step's name says it is; the first match wins (“领导批示” → 批示,
# “办公室审核” → 审核). A custom step keeps the neutral “同意并提交”.
STEP_VERBS = (("签发", "签发"), ("批示", "批示"), ("圈阅", "圈阅"), ("核稿", "核稿"), ("会签", "会签"), ("拟办", "拟办"),
              ("审核", "审核"), ("审批", "审批"), ("审签", "签发"), ("复核", "复核"))
DEFAULT_VERB = "同意并提交"


def step_verb(name: str) -> str:
    for word, verb in STEP_VERBS:
        if word in (name or ""):
            return verb
    return DEFAULT_VERB


class FlowInstance(models.Model):
    """流程实例: one object going through one definition version. Title and 密级 are copied from the subject so
    access can filter in SQL; `plan` is the list of applicable step ids fixed when the flow (re)starts."""

    class Status(models.TextChoices):
        RUNNING = "running", _("办理中")
        APPROVED = "approved", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")
        TERMINATED = "terminated", _("已终止")

    definition = models.ForeignKey(FlowDefinition, on_delete=models.PROTECT, related_name="instances")
    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    business_type = models.CharField(_("业务类型"), max_length=30)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    title = models.CharField(_("标题"), max_length=200)
    classification = models.PositiveSmallIntegerField(_("密级"), choices=Classification.choices, default=Classification.INTERNAL)
    facts = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=list, blank=True)
    position = models.SmallIntegerField(default=0, help_text="index into plan; -1 = back with the initiator")
    round = models.PositiveIntegerField(default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    initiator = models.ForeignKey("org.User", verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+")
    initiator_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    current_step_name = models.CharField(_("当前步骤"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("流程实例")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["initiator", "-created_at"]), models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(status="running"), name="flow_instance_one_running"
            ),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="flow_instance_classification_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("flow:instance", args=[self.pk])

    @property
    def classification_label(self) -> StrPromise:
        return Classification(self.classification).label


class WorkItem(models.Model):
    """事项: one person's 待办 (to act) or 待阅 (to read) on one instance. A conditional update on `status`
    decides who acted first; organization, 密级 and initiator are copied so the inbox filters on one table."""

    class Kind(models.TextChoices):
        TODO = "todo", _("待办")
        READ = "read", _("待阅")

    class Status(models.TextChoices):
        PENDING = "pending", _("待办理")
        QUEUED = "queued", _("排队（串签）")
        ON_HOLD = "on_hold", _("等待加签人")
        DONE = "done", _("已办理")
        TRANSFERRED = "transferred", _("已转办")
        CANCELLED = "cancelled", _("无需办理")

    class Origin(models.TextChoices):
        NORMAL = "normal", _("流程分派")
        ADD_BEFORE = "add_before", _("前加签")
        ADD_AFTER = "add_after", _("后加签")
        INITIATOR = "initiator", _("退回发起人")
        COPY = "copy", _("传阅/抄送")

    instance = models.ForeignKey(FlowInstance, on_delete=models.PROTECT, related_name="items")
    organization = models.ForeignKey("org.Organization", on_delete=models.PROTECT, related_name="+")
    classification = models.PositiveSmallIntegerField(choices=Classification.choices, default=Classification.INTERNAL)
    initiator = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(StepDefinition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_name = models.CharField(_("步骤"), max_length=40)
    kind = models.CharField(_("类别"), max_length=5, choices=Kind.choices, default=Kind.TODO)
    round = models.PositiveIntegerField(default=0)
    sequence = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.NORMAL)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey("org.User", verbose_name=_("办理人"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    due_date = models.DateField(_("办理时限"), null=True, blank=True)
    due_provisional = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    done_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    done_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("办理结果"), max_length=12, blank=True)
    opinion = models.TextField(_("意见"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("待办事项")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["assignee", "status", "kind", "-created_at"], name="flow_item_inbox"),
            models.Index(fields=["done_by", "-done_at"], name="flow_item_done"),
            models.Index(fields=["instance", "round"], name="flow_item_round"),
            models.Index(fields=["status", "due_date"], name="flow_item_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["done", "transferred"]) | Q(done_at__isnull=False), name="flow_item_done_has_time"
            ),
            models.CheckConstraint(condition=Q(classification__gte=0, classification__lte=4), name="flow_item_classification_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.step_name}：{self.assignee_id}"

    def get_absolute_url(self) -> str:
        return reverse("flow:item", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.QUEUED, self.Status.ON_HOLD)

    def urgency(self, today: datetime.date, next_workday: datetime.date) -> str:
        """red = overdue, yellow = due today or the next working day, green = later; "" without a deadline."""
        if self.due_date is None or self.status != self.Status.PENDING:
            return ""
        if self.due_date < today:
            return "red"
        if self.due_date <= next_workday:
            return "yellow"
        return "green"


class FlowAction(models.Model):
    """办理记录: every action with its opinion (意见), actor and on whose behalf (代). Append-only."""

    class Action(models.TextChoices):
        START = "start", _("发起")
        APPROVE = "approve", _("同意")
        CIRCLE = "circle", _("圈阅")
        READ = "read", _("已阅")
        RETURN = "return", _("退回")
        RESUBMIT = "resubmit", _("重新提交")
        TRANSFER = "transfer", _("转办")
        ADD_BEFORE = "add_before", _("前加签")
        ADD_AFTER = "add_after", _("后加签")
        WITHDRAW = "withdraw", _("撤回")
        TERMINATE = "terminate", _("终止")
        COPY = "copy", _("传阅")
        CHASE = "chase", _("催办")
        REMIND = "remind", _("到期提醒")
        ESCALATE = "escalate", _("超期督办")
        SKIP = "skip", _("自动跳过")
        FINISH = "finish", _("办结")

    instance = models.ForeignKey(FlowInstance, on_delete=models.PROTECT, related_name="history")
    work_item = models.ForeignKey(WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_name = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("意见"), blank=True)
    targets = models.CharField(_("送达"), max_length=300, blank=True)
    signature = models.ForeignKey("core.Attachment", verbose_name=_("手写签批"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["instance", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.step_name}"

    @property
    def actor_label(self) -> str:
        actor = self.actor  # None exactly when actor_id is None (no query then)
        if actor is None:
            return "系统"
        if self.on_behalf_of_id and self.on_behalf_of_id != self.actor_id:
            behalf = self.on_behalf_of
            if behalf is not None:
                return f"{actor.display_name} 代 {behalf.display_name}"
        return actor.display_name


class ReminderLog(models.Model):
    """Which automatic reminder went out for which item, so the daily scan never sends one twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("到期前一个工作日提醒")
        DUE = "due", _("到期当日提醒")
        OVERDUE = "overdue", _("超期督办")

    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work_item", "kind"], name="flow_reminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on}"
