"""POST /api/v1/auth/token (username + password [+ otp] → a named, expiring token), the owner's token list and
revocation, logout and logout-all, and GET /api/v1/me."""

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zhongshu.core.errors import ServiceError

from . import services
from .models import ApiToken


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False)
    otp = serializers.CharField(max_length=8, required=False, allow_blank=True, help_text="已启用动态口令时必填")
    name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="设备名称（如“办公电脑”）；同一设备再次申请会替换原令牌"
    )


class TokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "current"]

    def get_current(self, obj) -> bool:
        return getattr(self.context.get("token"), "pk", None) == obj.pk


@extend_schema(
    request=TokenRequest,
    responses=inline_serializer(
        "TokenResponse",
        {"token": serializers.CharField(), "id": serializers.IntegerField(), "name": serializers.CharField(), "expires_at": serializers.DateTimeField()},
    ),
    tags=["认证"],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token(request):
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    # authenticate() applies the account lockout (django-axes) and counts a wrong password towards it.
    user = authenticate(request._request, username=v["username"], password=v["password"])
    if user is None:
        raise ServiceError("登录名或密码不正确。", code="authentication_failed", fields={"password": "登录名或密码不正确。"})
    if user.totp_confirmed:
        services.totp_login(user=user, code=v.get("otp", ""), request=request._request, field="otp")
    tok, raw = services.token_create(user=user, name=v.get("name", ""))
    services.reset_failures(user.username)
    return Response({"token": raw, "id": tok.pk, "name": tok.name, "expires_at": tok.expires_at})


@extend_schema(responses=TokenSerializer(many=True), tags=["认证"])
@api_view(["GET"])
def tokens(request):
    """我的 API 令牌 (never their text)."""
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return Response(TokenSerializer(rows, many=True, context={"token": request.auth}).data)


@extend_schema(request=None, responses={204: None}, tags=["认证"])
@api_view(["DELETE"])
def token_detail(request, pk: int):
    """吊销我的一个令牌."""
    tok = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=tok)
    return Response(status=204)


@extend_schema(request=None, responses={204: None}, tags=["认证"])
@api_view(["POST"])
def logout(request):
    """吊销本次请求所用的令牌."""
    if isinstance(request.auth, ApiToken):
        services.token_revoke(actor=request.user, token=request.auth)
    return Response(status=204)


@extend_schema(request=None, responses={204: None}, tags=["认证"])
@api_view(["POST"])
def logout_all(request):
    """吊销我的全部令牌（所有设备）."""
    services.tokens_revoke_all(actor=request.user, user=request.user, reason="退出全部设备")
    return Response(status=204)


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
