from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, ExternalOrgan

from .models import Direction, DocType, Format, Publicity, Urgency


class DraftForm(forms.Form):
    """发文稿纸 + 正文."""

    doc_type = forms.ChoiceField(label="文种", choices=DocType.choices)
    format = forms.ChoiceField(label="版式", choices=Format.choices)
    direction = forms.ChoiceField(label="行文方向", choices=Direction.choices)
    title = forms.CharField(label="标题", max_length=200, help_text="发文机关＋事由＋文种，如“某县人民政府办公室关于……的通知”")
    main_recipients = forms.ModelMultipleChoiceField(label="主送机关", queryset=ExternalOrgan.objects.none(), required=False)
    cc_recipients = forms.ModelMultipleChoiceField(label="抄送机关", queryset=ExternalOrgan.objects.none(), required=False)
    countersign_departments = forms.ModelMultipleChoiceField(label="会签单位", queryset=Department.objects.none(), required=False,
                                                             help_text="需要会签的本机关内设机构；送审后由其负责人并行会签")
    joint_issuers = forms.ModelMultipleChoiceField(label="联合发文机关", queryset=ExternalOrgan.objects.none(), required=False,
                                                   help_text="联合行文时选择；本机关为主办机关，编号前须各联合发文机关会签同意")
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int)
    secrecy_period = forms.CharField(label="保密期限", required=False, max_length=20, help_text="如“1年”“6个月”；涉密公文不填按最长期限")
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, required=False)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=100000, required=False,
                                help_text="不少于主送、抄送机关数（每个单位一份，分发时编份号）；不填则按其数目")
    publicity = forms.ChoiceField(label="公开属性", choices=Publicity.choices)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 18, "class": "body-editor"}),
                           help_text="标题层次：一、（一）1.（1）；每段自动首行缩进两字")
    attachment_names = forms.CharField(label="附件说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一个附件名称，不加序号和标点")
    note = forms.CharField(label="附注", required=False, max_length=100, help_text="如“此件公开发布”")
    reason = forms.CharField(label="修改说明", required=False, max_length=200, help_text="签发后修改正文须说明")
    docx = forms.FileField(label="从 DOCX 导入正文", required=False)
    attachment = forms.FileField(label="上传附件文件", required=False, help_text="PDF、DOCX、图片等，单个不超过 50 MB；可多次保存上传多个")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        book = ExternalOrgan.objects.filter(organization_id=user.organization_id)
        self.fields["main_recipients"].queryset = book
        self.fields["cc_recipients"].queryset = book
        self.fields["joint_issuers"].queryset = book
        self.fields["countersign_departments"].queryset = Department.objects.filter(organization_id=user.organization_id).order_by("order", "id")
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]


class ReserveForm(forms.Form):
    prefix = forms.CharField(label="机关代字", max_length=20, required=False)
    reason = forms.CharField(label="预留原因", max_length=200)


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)
