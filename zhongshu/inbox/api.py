"""The one inbox under /api/v1/inbox/: todo/, toread/, done/ (filters as the pages: q, kind, urgency, dates) and
summary (counts per box and kind, as on the 工作台). The same selectors as the pages. /api/v1/flow/todo/ … stay
for flow work items alone, deprecated (a `Deprecation` header and a `Link` to these)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm

from . import selectors
from .filters import TaskFilter
from .models import Task

_DATETIME = serializers.DateTimeField()


def _iso(value) -> str | None:
    return _DATETIME.to_representation(value) if value else None


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "kind", "box", "title", "action", "origin", "since", "deadline", "url", "status", "classification", "done_at"]

    def to_representation(self, obj):
        bounds = self.context.get("bounds")
        return {
            "id": obj.pk, "kind": obj.kind, "kind_label": obj.kind_label, "box": obj.box, "title": obj.title, "action": obj.action,
            "origin": obj.origin, "since": _iso(obj.since), "deadline": obj.deadline.isoformat() if obj.deadline else None,
            "deadline_provisional": obj.deadline_provisional, "urgency": obj.urgency(*bounds) if bounds else "", "url": obj.url,
            "status": obj.status, "classification": obj.classification, "assignee": obj.assignee_id, "done_at": _iso(obj.done_at),
        }


class _Box(generics.ListAPIView):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    selector = staticmethod(selectors.todo_for)
    ordering: tuple[str, ...] = ("-since", "-id")

    def get_queryset(self):
        if not has_perm(self.request.user, "flow.view"):
            return Task.objects.none()
        return type(self).selector(self.request.user).order_by(*self.ordering)

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["bounds"] = selectors.urgency_bounds(self.request.user.organization_id)
        return ctx


@extend_schema(tags=["待办待阅"], summary="待办（全部来源）")
class TodoList(_Box):
    selector = staticmethod(selectors.todo_for)


@extend_schema(tags=["待办待阅"], summary="待阅（全部来源）")
class ToreadList(_Box):
    selector = staticmethod(selectors.toread_for)


@extend_schema(tags=["待办待阅"], summary="已办")
class DoneList(_Box):
    selector = staticmethod(selectors.done_for)
    ordering = ("-done_at", "-id")


@extend_schema(tags=["待办待阅"], summary="待办、待阅数量（与工作台一致）", responses={200: dict})
@api_view(["GET"])
def summary(request):
    if not has_perm(request.user, "flow.view"):
        return Response({"todo": 0, "toread": 0, "overdue": 0, "by_kind": {}})
    s = selectors.summary(request.user)
    return Response({"todo": s.todo, "toread": s.toread, "overdue": s.overdue, "by_kind": s.by_kind})


from django.urls import path  # noqa: E402

urlpatterns = [
    path("todo/", TodoList.as_view(), name="api-inbox-todo"),
    path("toread/", ToreadList.as_view(), name="api-inbox-toread"),
    path("done/", DoneList.as_view(), name="api-inbox-done"),
    path("summary/", summary, name="api-inbox-summary"),
]
