"""档案 API (/api/v1/archives/…) — the same selectors (restrict) and services as the screens."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound, PermissionDenied

from . import selectors, services
from .models import ArchiveItem, Loan, Retention, Source


class ArchiveFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    name = serializers.CharField()
    pages = serializers.IntegerField()
    sha256 = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer):
    retention_label = serializers.CharField(source="get_retention_display", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveItem
        fields = [
            "id", "archival_code", "fonds_code", "category_code", "year", "retention", "retention_label", "unit_code", "item_number",
            "title", "doc_number", "doc_type", "responsible", "date", "classification", "pages", "note", "source", "status",
            "expires_on", "filed_at", "files",
        ]

    def get_files(self, obj) -> list[dict]:
        return [{"id": f.id, "role": f.role, "name": f.name, "pages": f.pages, "sha256": f.sha256} for f in obj.files.all()]


class FileRequestSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    document = serializers.IntegerField(min_value=1)
    retention = serializers.ChoiceField(choices=Retention.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class UnfiledSerializer(serializers.Serializer):
    source = serializers.CharField()
    document = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    suggested_retention = serializers.CharField()


class LoanSerializer(serializers.ModelSerializer):
    archival_code = serializers.CharField(source="item.archival_code", read_only=True)
    borrower = serializers.CharField(source="borrower.display_name", read_only=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = ["id", "archival_code", "borrower", "kind", "purpose", "days", "required_role", "status", "requested_at", "decided_by",
                  "decided_at", "decision_note", "starts_at", "due_at", "returned_at"]

    def get_decided_by(self, obj) -> str:
        return obj.decided_by.display_name if obj.decided_by else ""


class LoanWriteSerializer(serializers.Serializer):
    archival_code = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=Loan.Kind.choices, default=Loan.Kind.CONSULT)
    purpose = serializers.CharField(max_length=200)
    days = serializers.IntegerField(min_value=1, max_value=90, required=False)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(tags=["档案"]), retrieve=extend_schema(tags=["档案"]))
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """档案 (items) the user may see: the archivist's catalogue, or a borrower's items on loan."""

    serializer_class = ItemSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.items_for(self.request.user).prefetch_related("files").order_by("-year", "retention", "unit_code", "item_number")

    @extend_schema(responses=UnfiledSerializer(many=True), tags=["档案"])
    @action(detail=False, methods=["get"], url_path="unfiled", pagination_class=None)
    def unfiled(self, request):
        """待归档: finished 发文 (已分发) and 收文 (已办结) not yet filed, with the suggested 保管期限."""
        from .batch import unfiled_incoming, unfiled_outgoing

        user = request.user
        if not has_perm(user, "archives.file"):
            raise PermissionDenied()
        org = user.organization_id
        rows = [{"source": "outgoing", "document": d.pk, "title": d.title, "doc_number": d.doc_number, "date": d.issue_date,
                 "suggested_retention": services.suggest_retention(organization_id=org, source="outgoing", doc_type=d.doc_type, title=d.title)}
                for d in unfiled_outgoing(user).order_by("-issue_date", "-pk")[:500]]
        rows += [{"source": "incoming", "document": d.pk, "title": d.title, "doc_number": d.doc_number, "date": d.received_on,
                  "suggested_retention": services.suggest_retention(organization_id=org, source="incoming", doc_type=d.doc_type, title=d.title)}
                 for d in unfiled_incoming(user).order_by("-received_on", "-pk")[:500]]
        return Response(UnfiledSerializer(rows, many=True).data)

    @extend_schema(request=FileRequestSerializer, responses=ItemSerializer, tags=["档案"])
    @action(detail=False, methods=["post"], url_path="file")
    def file(self, request):
        """归档 a finished 发文 (已分发) or 收文 (已办结); without `retention` the suggested period is used."""
        if not has_perm(request.user, "archives.file"):
            raise PermissionDenied()
        data = FileRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        from zhongshu.incoming.models import IncomingDocument
        from zhongshu.outgoing.models import OutgoingDocument

        model = OutgoingDocument if v["source"] == "outgoing" else IncomingDocument
        doc = model.objects.restrict(request.user).filter(pk=v["document"]).first()
        if doc is None:
            raise NotFound()
        fn = services.item_file_outgoing if v["source"] == "outgoing" else services.item_file_incoming
        item = fn(actor=request.user, document=doc, retention=v["retention"] or None, note=v["note"])
        return Response(ItemSerializer(item).data, status=201)


@extend_schema_view(list=extend_schema(tags=["档案"]), retrieve=extend_schema(tags=["档案"]), create=extend_schema(tags=["档案"], request=LoanWriteSerializer))
class LoanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """借阅/查阅: own requests and those the user's role decides."""

    serializer_class = LoanSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.loans_for(self.request.user).order_by("-requested_at", "-id")

    def create(self, request, *args, **kwargs):
        data = LoanWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_request(actor=request.user, **data.validated_data)
        return Response(LoanSerializer(loan).data, status=201)

    def _decide(self, request, approve: bool):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_decide(actor=request.user, loan=self.get_object(), approve=approve, note=data.validated_data["note"])
        return Response(LoanSerializer(loan).data)

    @extend_schema(request=DecisionSerializer, tags=["档案"])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=DecisionSerializer, tags=["档案"])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(request=None, tags=["档案"])
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return Response(LoanSerializer(services.loan_return(actor=request.user, loan=self.get_object())).data)

    @extend_schema(request=None, tags=["档案"])
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(LoanSerializer(services.loan_cancel(actor=request.user, loan=self.get_object())).data)
