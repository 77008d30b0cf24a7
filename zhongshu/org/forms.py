from django import forms

from zhongshu.core.classification import Clearance

from .models import Delegation, Department, ExternalOrgan, Organization, Position, User
from .roles import Role


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "code", "doc_prefix", "fonds_code", "principal", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance if self.instance.pk else None
        self.fields["principal"].queryset = User.objects.filter(organization=org, is_active=True, admin_role="") if org else User.objects.none()
        self.fields["principal"].label_from_instance = lambda u: f"{u.display_name}（{u.position or '—'}）"
        if org:
            self.fields["code"].disabled = True


class PositionForm(forms.Form):
    name = forms.CharField(label="职务名称", max_length=40)
    rank = forms.IntegerField(label="职级排序", initial=100, min_value=0, max_value=10000, help_text="数字越小排序越靠前")
    is_leadership = forms.BooleanField(label="领导职务", required=False)


class DepartmentForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=60)
    code = forms.CharField(label="机构代码", max_length=20, help_text="大写字母或数字，如 BGS（办公室）")
    parent = forms.ModelChoiceField(label="上级机构", queryset=Department.objects.none(), required=False, empty_label="（无，一级机构）")
    head = forms.ModelChoiceField(label="负责人", queryset=User.objects.none(), required=False)
    leader_in_charge = forms.ModelChoiceField(label="分管领导", queryset=User.objects.none(), required=False)
    order = forms.IntegerField(label="排序", initial=100, min_value=0, max_value=100000)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Department.objects.filter(organization=organization)
        people = User.objects.filter(organization=organization, is_active=True, admin_role="")
        self.fields["head"].queryset = people
        self.fields["leader_in_charge"].queryset = people
        for f in ("head", "leader_in_charge"):
            self.fields[f].label_from_instance = lambda u: u.display_name


class PersonForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=30)
    real_name = forms.CharField(label="姓名", max_length=40)
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    position = forms.ModelChoiceField(label="职务", queryset=Position.objects.none(), required=False)
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)

    def __init__(self, *args, organization: Organization, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organization=organization)
        self.fields["position"].queryset = Position.objects.filter(organization=organization)
        if editing:
            self.fields["username"].disabled = True
            self.fields["is_active"] = forms.BooleanField(label="账号启用", required=False)


class ClearanceForm(forms.Form):
    clearance = forms.TypedChoiceField(label="涉密人员类别", choices=Clearance.choices, coerce=int)
    reason = forms.CharField(label="调整事由", max_length=200, help_text="如：经保密审查确定为重要涉密人员")


class ExternalOrganForm(forms.ModelForm):
    class Meta:
        model = ExternalOrgan
        fields = ["name", "short_name", "doc_prefix", "relation", "platform_organization", "contact", "phone", "order"]


class DelegationForm(forms.Form):
    delegator = forms.ModelChoiceField(label="委托人", queryset=User.objects.none())
    delegate = forms.ModelChoiceField(label="受托人（代办人）", queryset=User.objects.none())
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="事由", max_length=200, help_text="如：外出学习、休假")

    def __init__(self, *args, user: User, may_choose_delegator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(organization_id=user.organization_id, is_active=True, admin_role="")
        self.fields["delegate"].queryset = people.exclude(pk=user.pk) if not may_choose_delegator else people
        self.fields["delegator"].queryset = people if may_choose_delegator else people.filter(pk=user.pk)
        self.fields["delegator"].initial = user.pk
        for f in ("delegator", "delegate"):
            self.fields[f].label_from_instance = lambda u: f"{u.display_name}（{u.position or '—'}）"


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件", help_text="请先下载模板，按模板填写后上传（.xlsx）")


class DelegationRevokeForm(forms.Form):
    pass


__all__ = ["Delegation"]
