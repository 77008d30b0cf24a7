from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User
from zhongshu.org.roles import Role

from .models import Cycle, Source

DATE = forms.DateInput(attrs={"type": "date"})


def department_choices(user):
    """Departments of the office's own organization and of the organs it supervises (all active)."""
    return Department.objects.filter(is_active=True).select_related("organization").order_by("organization__order", "order", "id")


def _label(d: Department) -> str:
    return f"{d.organization.short_name}·{d.name}"


class ItemForm(forms.Form):
    title = forms.CharField(label="督办事项", max_length=200)
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    source_ref = forms.CharField(label="来源说明", max_length=120, required=False, help_text="如批示件编号、会议名称、提案号")
    content = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 8}))
    responsible_leader = forms.ModelChoiceField(label="责任领导", queryset=User.objects.none())
    lead_department = forms.ModelChoiceField(label="主办单位", queryset=Department.objects.none())
    co_departments = forms.ModelMultipleChoiceField(label="协办单位", queryset=Department.objects.none(), required=False)
    deadline = forms.DateField(label="办结时限", required=False, widget=DATE)
    workdays = forms.IntegerField(label="或：自今日起工作日数", required=False, min_value=1, max_value=500)
    cycle = forms.ChoiceField(label="报送周期", choices=Cycle.choices)
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int, initial=Classification.INTERNAL)
    milestones = forms.CharField(label="分阶段目标", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="每行一项：日期 目标，如“2026-12-15 完成方案编制”")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = User.objects.filter(organization_id=user.organization_id, is_active=True, role_assignments__role=Role.LEADER).distinct()
        self.fields["responsible_leader"].queryset = leaders
        self.fields["responsible_leader"].label_from_instance = lambda u: u.display_name
        for name in ("lead_department", "co_departments"):
            self.fields[name].queryset = department_choices(user)
            self.fields[name].label_from_instance = _label
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]

    def clean_milestones(self):
        import datetime

        rows = []
        for n, line in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            day, _, title = line.partition(" ")
            try:
                rows.append((title.strip(), datetime.date.fromisoformat(day.strip())))
            except ValueError:
                raise forms.ValidationError(f"第 {n} 行格式应为“YYYY-MM-DD 目标”。")
        return rows
