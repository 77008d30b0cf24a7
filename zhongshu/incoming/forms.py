from typing import Any, cast

from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, ExternalOrgan

from .models import IncomingDocument
from .services import DOC_TYPES


class RegisterForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=[c for c in IncomingDocument.Source.choices if c[0] != "exchange"])
    sender_organ = forms.ModelChoiceField(label="来文单位（通讯录）", queryset=ExternalOrgan.objects.none(), required=False)
    sender_name = forms.CharField(label="或填写来文单位", max_length=100, required=False)
    doc_number = forms.CharField(label="来文字号", max_length=60, required=False, help_text="如“某政办发〔2026〕15号”；格式不规范的照录并标注")
    title = forms.CharField(label="标题", max_length=200)
    doc_type = forms.ChoiceField(label="文种", choices=[("", "（未标注）")] + [(t, t) for t in DOC_TYPES], required=False)
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int)
    copy_no = forms.CharField(label="份号", max_length=6, required=False, help_text="涉密来文必填，6 位数字")
    urgency = forms.ChoiceField(label="紧急程度", choices=[("", "无"), ("加急", "加急"), ("特急", "特急")], required=False)
    pages = forms.IntegerField(label="页数", min_value=1, max_value=10000, required=False)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=10000, initial=1)
    received_on = forms.DateField(label="收文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label="办理时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label="扫描件或电子文件", required=False, help_text="PDF、DOCX、图片，不超过 50 MB")
    allow_duplicate = forms.BooleanField(label="仍然登记（已确认不是同一份文件）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_organ"].queryset = ExternalOrgan.objects.filter(organization_id=user.organization_id)
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]


class LeaderField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.position}）" if obj.position_id else obj.display_name


def _bare(value):
    """A bare id (as the API and older pages send) names a department: "12" → "d:12"."""
    text = str(value).strip()
    return f"d:{text}" if text.isdigit() else value


def _units_as_choices(data):
    if not hasattr(data, "getlist"):
        data = dict(data)
        if data.get("lead_department") not in (None, ""):
            data["lead_department"] = _bare(data["lead_department"])
        if isinstance(data.get("co_departments"), (list, tuple)):
            data["co_departments"] = [_bare(v) for v in data["co_departments"]]
        return data
    data = data.copy()
    if data.get("lead_department"):
        data["lead_department"] = _bare(data["lead_department"])
    if data.getlist("co_departments"):
        data.setlist("co_departments", [_bare(v) for v in data.getlist("co_departments")])
    return data


class InstructionForm(forms.Form):
    """Inside the 拟办/批示 办理 form on the 待办 page: the 承办安排 (主办, 协办, 办理时限) saved with the opinion,
    the leaders 拟办 sends the document to (in order) when the 批示 step takes them from the document, and — when a
    批示 would close the document without a 主办 — the confirmation “无需承办，直接办结”."""

    legend = "承办安排"
    LEADER_SLOTS = 3
    ORDINALS = "一二三四五"

    # 主办/协办 are units: a department of this organization ("d:<id>", a bare id too) or another organization on the
    # platform ("o:<id>") — the same choices as the 承办安排 on the 收文 page (PlanForm).
    lead_department = forms.ChoiceField(label="主办单位", choices=(), required=False)
    co_departments = forms.MultipleChoiceField(label="协办单位", choices=(), required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 6}))
    deadline = forms.DateField(label="办理时限", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, document, designates=None, leaders=None, confirm: bool = False, **kwargs):
        from zhongshu.org.models import User

        kwargs.pop("initial", None)
        initial: dict[str, Any] = {"lead_department": unit_value(document.lead_unit) if document.lead_unit is not None else "",
                                   "co_departments": [unit_value(u) for u in document.co_units()], "deadline": document.deadline}
        by_id = {u.pk: u for u in User.objects.filter(pk__in=document.proposed_leaders or [])}
        for i, pk in enumerate((document.proposed_leaders or [])[: self.LEADER_SLOTS]):
            if pk in by_id:
                initial[f"leader_{i + 1}"] = pk
        if args and args[0] is not None and hasattr(args[0], "getlist") and args[0].getlist("leaders"):
            data = args[0].copy()  # the API names the leaders as one ordered list
            for i, pk in enumerate(data.getlist("leaders")[: self.LEADER_SLOTS]):
                data[f"leader_{i + 1}"] = pk
            args = (data, *args[1:])
        if args and args[0] is not None:
            args = (_units_as_choices(args[0]), *args[1:])
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.document = document
        choices = unit_choices(document)
        cast(forms.ChoiceField, self.fields["lead_department"]).choices = [("", "（暂不指定）"), *choices]
        cast(forms.ChoiceField, self.fields["co_departments"]).choices = choices
        self.note = "未指定主办单位的，批示完毕即办结。"
        if designates is not None:
            people = leaders if leaders is not None else User.objects.none()
            for i in range(self.LEADER_SLOTS):
                self.fields[f"leader_{i + 1}"] = LeaderField(label=f"送{designates.name}（第{self.ORDINALS[i]}位）", queryset=people,
                                                             required=False, empty_label="（不选）" if i else "（默认：分管领导）")
            self.fields["leader_1"].help_text = "按顺序依次送批；都不选则送分管领导。"
        if confirm:
            self.fields["no_undertaking"] = forms.BooleanField(label="无需承办，直接办结", required=False,
                                                               help_text="尚未指定主办部门。确认无需承办的，勾选后再提交；否则请选择主办部门。")

    @property
    def leaders(self) -> list | None:
        """The chosen leaders in order, or None when the form does not offer them."""
        if "leader_1" not in self.fields:
            return None
        return [self.cleaned_data.get(f"leader_{i + 1}") for i in range(self.LEADER_SLOTS) if self.cleaned_data.get(f"leader_{i + 1}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead_department")
        data["lead_department"] = unit_from_value(self.document, lead) if lead else None
        if lead and data["lead_department"] is None:
            self.add_error("lead_department", "所选主办单位不存在或已停用。")
        co = [unit_from_value(self.document, v) for v in data.get("co_departments") or []]
        if any(u is None for u in co):
            self.add_error("co_departments", "所选协办单位不存在或已停用。")
        data["co_departments"] = [u for u in co if u is not None]
        if "leader_1" in self.fields:
            chosen = [data.get(f"leader_{i + 1}") for i in range(self.LEADER_SLOTS) if data.get(f"leader_{i + 1}")]
            if len(chosen) != len(set(chosen)):
                self.add_error("leader_2", "同一位领导不能重复选择。")
            data["leaders"] = chosen
        return data


def unit_value(unit) -> str:
    """The form value of a 承办 unit: "d:<id>" for a department of this organization, "o:<id>" for another
    organization on the platform, "x:<id>" for an outside organ of the address book (on paper)."""
    from zhongshu.org.models import ExternalOrgan, Organization

    if isinstance(unit, ExternalOrgan):
        return f"x:{unit.pk}"
    return f"o:{unit.pk}" if isinstance(unit, Organization) else f"d:{unit.pk}"


def unit_from_value(document: IncomingDocument, value):
    """The unit a form value names (a bare number is a department, as before), or None. Departments must be of the
    document's organization; organizations must be active and other than the document's own; outside organs must be
    in the organization's address book and not on the platform."""
    from zhongshu.org.models import ExternalOrgan, Organization

    value = (str(value or "")).strip()
    kind, _, raw = value.partition(":") if ":" in value else ("d", "", value)
    try:
        pk = int(raw)
    except ValueError:
        return None
    if not 0 < pk < 2**62:
        return None
    if kind == "o":
        return Organization.objects.filter(pk=pk, is_active=True).exclude(pk=document.organization_id).first()
    if kind == "d":
        return Department.objects.filter(pk=pk, organization_id=document.organization_id).first()
    if kind == "x":
        return ExternalOrgan.objects.filter(pk=pk, organization_id=document.organization_id, platform_organization__isnull=True).first()
    return None


def unit_choices(document: IncomingDocument) -> list:
    """Grouped choices: this organization's departments, the other organizations on the platform, then the outside
    organs of the address book that are not on the platform (handled on paper, recorded by the office)."""
    from zhongshu.org.models import ExternalOrgan, Organization

    own = [(f"d:{d.pk}", d.name) for d in Department.objects.filter(organization_id=document.organization_id, is_active=True).order_by("order", "id")]
    others = [(f"o:{o.pk}", o.short_name or o.name) for o in Organization.objects.filter(is_active=True)
              .exclude(pk=document.organization_id).order_by("order", "id")]
    paper = [(f"x:{x.pk}", f"{x.short_name or x.name}（纸质）") for x in ExternalOrgan.objects.filter(
        organization_id=document.organization_id, platform_organization__isnull=True).order_by("order", "id")]
    groups = [("本机关内设机构", own), ("平台内其他机关（县直部门、乡镇）", others)]
    return groups + [("通讯录外单位（纸质送达，办公室代为登记）", paper)] if paper else groups


class PlanForm(forms.Form):
    """承办安排 (主办, 协办, 办理时限) — on the 收文 page and on the 拟办/批示 work item. Shows what was saved."""

    lead_department = forms.ChoiceField(label="主办单位", choices=())
    co_departments = forms.MultipleChoiceField(label="协办单位", choices=(), required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 6}))
    deadline = forms.DateField(label="办理时限", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    workdays = forms.IntegerField(label="或：工作日数", required=False, min_value=1, max_value=250)

    def __init__(self, *args, document: IncomingDocument, **kwargs):
        kwargs.setdefault("initial", {
            "lead_department": unit_value(document.lead_unit) if document.lead_unit is not None else "",
            "co_departments": [unit_value(u) for u in document.co_units()],
            "deadline": document.deadline,
        })
        super().__init__(*args, **kwargs)
        self.document = document
        choices = unit_choices(document)
        lead = self.fields["lead_department"]
        co = self.fields["co_departments"]
        assert isinstance(lead, forms.ChoiceField) and isinstance(co, forms.ChoiceField)
        lead.choices = [("", "请选择"), *choices]
        co.choices = choices

    def units(self) -> tuple:
        """(lead, [co…]) as objects, for incoming_plan()."""
        data = self.cleaned_data
        lead = unit_from_value(self.document, data.get("lead_department"))
        co = [u for u in (unit_from_value(self.document, v) for v in data.get("co_departments") or []) if u is not None]
        return lead, co
