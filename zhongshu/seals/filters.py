import django_filters
from django.db.models import Q

from .models import IntroLetter, Seal, SealKind, UseRecord, UseRequest

DATE = django_filters.widgets.forms.DateInput(attrs={"type": "date"})


class SealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    status = django_filters.ChoiceFilter(label="状态", choices=Seal.Status.choices, empty_label="全部")
    kind = django_filters.ModelChoiceFilter(label="种类", queryset=SealKind.objects.none(), empty_label="全部")

    class Meta:
        model = Seal
        fields = ["q", "status", "kind"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        org = getattr(getattr(request, "user", None), "organization_id", None)
        self.filters["kind"].queryset = SealKind.objects.filter(organization_id=org)

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(name__icontains=value) | Q(filing_number__icontains=value)) if value else qs


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    status = django_filters.ChoiceFilter(label="状态", choices=UseRequest.Status.choices, empty_label="全部")

    class Meta:
        model = UseRequest
        fields = ["q", "status"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(document_title__icontains=value) | Q(purpose__icontains=value)) if value else qs


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    seal = django_filters.NumberFilter(label="印章编号", field_name="seal_id")
    unit = django_filters.CharFilter(label="用印单位", field_name="unit", lookup_expr="icontains")
    after = django_filters.DateFilter(label="日期起", field_name="day", lookup_expr="gte", widget=DATE)
    before = django_filters.DateFilter(label="日期止", field_name="day", lookup_expr="lte", widget=DATE)

    class Meta:
        model = UseRecord
        fields = ["q", "seal", "unit", "after", "before"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(document_title__icontains=value) | Q(doc_number__icontains=value)) if value else qs


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="keyword")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=IntroLetter.Status.choices, empty_label="全部")

    class Meta:
        model = IntroLetter
        fields = ["q", "year", "status"]

    def keyword(self, qs, name, value):
        value = value.strip()[:100]
        return qs.filter(Q(holder__icontains=value) | Q(receiving_unit__icontains=value) | Q(matter__icontains=value)) if value else qs
