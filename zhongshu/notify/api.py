from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification
from .selectors import notifications_for
from .services import notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "level", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


@extend_schema_view(list=extend_schema(tags=["消息"]), retrieve=extend_schema(tags=["消息"]))
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NotificationSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(request=MarkReadSerializer, tags=["消息"])
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        n = notification_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": n})
