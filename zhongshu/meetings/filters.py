import django_filters
from django.db.models import Q

from zhongshu.core.classification import Classification

from .models import Meeting


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    status = django_filters.ChoiceFilter(label="状态", choices=Meeting.Status.choices, empty_label="全部")
    classification = django_filters.ChoiceFilter(label="密级", choices=Classification.choices, empty_label="全部")
    after = django_filters.DateFilter(label="开始起", field_name="start", lookup_expr="date__gte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    before = django_filters.DateFilter(label="开始止", field_name="start", lookup_expr="date__lte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Meeting
        fields = ["q", "status", "classification", "after", "before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(title__icontains=value) | Q(purpose__icontains=value)) if value else qs
