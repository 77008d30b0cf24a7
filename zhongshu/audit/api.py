from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import PermissionDenied

from .display import Presenter
from .filters import AuditFilter
from .models import AuditEntry
from .selectors import entries_for
from .services import record, verify


class AuditEntrySerializer(serializers.ModelSerializer):
    """An entry as the reader may see it: target, before/after and note of entries above the reader's clearance
    are redacted (decision 0008); action, object type and changes also come in Chinese."""

    action_label = serializers.SerializerMethodField()
    target_type_label = serializers.SerializerMethodField()
    classification_label = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "seq", "created_at", "actor_id", "actor_name", "on_behalf_of_name", "ip", "action", "action_label", "target_type",
            "target_type_label", "target_id", "target_repr", "classification", "classification_label", "before", "after",
            "changes", "note", "hash_algo", "prev_hash", "hash",
        ]

    @property
    def presenter(self) -> Presenter:
        root = self.parent if self.parent is not None else self
        if not hasattr(root, "_presenter"):
            request = self.context.get("request")
            root._presenter = Presenter(getattr(request, "user", None))
        return root._presenter

    def to_representation(self, instance):
        data = super().to_representation(instance)
        shown = self.presenter.shown(instance)
        data.update(target_repr=shown.target_repr, before=shown.before, after=shown.after, note=shown.note)
        return data

    def get_action_label(self, obj) -> str:
        return self.presenter.action(obj)

    def get_target_type_label(self, obj) -> str:
        return self.presenter.target_type(obj)

    def get_classification_label(self, obj) -> str:
        return self.presenter.classification(obj)

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_changes(self, obj) -> list[dict[str, str]]:
        return self.presenter.changes(obj)


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
