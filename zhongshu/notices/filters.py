import django_filters
from django.db.models import Q

from zhongshu.core.classification import Classification

from .models import Notice


class NoticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    status = django_filters.ChoiceFilter(label="状态", choices=Notice.Status.choices, empty_label="全部")
    classification = django_filters.ChoiceFilter(label="密级", choices=Classification.choices, empty_label="全部")
    published_after = django_filters.DateFilter(label="发布起", field_name="published_at", lookup_expr="date__gte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    published_before = django_filters.DateFilter(label="发布止", field_name="published_at", lookup_expr="date__lte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Notice
        fields = ["q", "status", "classification", "published_after", "published_before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(title__icontains=value) | Q(body__icontains=value)) if value else qs
