from django import forms

from zhongshu.core.classification import Classification
from zhongshu.org.models import Department, User

from .models import Attendee, Room

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
T = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [(i, f"星期{'一二三四五六日'[i]}") for i in range(7)]


def _people(user):
    qs = User.objects.filter(organization_id=user.organization_id, is_active=True, admin_role="").select_related("position")
    return qs


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=120)
    category = forms.ChoiceField(label="会议类别")
    classification = forms.TypedChoiceField(label="密级", choices=Classification.choices, coerce=int, initial=Classification.INTERNAL)
    start = forms.DateTimeField(label="开始时间", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    end = forms.DateTimeField(label="结束时间", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    room = forms.ModelChoiceField(label="会议室", queryset=Room.objects.none(), required=False)
    venue = forms.CharField(label="会外地点", max_length=120, required=False, help_text="不在本机关会议室召开时填写")
    scope = forms.CharField(label="参会范围", max_length=300, required=False)
    invitees = forms.ModelMultipleChoiceField(label="参会人员（本机关）", queryset=User.objects.none(), required=False)
    planned_attendees = forms.IntegerField(label="计划参会人数", min_value=0, initial=0, help_text="含外单位人员；按此人数检查定额")
    budget = forms.DecimalField(label="经费预算（元）", min_value=0, initial=0, decimal_places=2)
    purpose = forms.CharField(label="会议内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)
    reply_workdays = forms.IntegerField(label="回执期限（工作日）", min_value=1, max_value=30, initial=2)

    def __init__(self, *args, user, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = [(str(c.pk), c.name) for c in categories]
        self.fields["room"].queryset = Room.objects.filter(organization_id=user.organization_id, is_active=True)
        self.fields["invitees"].queryset = _people(user)
        self.fields["invitees"].label_from_instance = lambda u: f"{u.display_name}（{u.position or '—'}）"
        self.fields["classification"].choices = [(v, label) for v, label in Classification.choices if v <= user.max_classification]

    def clean_category(self):
        value = self.cleaned_data["category"]
        if value not in self.categories:
            raise forms.ValidationError("请选择会议类别。")
        return self.categories[value]


class BookingForm(forms.Form):
    title = forms.CharField(label="用途", max_length=120)
    start = forms.DateTimeField(label="开始", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    end = forms.DateTimeField(label="结束", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class MoveForm(forms.Form):
    start = forms.DateTimeField(label="开始", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    end = forms.DateTimeField(label="结束", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class SeriesForm(forms.Form):
    title = forms.CharField(label="用途", max_length=120)
    weekday = forms.TypedChoiceField(label="每周", choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label="开始", widget=T)
    end_time = forms.TimeField(label="结束", widget=T)
    first_day = forms.DateField(label="起始日期", widget=D)
    last_day = forms.DateField(label="截止日期", widget=D)


class RoomForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60)
    building = forms.CharField(label="楼宇", max_length=60)
    floor = forms.CharField(label="楼层", max_length=20, required=False)
    capacity = forms.IntegerField(label="容纳人数", min_value=1, max_value=5000)
    equipment = forms.CharField(label="设备", max_length=200, required=False, help_text="如：投影、视频会议终端、同声传译")
    is_classified = forms.BooleanField(label="涉密会议室", required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


class CategoryForm(forms.Form):
    code = forms.CharField(label="代码", max_length=20)
    name = forms.CharField(label="名称", max_length=40)
    max_days = forms.IntegerField(label="会期上限（天）", min_value=1, required=False)
    max_attendees = forms.IntegerField(label="参会人数上限", min_value=1, required=False)
    daily_cost_cap = forms.DecimalField(label="每人每天综合定额（元）", min_value=0, decimal_places=2, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(label="回执", choices=[c for c in Attendee.Reply.choices if c[0] != "pending"], widget=forms.RadioSelect)
    reason = forms.CharField(label="请假事由", max_length=200, required=False)
    substitute = forms.ModelChoiceField(label="代参人员", queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = _people(user).exclude(pk=user.pk)
        self.fields["substitute"].label_from_instance = lambda u: f"{u.display_name}（{u.position or '—'}）"


class DecisionForm(forms.Form):
    text = forms.CharField(label="议定事项", max_length=300)
    lead_department = forms.ModelChoiceField(label="主办单位", queryset=Department.objects.none())
    deadline = forms.DateField(label="办结时限", widget=D)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = Department.objects.filter(is_active=True).select_related("organization").order_by("organization__order", "order")
        self.fields["lead_department"].label_from_instance = lambda d: f"{d.organization.short_name} {d.name}"
