from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .calendar import day_info, deadline


class DeadlineQuery(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=-365, max_value=365)


@extend_schema(
    parameters=[DeadlineQuery],
    responses=inline_serializer("DeadlineResult", {"start": serializers.DateField(), "days": serializers.IntegerField(), "deadline": serializers.DateField(), "provisional": serializers.BooleanField(), "is_workday": serializers.BooleanField()}),
    tags=["工作日"],
)
@api_view(["GET"])
def workday_deadline(request):
    """N working days after `start` on the official calendar; `provisional` when a year's schedule is unknown."""
    q = DeadlineQuery(data=request.query_params)
    q.is_valid(raise_exception=True)
    org = request.user.organization_id
    dl = deadline(q.validated_data["start"], q.validated_data["days"], organization_id=org)
    return Response({
        "start": q.validated_data["start"], "days": q.validated_data["days"], "deadline": dl.date, "provisional": dl.provisional,
        "is_workday": day_info(q.validated_data["start"], organization_id=org).is_workday,
    })
