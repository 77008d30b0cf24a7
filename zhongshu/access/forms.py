from django import forms
from django.contrib.contenttypes.models import ContentType

from zhongshu.org.models import Department, User

from .services import secured_models


class GrantForm(forms.Form):
    content_type = forms.ModelChoiceField(label="对象类型", queryset=ContentType.objects.none())
    object_id = forms.IntegerField(label="对象编号", min_value=1, help_text="对象详情页地址中的数字")
    user = forms.ModelChoiceField(label="授权人员", queryset=User.objects.filter(is_active=True, admin_role=""), required=False)
    department = forms.ModelChoiceField(label="或授权部门", queryset=Department.objects.all(), required=False)
    reason = forms.CharField(label="授权事由", max_length=200)
    expires_on = forms.DateField(label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="不填则长期有效")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cts = ContentType.objects.get_for_models(*secured_models())
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=[ct.pk for ct in cts.values()])
        self.fields["content_type"].label_from_instance = lambda ct: str(ct.model_class()._meta.verbose_name)
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.organization.short_name if u.organization else ''}）"
        self.fields["department"].label_from_instance = lambda d: f"{d.organization.short_name} · {d.name}"
        self.fields["department"].queryset = Department.objects.select_related("organization")
        self.fields["user"].queryset = self.fields["user"].queryset.select_related("organization")
