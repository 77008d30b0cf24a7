"""办会 API under /api/v1/meetings/ — the same selectors (restrict) and services as the pages."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org.models import User

from . import selectors, services
from .filters import MeetingFilter
from .models import Attendee, Booking, Category, Meeting, Room
from .policy import BookingPolicy, MeetingPolicy, RoomPolicy

TAG = ["办会"]


class RoomSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = ["id", "name", "building", "floor", "capacity", "equipment", "is_classified", "is_active", "actions"]

    def get_actions(self, obj) -> list[str]:
        return sorted(RoomPolicy.allowed_actions(self.context["request"].user, obj))


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="booking.pk")
    room = serializers.IntegerField(source="booking.room_id")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    label = serializers.CharField()
    meeting = serializers.IntegerField(source="booking.meeting_id", allow_null=True)
    series = serializers.IntegerField(source="booking.series_id", allow_null=True)
    actions = serializers.SerializerMethodField()

    def get_actions(self, obj) -> list[str]:
        return sorted(BookingPolicy.allowed_actions(self.context["request"].user, obj.booking))


class BookingWriteSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    title = serializers.CharField(max_length=120)


class MoveSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class MeetingSerializer(serializers.ModelSerializer):
    classification_label = serializers.CharField(read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    place = serializers.CharField(read_only=True)
    organizer = serializers.CharField(source="organizer.display_name", read_only=True)
    actions = serializers.SerializerMethodField()
    violations = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "title", "category", "classification", "classification_label", "status", "start", "end", "place",
                  "scope", "planned_attendees", "budget", "purpose", "contact", "reply_deadline", "reply_deadline_provisional",
                  "organizer", "actions", "violations"]

    def get_actions(self, obj) -> list[str]:
        return sorted(MeetingPolicy.allowed_actions(self.context["request"].user, obj))

    def get_violations(self, obj) -> list[str]:
        return services.plan_violations(obj)


class MeetingWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    category = serializers.CharField(max_length=20, help_text="会议类别代码，如 class2 / class3 / class4 / internal")
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    room = serializers.IntegerField(required=False, allow_null=True, default=None)
    venue = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    scope = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    planned_attendees = serializers.IntegerField(min_value=0, default=0)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=0)
    purpose = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reply_workdays = serializers.IntegerField(min_value=1, max_value=30, default=2)
    invitees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=2000)


class ReplySerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["attend", "leave", "substitute"])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    substitute = serializers.IntegerField(required=False, allow_null=True, default=None)


class CheckinSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class AttendeeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name")
    substitute_name = serializers.CharField(source="substitute.display_name", default=None)

    class Meta:
        model = Attendee
        fields = ["id", "user", "name", "reply", "reason", "leave_status", "substitute", "substitute_name", "signed_in_at"]


def _people(request, ids):
    return list(User.objects.filter(pk__in=ids, organization_id=request.user.organization_id))


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoomSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.rooms_for(self.request.user)

    @extend_schema(tags=TAG, responses={200: dict})
    @action(detail=False, methods=["get"])
    def availability(self, request):
        """Free periods (08:00–18:00) per room for `days` days from `day` (default: this week's Monday, 7 days)."""
        try:
            day = datetime.date.fromisoformat(request.query_params.get("day", "")) if request.query_params.get("day") else selectors.week_start(timezone.localdate())
            days = min(max(int(request.query_params.get("days", 7)), 1), 31)
        except ValueError:
            raise ServiceError("日期或天数无效。", fields={"day": "日期格式应为 YYYY-MM-DD。"})
        free = selectors.availability(request.user, day, days)
        return Response({str(room): [{"start": s, "end": e} for s, e in periods] for room, periods in free.items()})


@extend_schema_view(list=extend_schema(tags=TAG))
class BookingViewSet(viewsets.GenericViewSet):
    queryset = Booking.objects.none()  # the model, for the schema and the access matrix; get_queryset restricts
    serializer_class = BookingSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return Booking.objects.restrict(self.request.user)

    def list(self, request):
        """Bookings of a week (`day` in it) — `room` to narrow to one room."""
        try:
            day = datetime.date.fromisoformat(request.query_params["day"]) if request.query_params.get("day") else timezone.localdate()
        except ValueError:
            raise ServiceError("日期无效。", fields={"day": "日期格式应为 YYYY-MM-DD。"})
        first = selectors.week_start(day)
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tz)
        rooms = None
        if (request.query_params.get("room") or "").isdigit():
            rooms = [selectors.room_get(request.user, request.query_params["room"])]
        slots = selectors.bookings_between(request.user, start, start + datetime.timedelta(days=7), rooms=rooms)
        return Response(BookingSerializer(slots, many=True, context={"request": request}).data)

    @extend_schema(tags=TAG, request=BookingWriteSerializer, responses={201: BookingSerializer})
    def create(self, request):
        data = BookingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        room = selectors.room_get(request.user, v.pop("room"))
        booking = services.booking_create(actor=request.user, room=room, **v)
        return Response({"id": booking.pk, "room": room.pk, "start": booking.start, "end": booking.end}, status=201)

    @extend_schema(tags=TAG, request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = services.booking_cancel(actor=request.user, booking=selectors.booking_get(request.user, pk))
        return Response({"id": booking.pk, "status": booking.status})

    @extend_schema(tags=TAG, request=MoveSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_move(actor=request.user, booking=selectors.booking_get(request.user, pk), **data.validated_data)
        return Response({"id": booking.pk, "start": booking.start, "end": booking.end})


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.meetings_for(self.request.user).order_by("-start", "-id")

    def _out(self, pk):
        return MeetingSerializer(selectors.meeting_get(self.request.user, pk), context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        record_access(actor=request.user, obj=meeting, kind="view")
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(tags=TAG, request=MeetingWriteSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        if not has_perm(request.user, "meetings.add"):
            raise PermissionDenied()
        data = MeetingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        category = next((c for c in services.categories_for(request.user.organization_id) if c.code == v.pop("category")), None)
        if category is None:
            raise ServiceError("会议类别无效。", fields={"category": "会议类别无效。"})
        room_id = v.pop("room")
        room = selectors.room_get(request.user, room_id) if room_id else None
        invitees = _people(request, v.pop("invitees"))
        meeting = services.meeting_create(actor=request.user, category=category, room=room, invitees=invitees, **v)
        return Response(self._out(meeting.pk), status=201)

    @extend_schema(tags=TAG, request=None)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        meeting = services.meeting_notify(actor=request.user, meeting=self.get_object())
        return Response(self._out(meeting.pk))

    @extend_schema(tags=TAG, request=ReplySerializer, responses={200: AttendeeSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        sub = _people(request, [v.pop("substitute")]) if v.get("substitute") else []
        if v.get("substitute") is not None and not sub:
            raise ServiceError("代参人员无效。", fields={"substitute": "代参人员应为本机关人员。"})
        v.pop("substitute", None)
        row = services.reply(actor=request.user, meeting=self.get_object(), substitute=sub[0] if sub else None, **v)
        return Response(AttendeeSerializer(row).data)

    @extend_schema(tags=TAG, responses={200: AttendeeSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def attendees(self, request, pk=None):
        """The 回执 (the organizer and the office see everyone; an invitee his own row) and the live tally."""
        meeting = self.get_object()
        rows = meeting.attendees.select_related("user", "substitute")
        if not MeetingPolicy.organizes(request.user, meeting):
            rows = rows.filter(user=request.user)
        return Response({"tally": selectors.tally(meeting) if MeetingPolicy.organizes(request.user, meeting) else None,
                         "attendees": AttendeeSerializer(rows, many=True).data})

    @extend_schema(tags=TAG, responses={200: dict})
    @action(detail=True, methods=["get"])
    def seating(self, request, pk=None):
        """The ranked list of those attending (回执 applied, 代参 in the seat of whom they replace) — the seating input."""
        meeting = self.get_object()
        if not MeetingPolicy.organizes(request.user, meeting):
            raise PermissionDenied("只有承办人或办公室可以排座次。")
        return Response({"people": [{"id": u.pk, "name": u.display_name} for u in selectors.meeting_attendees_ranked(meeting)]})

    @extend_schema(tags=TAG, request=CheckinSerializer, responses={200: AttendeeSerializer})
    @action(detail=False, methods=["post"])
    def checkin(self, request):
        data = CheckinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.checkin_by_token(actor=request.user, token=data.validated_data["token"])
        return Response(AttendeeSerializer(row).data)


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max_days = serializers.IntegerField(allow_null=True)
    max_attendees = serializers.IntegerField(allow_null=True)
    daily_cost_cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    default = serializers.BooleanField()


@extend_schema(tags=TAG)
class CategoryViewSet(viewsets.GenericViewSet):
    queryset = Category.objects.none()
    serializer_class = CategorySerializer

    @extend_schema(tags=TAG, responses={200: CategorySerializer(many=True)})
    def list(self, request):
        rows = services.categories_for(request.user.organization_id) if has_perm(request.user, "meetings.view") else []
        return Response([{"code": c.code, "name": c.name, "max_days": c.max_days, "max_attendees": c.max_attendees,
                          "daily_cost_cap": c.daily_cost_cap, "default": c.organization_id is None} for c in rows])
