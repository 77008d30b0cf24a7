"""流程定义 administration: drafts, steps as rows, publishing a version (the old one retires; running
instances keep theirs)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import is_system
from zhongshu.audit.services import record
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.org.models import Department, Organization, User
from zhongshu.org.roles import Role

from ..conditions import validate as validate_condition
from ..models import AssigneeRule, Completion, FlowDefinition, StepAction, StepDefinition, StepKind
from ..registry import SUBJECTS

STEP_FIELDS = ("name", "kind", "completion", "completion_n", "assignee_rule", "role", "department", "condition_fact",
               "condition_op", "condition_value", "deadline_days", "actions")


def can_manage(actor: Any, organization_id: int) -> bool:
    if is_system(actor):  # the command line (demo, init): SYSTEM
        return True
    if not has_perm(actor, "flow.manage"):
        return False
    return has_perm(actor, "org.manage") or actor.organization_id == organization_id


def _require(actor: Any, organization_id: int) -> None:
    if not can_manage(actor, organization_id):
        raise PermissionDenied()


def definition_create(*, actor: Any, organization: Organization, business_type: str, name: str, description: str = "") -> FlowDefinition:
    """新建流程 (a draft, version 1 or the next free number)."""
    _require(actor, organization.pk)
    if business_type not in SUBJECTS:
        raise ServiceError("业务类型无效。", fields={"business_type": "业务类型无效。"})
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ServiceError("请填写流程名称（不超过 60 字）。", fields={"name": "请填写流程名称（不超过 60 字）。"})
    if FlowDefinition.objects.filter(organization=organization, business_type=business_type, status=FlowDefinition.Status.DRAFT).exists():
        raise ServiceError("该业务类型已有草稿版本，请先编辑或启用它。", fields={"business_type": "该业务类型已有草稿版本。"})
    with transaction.atomic():
        top = FlowDefinition.objects.filter(organization=organization, business_type=business_type).aggregate(m=Max("version"))["m"] or 0
        d = FlowDefinition.objects.create(organization=organization, business_type=business_type, name=name,
                                          description=(description or "").strip()[:200], version=top + 1, created_by=None if is_system(actor) else actor)
        record(actor=actor, action="flow.definition_create", target=d, after={"business_type": business_type, "name": name, "version": d.version})
    return d


def definition_new_version(*, actor: Any, definition: FlowDefinition) -> FlowDefinition:
    """新版本: copy a version's steps into a new draft to edit."""
    _require(actor, definition.organization_id)
    if FlowDefinition.objects.filter(organization_id=definition.organization_id, business_type=definition.business_type,
                                     status=FlowDefinition.Status.DRAFT).exists():
        raise ServiceError("该业务类型已有草稿版本，请先编辑或启用它。")
    with transaction.atomic():
        top = FlowDefinition.objects.filter(organization_id=definition.organization_id, business_type=definition.business_type).aggregate(
            m=Max("version"))["m"]
        new = FlowDefinition.objects.create(organization_id=definition.organization_id, business_type=definition.business_type,
                                            name=definition.name, description=definition.description, version=top + 1, created_by=None if is_system(actor) else actor)
        for step in definition.steps.prefetch_related("users"):
            users = list(step.users.all())
            step.pk = None
            step.definition = new
            step.save()
            step.users.set(users)
        record(actor=actor, action="flow.definition_create", target=new, after={"from_version": definition.version, "version": new.version})
    return new


def _clean_step(i: int, data: dict[str, Any], organization_id: int) -> tuple[dict[str, Any], list[User]]:
    errors: dict[str, str] = {}

    def err(field: str, msg: str) -> None:
        errors[f"steps.{i}.{field}"] = msg

    name = (data.get("name") or "").strip()
    if not name:
        err("name", "请填写步骤名称。")
    elif len(name) > 40:
        err("name", "步骤名称不超过 40 字。")
    kind = data.get("kind") or StepKind.SINGLE
    if kind not in StepKind.values:
        err("kind", "办理方式无效。")
    completion = data.get("completion") or Completion.ALL
    if completion not in Completion.values:
        err("completion", "会签规则无效。")
    n: Any = data.get("completion_n")
    rule = data.get("assignee_rule") or ""
    users = list(data.get("users") or [])
    if rule not in AssigneeRule.values:
        err("assignee_rule", "请选择办理人规则。")
    if any(getattr(u, "organization_id", None) != organization_id for u in users):
        err("users", "只能选择本机关人员。")
    role = data.get("role") or ""
    if role and role not in Role.values:
        err("role", "角色无效。")
    dept: Department | None = data.get("department")
    if dept is not None and dept.organization_id != organization_id:
        err("department", "只能选择本机关的部门。")
    if rule == AssigneeRule.USERS and not users:
        err("users", "“指定人员”规则须选择人员。")
    if rule == AssigneeRule.ROLE_IN_DEPARTMENT and not role:
        err("role", "“部门中的角色”规则须选择角色。")
    if completion == Completion.N_OF_M and kind == StepKind.PARALLEL:
        if not n or int(n) < 1:
            err("completion_n", "“N 人同意”须填写 N（至少 1）。")
        elif rule == AssigneeRule.USERS and users and int(n) > len(users):
            err("completion_n", f"N 不能大于人员数 {len(users)}。")
    elif completion == Completion.N_OF_M:
        err("completion", "“N 人同意”只适用于会签。")
    problem = validate_condition(data.get("condition_fact") or "", data.get("condition_op") or "", data.get("condition_value") or "")
    if problem:
        err("condition_value", problem)
    days: Any = data.get("deadline_days")
    if days is not None and days != "" and not (0 <= int(days) <= 365):
        err("deadline_days", "办理时限应在 0～365 个工作日之间。")
    actions = [a for a in (data.get("actions") or []) if a]
    if any(a not in StepAction.values for a in actions):
        err("actions", "包含无效的操作。")
    if kind != StepKind.CIRCULATE and not {StepAction.APPROVE, StepAction.CIRCLE} & set(actions):
        err("actions", "至少允许“提交/同意”或“圈阅”之一。")
    if errors:
        raise ServiceError(f"第 {i + 1} 步：" + next(iter(errors.values())), fields=dict(errors))
    return {
        "name": name, "kind": kind, "completion": completion, "completion_n": int(n) if completion == Completion.N_OF_M else None,
        "assignee_rule": rule, "role": role, "department": dept, "condition_fact": data.get("condition_fact") or "",
        "condition_op": data.get("condition_op") or "", "condition_value": (data.get("condition_value") or "").strip(),
        "deadline_days": int(days) if days not in (None, "") else None, "actions": actions,
    }, users


def definition_save_steps(*, actor: Any, definition: FlowDefinition, steps: list[dict[str, Any]], name: str | None = None,
                          description: str | None = None) -> FlowDefinition:
    """Replace a draft's steps (in the given order). Active and retired versions never change."""
    _require(actor, definition.organization_id)
    if definition.status != FlowDefinition.Status.DRAFT:
        raise Conflict("只能修改草稿版本；请先“生成新版本”。")
    if not steps:
        raise ServiceError("流程至少需要一个步骤。", fields={"steps": "流程至少需要一个步骤。"})
    if len(steps) > 30:
        raise ServiceError("步骤不能超过 30 个。", fields={"steps": "步骤不能超过 30 个。"})
    cleaned = [_clean_step(i, s, definition.organization_id) for i, s in enumerate(steps)]
    with transaction.atomic():
        if name is not None:
            if not name.strip() or len(name.strip()) > 60:
                raise ServiceError("请填写流程名称（不超过 60 字）。", fields={"name": "请填写流程名称（不超过 60 字）。"})
            definition.name = name.strip()
        if description is not None:
            definition.description = description.strip()[:200]
        definition.save(update_fields=["name", "description"])
        definition.steps.all().delete()
        for order, (values, users) in enumerate(cleaned, start=1):
            step = StepDefinition.objects.create(definition=definition, order=order, **values)
            step.users.set(users)
        record(actor=actor, action="flow.definition_update", target=definition,
               after={"steps": [{k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()} for values, _ in cleaned]})
    return definition


def definition_publish(*, actor: Any, definition: FlowDefinition) -> FlowDefinition:
    """启用: the draft becomes the active version; the previous active version retires."""
    _require(actor, definition.organization_id)
    if definition.status != FlowDefinition.Status.DRAFT:
        raise Conflict("只有草稿版本可以启用。")
    if not definition.steps.exists():
        raise ServiceError("流程至少需要一个步骤。")
    try:
        with transaction.atomic():
            FlowDefinition.objects.filter(organization_id=definition.organization_id, business_type=definition.business_type,
                                          status=FlowDefinition.Status.ACTIVE).update(status=FlowDefinition.Status.RETIRED)
            definition.status = FlowDefinition.Status.ACTIVE
            definition.published_at = timezone.now()
            definition.save(update_fields=["status", "published_at"])
            record(actor=actor, action="flow.definition_publish", target=definition, after={"version": definition.version})
    except IntegrityError:
        raise Conflict("同时有人启用了另一个版本，请刷新。")
    return definition
