"""Organization directory API: same selectors and services as the screens."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import PermissionDenied

from . import selectors, services
from .filters import PersonFilter
from .models import Delegation, Department, ExternalOrgan, Organization, User


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "code", "doc_prefix", "fonds_code"]


class DepartmentSerializer(serializers.ModelSerializer):
    head = serializers.CharField(source="head.display_name", default=None, read_only=True)
    leader_in_charge = serializers.CharField(source="leader_in_charge.display_name", default=None, read_only=True)

    class Meta:
        model = Department
        fields = ["id", "organization", "parent", "name", "code", "head", "leader_in_charge", "order"]


class PersonSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.short_name", default=None, read_only=True)
    departments = serializers.SerializerMethodField()
    position = serializers.CharField(source="position.name", default=None, read_only=True)
    clearance = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "organization", "departments", "position", "phone", "clearance", "is_active"]

    def get_clearance(self, obj) -> str | None:
        """Only administrators of accounts or security see who is a 涉密人员."""
        user = self.context["request"].user if "request" in self.context else None
        if user is not None and (has_perm(user, "security.manage") or has_perm(user, "org.manage")):
            return obj.get_clearance_display()
        return None

    def get_departments(self, obj) -> list[str]:
        return [m.department.name for m in obj.memberships.all()]


class PersonCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    username = serializers.CharField(max_length=30)
    real_name = serializers.CharField(max_length=40)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    roles = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class ExternalOrganSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalOrgan
        fields = ["id", "name", "short_name", "doc_prefix", "relation", "platform_organization", "contact", "phone", "order"]


class DelegationSerializer(serializers.ModelSerializer):
    delegator_name = serializers.CharField(source="delegator.display_name", read_only=True)
    delegate_name = serializers.CharField(source="delegate.display_name", read_only=True)
    status = serializers.CharField(source="status_label", read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegator_name", "delegate", "delegate_name", "start_date", "end_date", "reason", "status"]


@extend_schema_view(list=extend_schema(tags=["组织"]), retrieve=extend_schema(tags=["组织"]))
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("order", "id")


@extend_schema_view(list=extend_schema(tags=["组织"]), retrieve=extend_schema(tags=["组织"]))
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return selectors.departments_visible_to(self.request.user).order_by("organization", "order", "id")


@extend_schema_view(list=extend_schema(tags=["组织"]), retrieve=extend_schema(tags=["组织"]), create=extend_schema(tags=["组织"], request=PersonCreateSerializer))
class PersonViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.people_visible_to(self.request.user).order_by("organization__order", "position__rank", "id")

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "org.manage"):
            raise PermissionDenied()
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            person = services.user_create(actor=request.user, **data.validated_data)
            activation = services.user_reset_password(actor=request.user, user=person, reason="新建账号")
        # No password: the person sets one with an activation code that only they receive.
        activation_info = {"id": activation.pk, "delivery": activation.delivery, "status": activation.status}
        return Response({**PersonSerializer(person, context={"request": request}).data, "activation": activation_info}, status=201)


@extend_schema_view(list=extend_schema(tags=["组织"]), retrieve=extend_schema(tags=["组织"]), create=extend_schema(tags=["组织"]))
class ExternalOrganViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = ExternalOrganSerializer

    def get_queryset(self):
        return selectors.external_organs_visible_to(self.request.user).order_by("order", "id")

    def create(self, request, *args, **kwargs):
        data = ExternalOrganSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organ = services.external_organ_save(actor=request.user, organization=request.user.organization, **data.validated_data) if request.user.organization_id else None
        if organ is None:
            raise PermissionDenied()
        return Response(ExternalOrganSerializer(organ).data, status=201)


@extend_schema_view(list=extend_schema(tags=["组织"]), retrieve=extend_schema(tags=["组织"]), create=extend_schema(tags=["组织"]))
class DelegationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = DelegationSerializer

    def get_queryset(self):
        return selectors.delegations_visible_to(self.request.user).order_by("-start_date", "-id")

    def create(self, request, *args, **kwargs):
        data = DelegationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.delegation_create(actor=request.user, **data.validated_data)
        return Response(DelegationSerializer(d).data, status=201)

    @extend_schema(request=None, tags=["组织"])
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        d = self.get_object()
        services.delegation_revoke(actor=request.user, delegation=d)
        return Response(DelegationSerializer(d).data)
