import django_filters
from django.db.models import Q

from zhongshu.core.classification import Classification

from .models import ArchiveItem, Retention, Source


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    year = django_filters.NumberFilter(label="年度", field_name="year")
    retention = django_filters.ChoiceFilter(label="保管期限", choices=Retention.choices, empty_label="全部")
    unit_code = django_filters.CharFilter(label="机构代码", field_name="unit_code", lookup_expr="iexact")
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices, empty_label="全部")
    classification = django_filters.ChoiceFilter(label="密级", choices=Classification.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=ArchiveItem.Status.choices, empty_label="全部")

    class Meta:
        model = ArchiveItem
        fields = ["q", "year", "retention", "unit_code", "source", "classification", "status"]

    def keyword(self, qs, name, value):
        from .selectors import normalize_archival_code

        value = value.strip()[:100]
        code = normalize_archival_code(value)  # “0194-WS.2026” finds 0194-WS·2026-…
        return qs.filter(Q(title__icontains=value) | Q(archival_code__icontains=code) | Q(doc_number__icontains=value)) if value else qs
