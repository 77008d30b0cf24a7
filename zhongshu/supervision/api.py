"""督查督办 API — the same selectors (restrict) and services as the screens."""

from __future__ import annotations

import datetime

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.classification import Classification
from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError
from zhongshu.org.models import Department, User

from . import selectors, services
from .filters import ItemFilter, TaskFilter
from .models import Cycle, ProgressReport, Source, SupervisionItem, SupervisionTask

TAG = ["督查督办"]


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()


class ItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    responsible_leader_name = serializers.CharField(source="responsible_leader.display_name", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True)
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionItem
        fields = [
            "id", "number", "source", "source_ref", "title", "content", "responsible_leader", "responsible_leader_name",
            "lead_department", "lead_department_name", "co_departments", "deadline", "original_deadline", "cycle", "classification",
            "status", "light", "last_report_on", "next_report_due", "created_on", "assigned_on", "closed_on", "milestones",
        ]

    def get_milestones(self, obj) -> list[dict]:
        return [{"id": m.pk, "title": m.title, "due_date": m.due_date, "done_on": m.done_on} for m in obj.milestones.all()]


class ItemWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    source = serializers.ChoiceField(choices=Source.choices)
    source_ref = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    responsible_leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    lead_department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    co_departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True), many=True, required=False, default=list)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    workdays = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=500)
    cycle = serializers.ChoiceField(choices=Cycle.choices, default=Cycle.NONE)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)
    milestones = MilestoneSerializer(many=True, required=False, default=list)


class TaskSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True)
    deadline = serializers.DateField(source="item.deadline", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = SupervisionTask
        fields = ["id", "item", "item_number", "item_title", "deadline", "department", "department_name", "role", "requirement",
                  "status", "assignee", "dispute_reason", "light", "last_report_on"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "task", "item", "kind", "period_start", "period_end", "due_date", "content", "status", "submitted_at", "office_comment"]


class NoteSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AcceptSerializer(NoteSerializer):
    accept = serializers.BooleanField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReportWriteSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000)


class ReviewSerializer(AcceptSerializer):
    report = serializers.IntegerField(min_value=1, max_value=2**62)


class ExtensionSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class ReassignSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, max_value=2**62)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    requirement = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    extension = serializers.IntegerField(min_value=1, max_value=2**62)
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RemindSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, max_value=2**62, required=False, allow_null=True, default=None)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    requirement = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _report(item: SupervisionItem, pk: int) -> ProgressReport:
    report = item.reports.filter(pk=pk).first()
    if report is None:
        raise NotFound("报送记录不存在。")
    return report


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG), create=extend_schema(tags=TAG, request=ItemWriteSerializer))
class ItemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督办事项 (office, leaders, and departments of the same organ)."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.items_for(self.request.user).prefetch_related("co_departments", "milestones").order_by("-created_on", "-id")

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        record_access(actor=request.user, obj=item, kind="view")
        return Response(ItemSerializer(item).data)

    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "supervision.manage"):
            raise PermissionDenied()
        data = ItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        stages = [(m["title"], m["due_date"]) for m in values.pop("milestones")]
        item = services.supervision_item_create(actor=request.user, milestones=stages, **values)
        return Response(ItemSerializer(selectors.item_get(request.user, item.pk)).data, status=201)

    def _done(self, request, item) -> Response:
        return Response(ItemSerializer(selectors.item_get(request.user, item.pk)).data)

    @extend_schema(request=AssignSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(request, services.supervision_item_assign(actor=request.user, item=self.get_object(), **data.validated_data))

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.supervision_report_review(actor=request.user, report=_report(self.get_object(), v["report"]), accept=v["accept"], comment=v["comment"])
        return Response(ReportSerializer(report).data)

    @extend_schema(request=AcceptSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return self._done(request, services.supervision_item_verify(actor=request.user, item=self.get_object(), accept=v["accept"], comment=v["comment"]))

    @extend_schema(request=None, tags=TAG)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._done(request, services.supervision_item_confirm(actor=request.user, item=self.get_object()))

    @extend_schema(request=ReassignSerializer, responses=TaskSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = self.get_object()
        task = item.tasks.filter(pk=v["task"]).first()
        if task is None:
            raise NotFound("承办任务不存在。")
        new = services.supervision_task_reassign(actor=request.user, task=task, department=v["department"], requirement=v["requirement"])
        return Response(TaskSerializer(new).data)

    @extend_schema(request=DecideSerializer, tags=TAG)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = self.get_object()
        ext = item.extensions.filter(pk=v["extension"]).first()
        if ext is None:
            raise NotFound("延期申请不存在。")
        services.supervision_extension_decide(actor=request.user, extension=ext, approve=v["approve"], note=v["note"])
        return self._done(request, item)

    @extend_schema(request=RemindSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        data = RemindSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = self.get_object()
        task = item.tasks.filter(pk=v["task"]).first() if v["task"] else None
        if v["task"] and task is None:
            raise NotFound("承办任务不存在。")
        notice = services.supervision_reminder_issue(actor=request.user, item=item, task=task, text=v["text"])
        return Response({"id": notice.pk, "number": notice.number, "issued_on": notice.issued_on, "text": notice.text}, status=201)

    @extend_schema(request=None, responses=ReportSerializer(many=True), tags=TAG)
    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        item = self.get_object()
        return Response(ReportSerializer(item.reports.order_by("-id")[:200], many=True).data)


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """督办任务: what a department sees and does (签收, 异议, 报送, 申请办结, 申请延期)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        user = self.request.user
        mine = Q(assignee_id=user.pk) | Q(department_id__in=user.department_ids or [0])
        return selectors.tasks_for(user).filter(mine).order_by("item__deadline", "id")

    @extend_schema(request=None, tags=TAG)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return Response(TaskSerializer(services.supervision_task_accept(actor=request.user, task=self.get_object())).data)

    @extend_schema(request=ReasonSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.supervision_task_dispute(actor=request.user, task=self.get_object(), reason=data.validated_data["reason"])
        return Response(TaskSerializer(task).data)

    @extend_schema(request=ReportWriteSerializer, responses=ReportSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.supervision_report_submit(actor=request.user, task=self.get_object(), content=data.validated_data["content"])
        return Response(ReportSerializer(report).data, status=201)

    @extend_schema(request=ReportWriteSerializer, responses=ReportSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.supervision_completion_request(actor=request.user, task=self.get_object(), content=data.validated_data["content"])
        return Response(ReportSerializer(report).data, status=201)

    @extend_schema(request=ExtensionSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        data = ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ext = services.supervision_extension_request(actor=request.user, task=self.get_object(), **data.validated_data)
        return Response({"id": ext.pk, "status": ext.status, "new_deadline": ext.new_deadline}, status=201)


@extend_schema(tags=TAG, parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)], responses={200: dict})
@api_view(["GET"])
def statistics(request: Request) -> Response:
    """督办统计 for items assigned in the months `start`..`end` (YYYY-MM; default: this year), as the caller may see them."""
    from django.utils import timezone

    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat((request.query_params.get("start") or f"{today:%Y}-01")[:7] + "-01")
        end = datetime.date.fromisoformat((request.query_params.get("end") or f"{today:%Y-%m}")[:7] + "-01")
    except ValueError:
        raise ServiceError("月份格式应为 YYYY-MM。", fields={"start": "月份格式应为 YYYY-MM。"})
    if end < start or (end - start).days > 3700:
        raise ServiceError("统计区间无效。", fields={"end": "结束日期应不早于开始日期，且区间不超过十年。"})
    if not has_perm(request.user, "supervision.view"):
        raise PermissionDenied()
    s = selectors.statistics(request.user, start, end)
    return Response({
        "start": start, "end": end, "total": s.total, "closed": s.closed, "on_time": s.on_time, "overdue": s.overdue,
        "close_rate": s.close_rate, "on_time_rate": s.on_time_rate, "lights": s.lights, "by_source": s.by_source,
        "by_department": s.by_department, "trend": s.trend,
        "overdue_items": [{"id": i.pk, "number": i.number, "title": i.title, "deadline": i.deadline} for i in s.overdue_items],
    })
