from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import ExternalOrgan

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
