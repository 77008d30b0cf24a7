"""POST /api/v1/auth/token (username + password → token) and GET /api/v1/me."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhongshu.audit.services import record
from zhongshu.core.errors import ServiceError

from .middleware import password_expired
from .services import totp_check


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False)
    otp = serializers.CharField(max_length=8, required=False, allow_blank=True, help_text="已启用动态口令时必填")


@extend_schema(request=TokenRequest, responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}), tags=["认证"])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token(request):
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(request._request, username=data.validated_data["username"], password=data.validated_data["password"])
    if user is None:
        raise ServiceError("登录名或密码不正确。", code="authentication_failed", fields={"password": "登录名或密码不正确。"})
    if user.totp_confirmed and not totp_check(user, data.validated_data.get("otp", "")):
        raise ServiceError("需要正确的动态口令。", code="otp_required", fields={"otp": "请填写手机验证器上的六位数字。"})
    if user.admin_role and not user.totp_confirmed:
        raise ServiceError("三员账号须先在网页上启用动态口令。", code="totp_setup_required")
    if password_expired(user):
        raise ServiceError("密码已过期或被重置，请先在网页上修改密码。", code="password_expired")
    tok, _ = Token.objects.get_or_create(user=user)
    record(actor=user, action="auth.token_create", target=user)
    return Response({"token": tok.key})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    organization = serializers.CharField(source="organization.name", allow_null=True)
    department = serializers.CharField(source="primary_department.name", allow_null=True, default=None)
    roles = serializers.SerializerMethodField()
    clearance = serializers.CharField(source="get_clearance_display")
    max_classification = serializers.CharField(source="max_classification.label")

    def get_roles(self, obj) -> list[str]:
        return sorted(obj.role_set)


@extend_schema(responses=MeSerializer, tags=["认证"])
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)
