from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User

from .models import Matter, Seal, SealKind

DATE = forms.DateInput(attrs={"type": "date"})


def _people(user):
    qs = User.objects.filter(organization_id=user.organization_id, is_active=True, admin_role="").order_by("position__rank", "id")
    return qs


class _PeopleMixin:
    def _label_people(self, *names):
        for name in names:
            self.fields[name].label_from_instance = lambda u: u.display_name


class SealApplyForm(forms.Form):
    kind = forms.ModelChoiceField(label="种类", queryset=SealKind.objects.none())
    name = forms.CharField(label="印文", max_length=60, help_text="印章上刻的文字，自左而右")
    department = forms.ModelChoiceField(label="所属单位", queryset=Department.objects.none(), required=False, help_text="不选为本机关")
    electronic = forms.BooleanField(label="电子印章", required=False)
    reason = forms.CharField(label="刻制事由", max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = SealKind.objects.filter(organization_id=user.organization_id)
        self.fields["department"].queryset = Department.objects.filter(organization_id=user.organization_id, is_active=True)


class RequestForm(forms.Form):
    seals = forms.ModelMultipleChoiceField(label="印章", queryset=Seal.objects.none(), widget=forms.CheckboxSelectMultiple)
    matter = forms.ChoiceField(label="用印事项", choices=Matter.choices)
    document_title = forms.CharField(label="用印文件", max_length=200, help_text="须写明文件名称，不得在空白文件、空白表格上用印")
    copies = forms.IntegerField(label="份数", min_value=1, max_value=500, initial=1)
    purpose = forms.CharField(label="用途", max_length=300)
    urgent = forms.BooleanField(label="紧急（可电话请示，事后补办确认）", required=False)
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int, initial=Classification.INTERNAL)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seals"].queryset = Seal.objects.restrict(user).filter(status=Seal.Status.ACTIVE).select_related("kind")
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]


class LoanForm(forms.Form, _PeopleMixin):
    carrier = forms.ModelChoiceField(label="携带人", queryset=User.objects.none())
    companion = forms.ModelChoiceField(label="陪同人", queryset=User.objects.none(), help_text="保管人或另一名工作人员")
    destination = forms.CharField(label="前往地点", max_length=100)
    purpose = forms.CharField(label="事由", max_length=300)
    expected_return = forms.DateField(label="预计归还日期", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = _people(user)
        self.fields["companion"].queryset = _people(user)
        self._label_people("carrier", "companion")


class LetterForm(forms.Form):
    holder = forms.CharField(label="持信人", max_length=60)
    holder_count = forms.IntegerField(label="人数", min_value=1, max_value=50, initial=1)
    holder_title = forms.CharField(label="职务", max_length=40, required=False)
    receiving_unit = forms.CharField(label="接收单位", max_length=100)
    matter = forms.CharField(label="事由", max_length=300)
    valid_until = forms.DateField(label="有效期至", widget=DATE)
