"""发文 API — the same selectors (restrict) and services as the screens."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.audit.services import record_access
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied
from zhongshu.org.models import Department, ExternalOrgan

from . import selectors, services
from .models import Direction, DocType, Format, NumberRecord, OutgoingDocument, Publicity, Urgency
from .policy import OutgoingPolicy


class OutgoingSerializer(serializers.ModelSerializer):
    drafter = serializers.CharField(source="drafter.display_name", read_only=True)
    main_recipients = serializers.SerializerMethodField()
    cc_recipients = serializers.SerializerMethodField()
    countersign_departments = serializers.SerializerMethodField()
    joint_issuers = serializers.SerializerMethodField()
    signers = serializers.SerializerMethodField()
    marking = serializers.CharField(read_only=True)
    routing = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingDocument
        fields = [
            "id", "doc_type", "format", "direction", "title", "body", "classification", "marking", "secrecy_period", "urgency",
            "copies", "publicity", "main_recipients", "cc_recipients", "countersign_departments", "joint_issuers", "attachment_names", "note", "drafter", "signers",
            "doc_number", "issue_date", "status", "needs_resign", "routing", "actions",
        ]

    def get_main_recipients(self, obj) -> list[str]:
        return services.recipients(obj.main_recipients.all())

    def get_cc_recipients(self, obj) -> list[str]:
        return services.recipients(obj.cc_recipients.all())

    def get_countersign_departments(self, obj) -> list[str]:
        return [d.name for d in obj.countersign_departments.all()]

    def get_joint_issuers(self, obj) -> list[dict]:
        return [{"id": j.pk, "organ": j.organ.name, "status": j.status, "offline": j.offline, "opinion": j.opinion}
                for j in obj.joint_issuers.select_related("organ")]

    def get_signers(self, obj) -> list[str]:
        return [u.display_name for u in obj.signers.all()]

    def get_actions(self, obj) -> list[str]:
        """What the caller may do now (the same policy as the page's buttons)."""
        request = self.context.get("request")
        return sorted(OutgoingPolicy.allowed_actions(request.user, obj)) if request is not None else []

    def get_routing(self, obj) -> list[dict]:
        return [{"rule": v.rule, "message": v.message, "blocking": v.blocking} for v in services.outgoing_check(document=obj)]


class OutgoingWriteSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocType.choices)
    format = serializers.ChoiceField(choices=Format.choices, default=Format.STANDARD)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=200000, allow_blank=True, default="")
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.PUBLIC)
    secrecy_period = serializers.CharField(max_length=20, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default="", allow_blank=True)
    copies = serializers.IntegerField(min_value=1, max_value=100000, required=False,
                                      help_text="份数，不少于主送、抄送机关数；不填则按其数目")
    publicity = serializers.ChoiceField(choices=Publicity.choices, default=Publicity.ACTIVE)
    main_recipients = serializers.PrimaryKeyRelatedField(queryset=ExternalOrgan.objects.all(), many=True, default=list)
    cc_recipients = serializers.PrimaryKeyRelatedField(queryset=ExternalOrgan.objects.all(), many=True, default=list)
    countersign_departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, default=list)
    joint_issuers = serializers.PrimaryKeyRelatedField(queryset=ExternalOrgan.objects.all(), many=True, default=list)
    attachment_names = serializers.ListField(child=serializers.CharField(max_length=200), default=list, max_length=50)
    note = serializers.CharField(max_length=100, allow_blank=True, default="")


class NumberSerializer(serializers.Serializer):
    prefix = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reserved = serializers.PrimaryKeyRelatedField(queryset=NumberRecord.objects.all(), required=False, allow_null=True, default=None)


class CorrectSerializer(serializers.Serializer):
    copies = serializers.IntegerField(min_value=1, max_value=100000, help_text="份数，不少于主送、抄送机关数")
    reason = serializers.CharField(max_length=200, help_text="更正说明")


class RegisterSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="__str__", read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = NumberRecord
        fields = ["id", "number", "prefix", "year", "serial", "status", "title", "reason", "created_at"]

    def get_title(self, obj) -> str:
        return selectors.register_title(obj)  # the redacted line for a document the reader may not read


@extend_schema_view(list=extend_schema(tags=["发文"]), retrieve=extend_schema(tags=["发文"]), create=extend_schema(tags=["发文"], request=OutgoingWriteSerializer))
class OutgoingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OutgoingSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.documents_for(self.request.user).prefetch_related("main_recipients", "cc_recipients", "signers").order_by("-updated_at", "-id")

    def retrieve(self, request, *args, **kwargs):
        doc = self.get_object()
        record_access(actor=request.user, obj=doc, kind="view")
        return Response(self._out(doc))

    def _out(self, doc):
        return OutgoingSerializer(doc, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if "draft" not in OutgoingPolicy.register_actions(request.user):
            raise PermissionDenied("您无权拟稿。")
        data = OutgoingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = services.outgoing_create(actor=request.user, **data.validated_data)
        return Response(self._out(doc), status=201)

    @extend_schema(request=None, tags=["发文"])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return Response(self._out(services.outgoing_submit(actor=request.user, document=self.get_object())))

    @extend_schema(request=None, tags=["发文"])
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return Response(self._out(services.outgoing_sign_off(actor=request.user, document=self.get_object())))

    @extend_schema(request=NumberSerializer, tags=["发文"])
    @action(detail=True, methods=["post"])
    def number(self, request, pk=None):
        data = NumberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = services.outgoing_assign_number(actor=request.user, document=self.get_object(), **data.validated_data)
        return Response(self._out(doc))

    @extend_schema(request=CorrectSerializer, tags=["发文"])
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """更正印制信息: the office corrects the 份数 after 印制, before 分发, without a new 签发."""
        data = CorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._out(services.outgoing_correct(actor=request.user, document=self.get_object(), **data.validated_data)))


@extend_schema_view(list=extend_schema(tags=["发文"]), retrieve=extend_schema(tags=["发文"]))
class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    """发文登记簿."""

    serializer_class = RegisterSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.register_for(self.request.user).order_by("prefix", "-year", "-serial")
