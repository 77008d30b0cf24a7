import django_filters
from django import forms
from django.db.models import Q

from .models import FlowInstance, WorkItem
from .registry import business_type_choices

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ItemFilter(django_filters.FilterSet):
    """待办/待阅/已办 filters: keyword (title, step, initiator, opinion), business type, urgency, dates."""

    q = django_filters.CharFilter(label="关键词", method="keyword")
    business_type = django_filters.ChoiceFilter(label="业务类型", field_name="instance__business_type", choices=business_type_choices,
                                                empty_label="全部")
    urgency = django_filters.ChoiceFilter(label="时限", method="by_urgency", empty_label="全部",
                                          choices=[("red", "已超期"), ("yellow", "临近到期"), ("green", "未到期"), ("none", "无时限")])
    received_after = django_filters.DateFilter(label="收到起", field_name="created_at", lookup_expr="date__gte", **DATE)
    received_before = django_filters.DateFilter(label="收到止", field_name="created_at", lookup_expr="date__lte", **DATE)

    class Meta:
        model = WorkItem
        fields = ["q", "business_type", "urgency", "received_after", "received_before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(instance__title__icontains=value) | Q(step_name__icontains=value) | Q(opinion__icontains=value)
                         | Q(instance__initiator__real_name__icontains=value))

    def by_urgency(self, qs, name, value):
        from .selectors import urgency_bounds

        user = getattr(self.request, "user", None)
        today, soon = urgency_bounds(getattr(user, "organization_id", None))
        if value == "red":
            return qs.filter(due_date__lt=today)
        if value == "yellow":
            return qs.filter(due_date__gte=today, due_date__lte=soon)
        if value == "green":
            return qs.filter(due_date__gt=soon)
        if value == "none":
            return qs.filter(due_date__isnull=True)
        return qs


class InstanceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    status = django_filters.ChoiceFilter(label="状态", choices=FlowInstance.Status.choices, empty_label="全部")
    business_type = django_filters.ChoiceFilter(label="业务类型", choices=business_type_choices, empty_label="全部")
    started_after = django_filters.DateFilter(label="发起起", field_name="created_at", lookup_expr="date__gte", **DATE)
    started_before = django_filters.DateFilter(label="发起止", field_name="created_at", lookup_expr="date__lte", **DATE)

    class Meta:
        model = FlowInstance
        fields = ["q", "status", "business_type", "started_after", "started_before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(title__icontains=value) | Q(current_step_name__icontains=value)) if value else qs
