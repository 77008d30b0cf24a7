from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User

from .models import Notice


class NoticeForm(forms.Form):
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}))
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int, initial=Classification.INTERNAL)
    secrecy_period = forms.CharField(label="保密期限", required=False, help_text="涉密时填写，如“1年”“6个月”；不填按最长期限")
    scope = forms.ChoiceField(label="知悉范围", choices=Notice.Scope.choices)
    recipient_departments = forms.ModelMultipleChoiceField(label="发送部门", queryset=Department.objects.none(), required=False)
    recipient_users = forms.ModelMultipleChoiceField(label="发送人员", queryset=User.objects.none(), required=False)
    pinned = forms.BooleanField(label="置顶", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_departments"].queryset = Department.objects.filter(organization_id=user.organization_id, is_active=True)
        self.fields["recipient_users"].queryset = User.objects.filter(organization_id=user.organization_id, is_active=True, admin_role="")
        self.fields["recipient_users"].label_from_instance = lambda u: u.display_name
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]
