from django import forms

from zhongshu.org.models import Department, Organization, User
from zhongshu.org.roles import Role

from .models import AssigneeRule, Completion, Fact, Op, StepAction, StepKind
from .registry import business_type_choices

TEXT = {"rows": 3, "placeholder": "填写意见"}


def _people_field(label: str, *, many: bool = True, required: bool = True):
    cls = forms.ModelMultipleChoiceField if many else forms.ModelChoiceField
    field = cls(label=label, queryset=User.objects.none(), required=required)
    field.label_from_instance = lambda u: f"{u.display_name}（{u.position or ''}）" if u.position_id else u.display_name
    return field


class ApproveForm(forms.Form):
    opinion = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))
    next_assignees = _people_field("下一步办理人", required=False)

    def __init__(self, *args, candidates=None, next_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is None:
            del self.fields["next_assignees"]
        else:
            self.fields["next_assignees"].queryset = candidates
            self.fields["next_assignees"].label = f"下一步（{next_step.name}）办理人"
            self.fields["next_assignees"].help_text = "若本步骤由您完成，请选择下一步的办理人。"


class ReturnForm(forms.Form):
    to_position = forms.TypedChoiceField(label="退回到", coerce=int)
    reason = forms.CharField(label="退回理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_position"].choices = list(targets)
        if targets:
            self.fields["to_position"].initial = list(targets)[-1][0]


class TransferForm(forms.Form):
    to = _people_field("转办给", many=False)
    opinion = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people if people is not None else User.objects.none()


class AddSignForm(forms.Form):
    signers = _people_field("加签人")
    position = forms.ChoiceField(label="加签方式", choices=[("before", "前加签（加签人先办，再回到我）"), ("after", "后加签（我同意后再由加签人办理）")])
    opinion = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signers"].queryset = people if people is not None else User.objects.none()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ChaseForm(forms.Form):
    message = forms.CharField(label="催办内容", required=False, max_length=2000, initial="请尽快办理。",
                              widget=forms.Textarea(attrs={"rows": 2}))


class CirculateForm(forms.Form):
    recipients = _people_field("传阅人员")
    opinion = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = people if people is not None else User.objects.none()


class StartForm(forms.Form):
    object_id = forms.TypedChoiceField(label="送审事项", coerce=int)
    opinion = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    next_assignees = _people_field("第一步办理人", required=False)

    def __init__(self, *args, objects=(), candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_id"].choices = [(o.pk, str(o)) for o in objects]
        if candidates is None:
            del self.fields["next_assignees"]
        else:
            self.fields["next_assignees"].queryset = candidates


class DefinitionForm(forms.Form):
    organization = forms.ModelChoiceField(label="机关", queryset=Organization.objects.none())
    business_type = forms.ChoiceField(label="业务类型", choices=business_type_choices)
    name = forms.CharField(label="流程名称", max_length=60)
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class DefinitionMetaForm(forms.Form):
    name = forms.CharField(label="流程名称", max_length=60)
    description = forms.CharField(label="说明", max_length=200, required=False)


class StepForm(forms.Form):
    """One row of the step table (a draft version is edited as rows)."""

    # Nothing is required here: blank rows are skipped, and the service checks the rest with row-level messages.
    name = forms.CharField(label="步骤名称", max_length=40, required=False)
    kind = forms.ChoiceField(label="办理方式", choices=StepKind.choices, initial=StepKind.SINGLE, required=False)
    completion = forms.ChoiceField(label="会签规则", choices=Completion.choices, initial=Completion.ALL, required=False)
    completion_n = forms.IntegerField(label="N", min_value=1, max_value=99, required=False)
    assignee_rule = forms.ChoiceField(label="办理人规则", choices=[("", "—")] + list(AssigneeRule.choices), required=False)
    users = _people_field("人员", required=False)
    role = forms.ChoiceField(label="角色", choices=[("", "—")] + list(Role.choices), required=False)
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    condition_fact = forms.ChoiceField(label="条件", choices=[("", "无条件")] + list(Fact.choices), required=False)
    condition_op = forms.ChoiceField(label="比较", choices=[("", "—")] + list(Op.choices), required=False)
    condition_value = forms.CharField(label="条件值", max_length=100, required=False)
    deadline_days = forms.IntegerField(label="时限（工作日）", min_value=0, max_value=365, required=False)
    actions = forms.MultipleChoiceField(label="允许的操作", choices=StepAction.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(organization_id=organization_id, is_active=True, admin_role="")
        self.fields["users"].widget.attrs["size"] = 4
        self.fields["department"].queryset = Department.objects.filter(organization_id=organization_id, is_active=True)


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, max_num=30, validate_max=True)
