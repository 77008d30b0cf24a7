from django import forms

from zhongshu.org.models import Organization

from .models import CalendarDay


class CalcForm(forms.Form):
    start = forms.DateField(label="起算日期", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="工作日数", min_value=-365, max_value=365, initial=5)


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=CalendarDay.Kind.choices)
    name = forms.CharField(label="名称", max_length=40, help_text="如：春节、国庆节调休上班")
    organization = forms.ModelChoiceField(label="适用机关", queryset=Organization.objects.all(), required=False, empty_label="全国（法定）", help_text="选择机关则为该机关的地方性假日")


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据", max_length=200, help_text="国务院办公厅关于该年部分节假日安排的通知")
