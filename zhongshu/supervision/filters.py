import django_filters
from django.db.models import Q
from django.utils import timezone

from .models import Light, Source, SupervisionItem, SupervisionTask


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=SupervisionItem.Status.choices, empty_label="全部")
    light = django_filters.ChoiceFilter(label="亮灯", choices=Light.choices, empty_label="全部")
    overdue = django_filters.BooleanFilter(label="仅超期", method="only_overdue", widget=django_filters.widgets.forms.CheckboxInput)
    created_after = django_filters.DateFilter(label="立项起", field_name="created_on", lookup_expr="gte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    created_before = django_filters.DateFilter(label="立项止", field_name="created_on", lookup_expr="lte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = SupervisionItem
        fields = ["q", "source", "status", "light", "overdue", "created_after", "created_before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(title__icontains=value) | Q(source_ref__icontains=value)) if value else qs

    def only_overdue(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(status__in=SupervisionItem.OPEN, deadline__lt=timezone.localdate())


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=SupervisionTask.Status.choices, empty_label="全部")
    light = django_filters.ChoiceFilter(label="亮灯", choices=Light.choices, empty_label="全部")

    class Meta:
        model = SupervisionTask
        fields = ["status", "light"]
