"""The audit trail as the auditor reads it: who did what to which object when, in Chinese, without content.

`Presenter(reader)` is made once per page or export: it applies redact.for_reader() to each entry, names fields
(the model field's verbose_name when the target type is known, else KEY_LABELS), shows people, departments and
organs by name and choices by their label, and caches the few lookups a page needs.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from zhongshu.core.classification import Classification, Clearance

from . import redact
from .actions import label as action_label

KEY_LABELS = {
    "status": "状态", "step": "步骤", "targets": "送达", "number": "编号", "from": "来文单位/原值", "to": "延至",
    "doc_number": "文号", "departments": "承办部门", "department": "部门", "role": "承办方式", "lead": "主办部门",
    "co": "协办部门", "deadline": "办理时限", "kind": "类别", "mode": "传阅方式", "readers": "传阅人", "reader": "阅文人",
    "assignee": "承办人", "signer": "签发人", "issue_date": "成文日期", "flow": "流程", "copies": "分发份号",
    "organ": "机关", "agree": "同意", "approved": "同意", "task": "督办任务", "report": "进展报送", "period": "报送期间",
    "due": "报送截止", "slots": "报送单位数", "phase": "提醒阶段", "leader": "责任领导", "new_deadline": "申请延至",
    "loan": "借阅", "days": "天数", "due_at": "到期时间", "year": "年度", "items": "件数", "manifest": "清单摘要",
    "supervisors": "监销人", "filed": "已归档", "failed": "未归档", "archival_code": "档号", "source": "来源",
    "pages": "页数", "retention": "保管期限", "unit": "机构代码", "format": "格式", "file": "文件", "attachment": "附件",
    "sha256": "SHA-256 摘要", "user": "人员", "expires_at": "有效期至", "roles": "角色", "admin_role": "三员角色",
    "clearance": "涉密类别", "delegator": "委托人", "delegate": "受托人", "start": "开始日期", "end": "结束日期",
    "date": "日期", "name": "名称", "organization": "机关单位", "business_type": "业务类型", "version": "版本",
    "from_version": "原版本", "rule": "规则", "unit_code": "机构代码", "url": "地址", "created": "新建",
    "lead_department": "主办部门", "co_departments": "协办部门", "milestone": "阶段目标", "due_date": "完成时限",
    "closed_on": "销号日期", "expires_on": "到期日期", "title": "标题", "body": "正文", "reason": "理由",
    "opinion": "意见", "classification": "密级", "phone": "电话", "steps": "步骤",
}
PEOPLE_KEYS = {"signer", "leader", "assignee", "user", "delegator", "delegate", "supervisors", "decided_by",
               "responsible_leader", "drafter", "created_by", "recipient_users", "reader", "readers"}
DEPARTMENT_KEYS = {"department", "lead_department", "co_departments", "departments", "countersign_departments",
                   "recipient_departments", "lead", "co"}
# Only people and organizations are looked up by id: never print str() of a business object (it holds a title).
NAMED_MODELS = {"org.user", "org.department", "org.organization", "org.externalorgan", "org.position"}


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class Presenter:
    def __init__(self, reader):
        self.reader = reader
        self._names: dict[str, dict[Any, str]] = {}

    # ---- names -----------------------------------------------------------------------------------------
    def _name_of(self, label: str, pk: Any) -> str:
        from django.apps import apps

        cache = self._names.setdefault(label, {})
        if pk not in cache:
            model = apps.get_model(label)
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                cache[pk] = f"（已删除 #{pk}）"
            else:
                cache[pk] = getattr(obj, "display_name", "") or str(obj)
        return cache[pk]

    # ---- one entry -------------------------------------------------------------------------------------
    def shown(self, entry) -> redact.Shown:
        cached = getattr(entry, "_shown", None)
        if cached is None or cached[0] is not self:
            cached = (self, redact.for_reader(entry, self.reader))
            entry._shown = cached
        return cached[1]

    def actor(self, entry) -> str:
        return entry.actor_name + (f" 代 {entry.on_behalf_of_name}" if entry.on_behalf_of_name else "")

    def action(self, entry) -> str:
        return action_label(entry.action)

    def target_type(self, entry) -> str:
        return redact.type_label(entry.target_type) if entry.target_type else ""

    def target(self, entry) -> str:
        return self.shown(entry).target_repr

    def classification(self, entry) -> str:
        level = entry.classification
        return str(Classification(level).label) if level and level in Classification.values else ""

    def note(self, entry) -> str:
        return self.shown(entry).note

    def changes(self, entry) -> list[dict[str, str]]:
        s = self.shown(entry)
        before, after = s.before or {}, s.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return [{"field": "变更", "before": self._value(None, "", before), "after": self._value(None, "", after)}]
        model = redact.model_for(entry.target_type)
        out = []
        for key in sorted(set(before) | set(after)):
            out.append({
                "field": self.field_label(model, key),
                "before": self._value(model, key, before.get(key)) if key in before else "",
                "after": self._value(model, key, after.get(key)) if key in after else "",
            })
        return out

    def change_text(self, entry) -> str:
        parts = []
        for c in self.changes(entry):
            if c["before"] and c["after"]:
                parts.append(f"{c['field']}：{c['before']} → {c['after']}")
            else:
                parts.append(f"{c['field']}：{c['before'] or c['after']}")
        return "；".join(parts)[:500]

    # ---- fields and values -----------------------------------------------------------------------------
    def field_label(self, model: type[models.Model] | None, key: str) -> str:
        field = self._field(model, key)
        if field is not None and getattr(field, "verbose_name", None) and str(field.verbose_name) != field.name.replace("_", " "):
            return str(field.verbose_name)
        return KEY_LABELS.get(key, key)

    @staticmethod
    def _field(model: type[models.Model] | None, key: str):
        if model is None:
            return None
        try:
            return model._meta.get_field(key)
        except Exception:
            return None

    def _value(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "（空）"
        if isinstance(value, dict) and set(value) == {"sm3", "len"}:
            return f"〔内容已隐去，{value['len']} 字，SM3 {str(value['sm3'])[:8]}…〕"
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, list):
            return "、".join(self._value(model, key, v) for v in value) or "（空）"
        if isinstance(value, dict):
            return "，".join(f"{KEY_LABELS.get(k, k)} {self._value(None, k, v)}" for k, v in value.items())
        field = self._field(model, key)
        if key == "classification" and isinstance(value, int) and value in Classification.values:
            return str(Classification(value).label)
        if key == "clearance" and isinstance(value, int) and value in Clearance.values:
            return str(Clearance(value).label)
        if key in ("roles", "admin_role") and isinstance(value, str):
            from zhongshu.org.roles import AdminRole, Role

            choices = dict(Role.choices) | dict(AdminRole.choices)
            return str(choices.get(value, value))
        if field is not None and getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))
        related = getattr(field, "related_model", None) if field is not None and field.is_relation else None
        if related is not None and isinstance(value, int) and related._meta.label_lower in NAMED_MODELS:
            return self._name_of(related._meta.label_lower, value)
        if isinstance(value, int) and key in PEOPLE_KEYS:
            return self._name_of("org.user", value)
        if isinstance(value, int) and key in DEPARTMENT_KEYS:
            return self._name_of("org.department", value)
        if key == "status" and model is not None:
            status = self._field(model, "status")
            if status is not None and getattr(status, "choices", None):
                return str(dict(status.flatchoices).get(value, value))
        return str(value)
