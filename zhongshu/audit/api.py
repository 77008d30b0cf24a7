from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import PermissionDenied

from .filters import AuditFilter
from .models import AuditEntry
from .selectors import entries_for
from .services import record, verify


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq", "created_at", "actor_id", "actor_name", "on_behalf_of_name", "ip", "action", "target_type", "target_id",
            "target_repr", "classification", "before", "after", "note", "hash_algo", "prev_hash", "hash",
        ]


@extend_schema_view(list=extend_schema(tags=["审计"]), retrieve=extend_schema(tags=["审计"]))
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    lookup_field = "seq"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return entries_for(self.request.user).order_by("-seq")


@extend_schema(request=None, responses=inline_serializer("VerifyResult", {"ok": serializers.BooleanField(), "checked": serializers.IntegerField(), "first_bad_seq": serializers.IntegerField(allow_null=True), "problem": serializers.CharField()}), tags=["审计"])
@api_view(["POST"])
def audit_verify(request):
    if not has_perm(request.user, "audit.view"):
        raise PermissionDenied()
    result = verify()
    record(actor=request.user, action="audit.verify", note=("完整" if result.ok else result.problem)[:300])
    return Response({"ok": result.ok, "checked": result.checked, "first_bad_seq": result.first_bad_seq, "problem": result.problem})
