import django_filters
from django.db.models import Q

from .models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    actor = django_filters.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作代码", field_name="action", lookup_expr="startswith")
    after = django_filters.DateFilter(label="起", field_name="created_at", lookup_expr="date__gte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    before = django_filters.DateFilter(label="止", field_name="created_at", lookup_expr="date__lte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    ip = django_filters.CharFilter(label="IP", field_name="ip", lookup_expr="startswith")

    class Meta:
        model = AuditEntry
        fields = ["q", "actor", "action", "after", "before", "ip"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(target_repr__icontains=value) | Q(note__icontains=value) | Q(action__icontains=value)) if value else qs
