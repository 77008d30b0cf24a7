import django_filters
from django import forms

from .models import Task
from .registry import kind_choices

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class TaskFilter(django_filters.FilterSet):
    """待办/待阅/已办 filters: keyword (title, 来自), 类别, 时限, dates."""

    q = django_filters.CharFilter(label="关键词", method="keyword")
    kind = django_filters.ChoiceFilter(label="类别", choices=kind_choices, empty_label="全部")
    urgency = django_filters.ChoiceFilter(label="时限", method="by_urgency", empty_label="全部",
                                          choices=[("red", "已超期"), ("yellow", "临近到期"), ("green", "未到期"), ("none", "无时限")])
    received_after = django_filters.DateFilter(label="收到起", field_name="since", lookup_expr="date__gte", **DATE)
    received_before = django_filters.DateFilter(label="收到止", field_name="since", lookup_expr="date__lte", **DATE)

    class Meta:
        model = Task
        fields = ["q", "kind", "urgency", "received_after", "received_before"]

    def keyword(self, qs, name, value):
        from django.db.models import Q

        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(title__icontains=value) | Q(origin__icontains=value) | Q(action__icontains=value))

    def by_urgency(self, qs, name, value):
        from .selectors import urgency_bounds

        user = getattr(self.request, "user", None)
        today, soon = urgency_bounds(getattr(user, "organization_id", None))
        if value == "red":
            return qs.filter(deadline__lt=today)
        if value == "yellow":
            return qs.filter(deadline__gte=today, deadline__lte=soon)
        if value == "green":
            return qs.filter(deadline__gt=soon)
        if value == "none":
            return qs.filter(deadline__isnull=True)
        return qs
