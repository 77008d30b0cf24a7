"""通知公告 API — the same selectors (restrict) and services as the screens."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied
from zhongshu.org.models import Department, User

from . import selectors, services
from .filters import NoticeFilter
from .models import Notice
from .policy import NoticePolicy


class NoticeSerializer(serializers.ModelSerializer):
    classification_label = serializers.CharField(read_only=True)
    marking = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.display_name", read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id", "title", "body", "classification", "classification_label", "marking", "secrecy_period", "scope",
            "recipient_departments", "recipient_users", "author", "status", "pinned", "published_at", "is_read", "actions",
        ]
        read_only_fields = ["status", "published_at"]

    def get_actions(self, obj) -> list[str]:
        """What the caller may do now — NoticePolicy, the same rules as the page's buttons and the services."""
        request = self.context.get("request")
        return sorted(NoticePolicy.allowed_actions(request.user, obj)) if request is not None else []


class NoticeWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=100000)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)
    secrecy_period = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    scope = serializers.ChoiceField(choices=Notice.Scope.choices, default=Notice.Scope.ORGANIZATION)
    recipient_departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False, default=list)
    recipient_users = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False, default=list)
    pinned = serializers.BooleanField(required=False, default=False)


class NoticeUpdateSerializer(NoticeWriteSerializer):
    """修改草稿: any subset of the fields (PATCH)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


@extend_schema_view(
    list=extend_schema(tags=["通知公告"]),
    retrieve=extend_schema(tags=["通知公告"]),
    create=extend_schema(tags=["通知公告"], request=NoticeWriteSerializer),
    partial_update=extend_schema(tags=["通知公告"], request=NoticeUpdateSerializer),
)
class NoticeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Who may edit, publish or withdraw is NoticePolicy's answer, asked by the services (never by this API)."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.notices_for(self.request.user).prefetch_related("recipient_departments", "recipient_users").order_by("-published_at", "-id")

    def _out(self, pk):
        return NoticeSerializer(selectors.notice_get(self.request.user, pk), context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        record_access(actor=request.user, obj=notice, kind="view")
        return Response(NoticeSerializer(notice, context=self.get_serializer_context()).data)

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "notices.add"):  # creating is a role's right: there is no object to ask yet
            raise PermissionDenied()
        data = NoticeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_create(actor=request.user, **data.validated_data)
        return Response(self._out(notice.pk), status=201)

    def partial_update(self, request, *args, **kwargs):
        """修改草稿 — notice_update asks NoticePolicy ("edit"): the author, while a draft, not under review."""
        data = NoticeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        notice = services.notice_update(actor=request.user, notice=self.get_object(), **data.validated_data)
        return Response(self._out(notice.pk))

    @extend_schema(request=None, tags=["通知公告"])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        notice = services.notice_publish(actor=request.user, notice=self.get_object())
        return Response(self._out(notice.pk))

    @extend_schema(request=WithdrawSerializer, tags=["通知公告"])
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_withdraw(actor=request.user, notice=self.get_object(), reason=data.validated_data["reason"])
        return Response(self._out(notice.pk))
