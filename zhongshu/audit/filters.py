import django_filters
from django.db.models import Q

from zhongshu.core.classification import max_readable

from .actions import LABELS
from .models import AuditEntry


def actions_matching(value: str) -> list[str]:
    """Action codes whose Chinese name is or contains `value` (“签发”, “退回” …)."""
    exact = [code for code, name in LABELS.items() if name == value]
    return exact or [code for code, name in LABELS.items() if value in name]


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    actor = django_filters.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", method="by_action", help_text="操作名称（如“签发”）或代码")
    after = django_filters.DateFilter(label="起", field_name="created_at", lookup_expr="date__gte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    before = django_filters.DateFilter(label="止", field_name="created_at", lookup_expr="date__lte", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    ip = django_filters.CharFilter(label="IP", field_name="ip", lookup_expr="startswith")

    class Meta:
        model = AuditEntry
        fields = ["q", "actor", "action", "after", "before", "ip"]

    def by_action(self, qs, name, value):
        value = value.strip()[:60]
        if not value:
            return qs
        return qs.filter(Q(action__in=actions_matching(value)) | Q(action__startswith=value))

    def keyword(self, qs, name, value):
        """Free text searches the description and note only of entries the reader may read: a hit on an old
        entry's classified title would otherwise tell the reader that title exists."""
        value = value.strip()[:100]
        if not value:
            return qs
        user = getattr(self.request, "user", None)
        readable = int(max_readable(int(getattr(user, "clearance", 1) or 1)))
        matching = Q(classification__lte=readable) & (Q(target_repr__icontains=value) | Q(note__icontains=value))
        return qs.filter(matching | Q(action__icontains=value) | Q(action__in=actions_matching(value)))
