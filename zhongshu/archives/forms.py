from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import User
from zhongshu.org.roles import Role

from .models import Appraisal, Loan, Retention, Source


class SettingsForm(forms.Form):
    fonds_code = forms.CharField(label="全宗号", max_length=4, help_text="4 位，如 0194")
    fonds_name = forms.CharField(label="全宗名称", max_length=100, required=False, help_text="不填则用机关名称")
    category_code = forms.CharField(label="门类代码", max_length=4, initial="WS", help_text="文书档案为 WS")
    default_unit_code = forms.CharField(label="默认机构（问题）代码", max_length=6, initial="BGS")
    loan_days = forms.IntegerField(label="默认借阅天数", min_value=1, max_value=90, initial=14)
    director_from = forms.TypedChoiceField(label="自此密级起由涉密借阅审批角色审批", choices=Classification.choices, coerce=int, initial=Classification.SECRET)
    lower_approver_role = forms.ChoiceField(label="一般借阅审批角色", choices=Role.choices, initial=Role.ARCHIVIST)
    upper_approver_role = forms.ChoiceField(label="涉密借阅审批角色", choices=Role.choices, initial=Role.OFFICE_DIRECTOR)
    destruction_approver_role = forms.ChoiceField(label="销毁审批角色（机关负责人）", choices=Role.choices, initial=Role.LEADER)


class RuleForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=[("", "任意"), *Source.choices], required=False)
    doc_type = forms.CharField(label="文种", max_length=8, required=False)
    keyword = forms.CharField(label="标题关键词", max_length=40, required=False)
    retention = forms.ChoiceField(label="保管期限", choices=Retention.choices)
    order = forms.IntegerField(label="顺序", min_value=0, max_value=10000, initial=100)


class FileForm(forms.Form):
    retention = forms.ChoiceField(label="保管期限", choices=Retention.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    retention = forms.ChoiceField(label="保管期限", choices=[("", "全部"), *Retention.choices], required=False)
    unit_code = forms.CharField(label="机构（问题）代码", max_length=6, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)


class LoanForm(forms.Form):
    archival_code = forms.CharField(label="档号", max_length=40, help_text="如 0194-WS·2026-D30-BGS-0001（“·”也可输入“.”）")
    kind = forms.ChoiceField(label="方式", choices=Loan.Kind.choices, initial=Loan.Kind.CONSULT)
    purpose = forms.CharField(label="利用目的", max_length=200)
    days = forms.IntegerField(label="借阅天数", min_value=1, max_value=90, required=False, help_text="不填按本机关默认天数")


class DecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class AppraiseForm(forms.Form):
    decision = forms.ChoiceField(label="鉴定结论", choices=Appraisal.Decision.choices)
    new_years = forms.IntegerField(label="延长年限", min_value=1, max_value=50, required=False)
    opinion = forms.CharField(label="鉴定意见", max_length=300)


class DestructionForm(forms.Form):
    reason = forms.CharField(label="销毁理由", max_length=300)
    items = forms.TypedMultipleChoiceField(label="拟销毁档案", coerce=int, choices=[])

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.pk, f"{i.archival_code} {i.title}") for i in candidates]
        self.fields["items"].widget = forms.CheckboxSelectMultiple(choices=self.fields["items"].choices)


class ExecuteForm(forms.Form):
    supervisor1 = forms.ModelChoiceField(label="监销人一", queryset=User.objects.none())
    supervisor2 = forms.ModelChoiceField(label="监销人二", queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(organization_id=user.organization_id, is_active=True, admin_role="").order_by("username")
        for name in ("supervisor1", "supervisor2"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda u: u.display_name
