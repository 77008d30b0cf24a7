"""印章 API under /api/v1/seals/ — the same selectors (restrict) and services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org.models import User

from . import selectors, services
from .filters import LetterFilter, RecordFilter, RequestFilter, SealFilter
from .models import IntroLetter, Matter, Seal, SealLoan, UseRecord, UseRequest
from .policy import IntroLetterPolicy, SealLoanPolicy, SealPolicy, UseRequestPolicy

TAG = ["印章"]


class _Actions(serializers.Serializer):
    policy = None

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(self.policy.allowed_actions(request.user, obj)) if request is not None else []


class SealSerializer(_Actions, serializers.ModelSerializer):
    policy = SealPolicy
    kind = serializers.CharField(source="kind.name", read_only=True)
    owner = serializers.CharField(source="owner_label", read_only=True)
    keeper = serializers.CharField(source="keeper.display_name", read_only=True, default="")
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Seal
        fields = ["id", "name", "kind", "owner", "electronic", "keeper", "storage", "engraver", "filing_number", "status", "enabled_on",
                  "lost_on", "void_statement", "es_id", "valid_from", "valid_until", "key_reference", "certificate_subject",
                  "certificate_serial", "certificate_issuer", "actions"]


class UseRequestSerializer(_Actions, serializers.ModelSerializer):
    policy = UseRequestPolicy
    requester = serializers.CharField(source="requester.display_name", read_only=True)
    mode = serializers.CharField(read_only=True)  # flow / phone (电话审批，事后确认)
    seals = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = UseRequest
        fields = ["id", "document_title", "matter", "copies", "purpose", "urgent", "classification", "status", "mode", "approvers",
                  "requester", "seals", "created_at", "approved_at", "confirmed_at", "actions"]

    def get_seals(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.seals.all()]


class RequestWriteSerializer(serializers.Serializer):
    seals = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    matter = serializers.ChoiceField(choices=Matter.choices)
    document_title = serializers.CharField(max_length=200)
    copies = serializers.IntegerField(min_value=1, max_value=500)
    purpose = serializers.CharField(max_length=300)
    urgent = serializers.BooleanField(default=False)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)


class StampSerializer(serializers.Serializer):
    seal = serializers.IntegerField()
    copies = serializers.IntegerField(min_value=1)
    witness = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class PhoneSerializer(serializers.Serializer):
    approver = serializers.IntegerField()
    note = serializers.CharField(max_length=300)


class UseRecordSerializer(serializers.ModelSerializer):
    seal = serializers.CharField(source="seal.name", read_only=True)
    handler = serializers.CharField(source="handler.display_name", read_only=True)
    keeper = serializers.CharField(source="keeper.display_name", read_only=True)

    class Meta:
        model = UseRecord
        fields = ["id", "day", "seal", "unit", "handler", "document_title", "doc_number", "copies", "approvers", "keeper", "witness", "request", "outgoing"]


class SealLoanSerializer(_Actions, serializers.ModelSerializer):
    policy = SealLoanPolicy
    seal = serializers.CharField(source="seal.name", read_only=True)
    carrier = serializers.CharField(source="carrier.display_name", read_only=True)
    companion = serializers.CharField(source="companion.display_name", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = SealLoan
        fields = ["id", "seal", "carrier", "companion", "destination", "purpose", "expected_return", "status", "out_at", "returned_at", "actions"]


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IntroLetterSerializer(_Actions, serializers.ModelSerializer):
    policy = IntroLetterPolicy
    number = serializers.CharField(read_only=True)
    fate = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = IntroLetter
        fields = ["id", "year", "serial", "number", "holder", "holder_count", "holder_title", "receiving_unit", "matter", "issued_on",
                  "valid_until", "status", "void_reason", "fate", "actions"]

    def get_fate(self, obj) -> str:
        return obj.fate()


class LetterWriteSerializer(serializers.Serializer):
    holder = serializers.CharField(max_length=60)
    holder_count = serializers.IntegerField(min_value=1, max_value=50, default=1)
    holder_title = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    receiving_unit = serializers.CharField(max_length=100)
    matter = serializers.CharField(max_length=300)
    valid_until = serializers.DateField()


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class SealViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SealSerializer
    filterset_class = SealFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.seals_for(self.request.user).order_by("kind__order", "id")


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG), create=extend_schema(tags=TAG, request=RequestWriteSerializer))
class UseRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """用印申请: created into its 用印审批 flow; approval happens in /api/v1/flow/…; the keeper stamps here."""

    serializer_class = UseRequestSerializer
    filterset_class = RequestFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.requests_for(self.request.user).prefetch_related("seals").order_by("-created_at", "-id")

    def _out(self, pk):
        return UseRequestSerializer(selectors.request_get(self.request.user, pk), context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "seals.request"):
            raise PermissionDenied()
        data = RequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ids = values.pop("seals")
        seals = list(selectors.seals_for(request.user).filter(pk__in=ids))
        if len(seals) != len(set(ids)):
            raise ServiceError("所选印章不存在。", fields={"seals": "所选印章不存在。"})
        req = services.request_create(actor=request.user, seals=seals, **values)
        return Response(self._out(req.pk), status=201)

    @extend_schema(request=StampSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def stamp(self, request, pk=None):
        data = StampSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = self.get_object()
        seal = req.seals.filter(pk=data.validated_data["seal"]).first()
        if seal is None:
            raise ServiceError("该申请未申请使用此印章。", fields={"seal": "该申请未申请使用此印章。"})
        services.request_stamp(actor=request.user, request=req, seal=seal, copies=data.validated_data["copies"],
                               witness=data.validated_data["witness"])
        return Response(self._out(req.pk))

    @extend_schema(request=PhoneSerializer, tags=TAG)
    @action(detail=True, methods=["post"], url_path="phone-approve")
    def phone_approve(self, request, pk=None):
        data = PhoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approver = User.objects.filter(pk=data.validated_data["approver"], organization_id=request.user.organization_id).first()
        if approver is None:
            raise ServiceError("请选择电话审批人。", fields={"approver": "请选择电话审批人。"})
        req = services.request_phone_approve(actor=request.user, request=self.get_object(), approver=approver, note=data.validated_data["note"])
        return Response(self._out(req.pk))


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class UseRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """用印登记簿 (read only: registrations are made by stamping, and never changed)."""

    serializer_class = UseRecordSerializer
    filterset_class = RecordFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.records_for(self.request.user).order_by("-day", "-id")


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class SealLoanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SealLoanSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.loans_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=DecideSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_decide(actor=request.user, loan=self.get_object(), **data.validated_data)
        return Response(SealLoanSerializer(selectors.loan_get(request.user, loan.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=None, tags=TAG)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        loan = services.loan_return(actor=request.user, loan=self.get_object())
        return Response(SealLoanSerializer(selectors.loan_get(request.user, loan.pk), context=self.get_serializer_context()).data)


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG), create=extend_schema(tags=TAG, request=LetterWriteSerializer))
class IntroLetterViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = IntroLetterSerializer
    filterset_class = LetterFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.letters_for(self.request.user).order_by("-year", "-serial")

    def _out(self, pk):
        return IntroLetterSerializer(selectors.letter_get(self.request.user, pk), context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "seals.letters"):
            raise PermissionDenied()
        data = LetterWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.letter_issue(actor=request.user, **data.validated_data)
        return Response(self._out(letter.pk), status=201)

    @extend_schema(request=VoidSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.letter_close(actor=request.user, letter=self.get_object(), used=False, reason=data.validated_data["reason"])
        return Response(self._out(letter.pk))

    @extend_schema(request=None, tags=TAG)
    @action(detail=True, methods=["post"])
    def use(self, request, pk=None):
        letter = services.letter_close(actor=request.user, letter=self.get_object(), used=True)
        return Response(self._out(letter.pk))
