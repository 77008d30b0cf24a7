"""收文 API — the same selectors (restrict) and services as the screens: the register, 签收, 初审, 退文,
承办 (答复, 延期), 办结, 传阅 and the statistics."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.audit.services import record_access
from zhongshu.core.classification import Classification
from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError
from zhongshu.org.models import Department, ExternalOrgan, Organization, User

from . import selectors, services
from .models import Circulation, CirculationSlot, IncomingDocument, Undertaking
from .policy import IncomingPolicy

TAG = ["收文"]


class UndertakingSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="unit_label", read_only=True, help_text="承办单位：本机关内设机构，或平台内其他机关")
    organization = serializers.IntegerField(source="organization_id", read_only=True, allow_null=True,
                                            help_text="承办机关（平台内其他机关）的 id；本机关内设机构为 null")
    assignee = serializers.CharField(source="assignee.display_name", read_only=True, default=None)
    accepted_by = serializers.CharField(source="accepted_by.display_name", read_only=True, default=None)
    external = serializers.IntegerField(source="external_id", read_only=True, allow_null=True,
                                        help_text="纸质办理的外单位（通讯录）id；在线办理的单位为 null")
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Undertaking
        fields = ["id", "department", "organization", "external", "role", "status", "assignee", "accepted_by", "accepted_at", "deadline",
                  "original_deadline", "paper_sent_on", "paper_reply_on", "reply", "replied_at", "return_note", "actions"]

    def get_actions(self, obj) -> list[str]:
        user = self.context.get("user")
        return sorted(IncomingPolicy.undertaking_actions(user, obj)) if user is not None else []


class SlotSerializer(serializers.ModelSerializer):
    reader = serializers.CharField(source="reader.display_name", read_only=True)

    class Meta:
        model = CirculationSlot
        fields = ["id", "reader", "order", "status", "received_at", "read_at", "comment"]


class CirculationSerializer(serializers.ModelSerializer):
    slots = SlotSerializer(many=True, read_only=True)

    class Meta:
        model = Circulation
        fields = ["id", "mode", "status", "started_at", "finished_at", "slots"]


class IncomingSerializer(serializers.ModelSerializer):
    receipt_number = serializers.CharField(read_only=True)
    lead_department = serializers.CharField(source="lead_unit_label", read_only=True, default=None)
    undertakings = serializers.SerializerMethodField()
    circulations = serializers.SerializerMethodField()

    def _user(self):
        return self.context.get("user")

    def _home(self, obj) -> bool:
        user = self._user()
        return user is not None and user.organization_id == obj.organization_id

    @extend_schema_field(UndertakingSerializer(many=True))
    def get_undertakings(self, obj):
        # Another organization holding a part sees its own part only (restrict() on Undertaking narrows it).
        rows = Undertaking.objects.restrict(self._user()).filter(document_id=obj.pk).select_related(
            "document", "department", "organization", "external", "assignee", "accepted_by") if self._user() is not None else []
        return UndertakingSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(CirculationSerializer(many=True))
    def get_circulations(self, obj):
        if not self._home(obj):
            return []
        return CirculationSerializer(obj.circulations.all(), many=True).data

    class Meta:
        model = IncomingDocument
        fields = [
            "id", "receipt_number", "source", "sender_name", "doc_number", "doc_number_valid", "title", "doc_type", "classification",
            "copy_no", "urgency", "pages", "copies", "received_on", "deadline", "status", "kind", "return_reason", "review_note",
            "lead_department", "closed_at", "close_note", "undertakings", "circulations",
        ]


class RegisterSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=[c for c in IncomingDocument.Source.choices if c[0] != "exchange"])
    sender_organ = serializers.PrimaryKeyRelatedField(queryset=ExternalOrgan.objects.all(), required=False, allow_null=True, default=None)
    sender_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    doc_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    doc_type = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.PUBLIC)
    copy_no = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=[("", "无"), ("加急", "加急"), ("特急", "特急")], required=False, allow_blank=True, default="")
    pages = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True, default=None)
    copies = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    allow_duplicate = serializers.BooleanField(default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReviewSerializer(serializers.Serializer):
    passed = serializers.DictField(child=serializers.BooleanField(), help_text="初审各项：" + "、".join(k for k, _l in services.REVIEW_CHECKS))
    kind = serializers.ChoiceField(choices=IncomingDocument.Kind.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


ID = {"min_value": 1, "max_value": 2**62}  # ids beyond the database's integer range are refused here, not by the driver


class PlanSerializer(serializers.Serializer):
    lead_department = serializers.IntegerField(**ID, required=False, allow_null=True, default=None, help_text="主办：本机关内设机构 id")
    lead_organization = serializers.IntegerField(**ID, required=False, allow_null=True, default=None, help_text="或主办：平台内其他机关 id")
    co_departments = serializers.ListField(child=serializers.IntegerField(**ID), default=list, max_length=50)
    co_organizations = serializers.ListField(child=serializers.IntegerField(**ID), default=list, max_length=50)
    lead_external = serializers.IntegerField(**ID, required=False, allow_null=True, default=None,
                                             help_text="或主办：通讯录中不在平台上的外单位 id（纸质办理，办公室代为登记）")
    co_externals = serializers.ListField(child=serializers.IntegerField(**ID), default=list, max_length=50)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class UndertakingRefSerializer(serializers.Serializer):
    undertaking = serializers.IntegerField(**ID)


class HandToSerializer(serializers.Serializer):
    undertaking = serializers.IntegerField(**ID)
    assignee = serializers.IntegerField(**ID)


class ReplySerializer(serializers.Serializer):
    undertaking = serializers.IntegerField(**ID)
    reply = serializers.CharField(max_length=5000)


class RecordPaperSerializer(serializers.Serializer):
    undertaking = serializers.IntegerField(**ID)
    sent_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="纸质送达日期")
    reply_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="答复收到日期")
    result = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="", help_text="外单位答复的办理结果")


class ExtensionSerializer(serializers.Serializer):
    undertaking = serializers.IntegerField(**ID)
    requested_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CirculateSerializer(serializers.Serializer):
    readers = serializers.ListField(child=serializers.IntegerField(**ID), min_length=1, max_length=200)
    mode = serializers.ChoiceField(choices=Circulation.Mode.choices)


class ReadSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


@extend_schema_view(list=extend_schema(tags=TAG), retrieve=extend_schema(tags=TAG))
class IncomingViewSet(viewsets.ReadOnlyModelViewSet):
    """收文: a person sees the documents the office registered (文秘/主任), those of their 承办 department, and
    those circulated to them."""

    serializer_class = IncomingSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        qs = selectors.incoming_for(self.request.user).select_related("lead_department", "lead_organization").prefetch_related(
            "circulations__slots__reader")
        status = self.request.query_params.get("status", "")
        if status in IncomingDocument.Status.values:
            qs = qs.filter(status=status)
        return qs.order_by("-created_at", "-id")

    def retrieve(self, request, *args, **kwargs):
        doc = self.get_object()
        record_access(actor=request.user, obj=doc, kind="view")
        return Response(IncomingSerializer(doc, context={"user": request.user}).data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def _out(self, doc: IncomingDocument) -> Response:
        return Response(IncomingSerializer(self.get_queryset().get(pk=doc.pk), context={"user": self.request.user}).data)

    def _undertaking(self, doc: IncomingDocument, pk: int) -> Undertaking:
        u = Undertaking.objects.restrict(self.request.user).filter(document=doc, pk=pk).first()
        if u is None:
            raise NotFound("没有这个承办事项。")
        return u

    @extend_schema(request=RegisterSerializer, responses={201: IncomingSerializer}, tags=TAG)
    @action(detail=False, methods=["post"])
    def register(self, request):
        """登记 a paper, fax or e-mail document (duplicates need allow_duplicate)."""
        if not has_perm(request.user, "incoming.register"):
            raise PermissionDenied()
        doc = services.incoming_register(actor=request.user, **_valid(RegisterSerializer, request))
        return Response(IncomingSerializer(doc, context={"user": request.user}).data, status=201)

    @extend_schema(request=None, tags=TAG)
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request, pk=None):
        return self._out(services.incoming_sign_in(actor=request.user, document=self.get_object()))

    @extend_schema(request=ReasonSerializer, tags=TAG)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._out(services.incoming_return(actor=request.user, document=self.get_object(), **_valid(ReasonSerializer, request)))

    @extend_schema(request=ReviewSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._out(services.incoming_review(actor=request.user, document=self.get_object(), **_valid(ReviewSerializer, request)))

    @extend_schema(request=CloseSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        data = _valid(CloseSerializer, request)
        return self._out(services.incoming_start_handling(actor=request.user, document=self.get_object(), opinion=data["note"]))

    @extend_schema(request=PlanSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        doc = self.get_object()
        data = _valid(PlanSerializer, request)
        if sum(1 for k in ("lead_department", "lead_organization", "lead_external") if data[k]) > 1:
            raise ServiceError("主办单位只能有一个。", fields={"lead_organization": "主办单位只能有一个。"})
        depts = {d.pk: d for d in Department.objects.filter(organization_id=doc.organization_id, pk__in=[data["lead_department"], *data["co_departments"]])}
        orgs = {o.pk: o for o in Organization.objects.filter(pk__in=[data["lead_organization"], *data["co_organizations"]])}
        organs = {x.pk: x for x in ExternalOrgan.objects.filter(organization_id=doc.organization_id, pk__in=[data["lead_external"], *data["co_externals"]])}
        missing = ([i for i in data["co_departments"] if i not in depts] + [i for i in data["co_organizations"] if i not in orgs]
                   + [i for i in data["co_externals"] if i not in organs])
        if missing or (data["lead_department"] and data["lead_department"] not in depts) or (data["lead_organization"] and data["lead_organization"] not in orgs) \
                or (data["lead_external"] and data["lead_external"] not in organs):
            raise ServiceError("承办单位不存在或不属于本机关。", fields={"co_departments": f"不存在的单位：{missing}"} if missing else {"lead_department": "主办单位不存在。"})
        lead = (depts.get(data["lead_department"]) if data["lead_department"] else orgs.get(data["lead_organization"]) if data["lead_organization"]
                else organs.get(data["lead_external"]) if data["lead_external"] else None)
        co = [depts[i] for i in data["co_departments"]] + [orgs[i] for i in data["co_organizations"]] + [organs[i] for i in data["co_externals"]]
        return self._out(services.incoming_plan(actor=request.user, document=doc, lead_department=lead, co_departments=co, deadline=data["deadline"]))

    @extend_schema(request=UndertakingRefSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """签收 the caller's unit's 承办 part (a department's head or liaison, another organization's principal or liaison)."""
        doc = self.get_object()
        data = _valid(UndertakingRefSerializer, request)
        services.undertaking_accept(actor=request.user, undertaking=self._undertaking(doc, data["undertaking"]))
        return self._out(doc)

    @extend_schema(request=HandToSerializer, tags=TAG)
    @action(detail=True, methods=["post"], url_path="hand-to")
    def hand_to(self, request, pk=None):
        """交办: hand the unit's part to one of its people."""
        doc = self.get_object()
        data = _valid(HandToSerializer, request)
        person = User.objects.filter(pk=data["assignee"]).first()
        if person is None:
            raise ServiceError("承办人不存在。", fields={"assignee": "承办人不存在。"})
        services.undertaking_hand_to(actor=request.user, undertaking=self._undertaking(doc, data["undertaking"]), assignee=person)
        return self._out(doc)

    @extend_schema(request=ReplySerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        doc = self.get_object()
        data = _valid(ReplySerializer, request)
        services.undertaking_reply(actor=request.user, undertaking=self._undertaking(doc, data["undertaking"]), reply=data["reply"])
        return self._out(doc)

    @extend_schema(request=RecordPaperSerializer, tags=TAG, summary="登记外单位纸质办理（送达、答复、结果）")
    @action(detail=True, methods=["post"], url_path="record-paper")
    def record_paper(self, request, pk=None):
        doc = self.get_object()
        data = _valid(RecordPaperSerializer, request)
        services.undertaking_record_paper(actor=request.user, undertaking=self._undertaking(doc, data.pop("undertaking")), **data)
        return self._out(doc)

    @extend_schema(request=ExtensionSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        doc = self.get_object()
        data = _valid(ExtensionSerializer, request)
        services.extension_request(actor=request.user, undertaking=self._undertaking(doc, data["undertaking"]),
                                   requested_deadline=data["requested_deadline"], reason=data["reason"])
        return self._out(doc)

    @extend_schema(request=CloseSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._out(services.incoming_close(actor=request.user, document=self.get_object(), **_valid(CloseSerializer, request)))

    @extend_schema(request=CirculateSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def circulate(self, request, pk=None):
        doc = self.get_object()
        data = _valid(CirculateSerializer, request)
        found = {u.pk: u for u in User.objects.filter(pk__in=data["readers"])}
        missing = [i for i in data["readers"] if i not in found]
        if missing:
            raise ServiceError("阅文人不存在。", fields={"readers": f"不存在的人员：{missing}"})
        services.circulation_start(actor=request.user, document=doc, readers=[found[i] for i in data["readers"]], mode=data["mode"])
        return self._out(doc)

    @extend_schema(request=ReadSerializer, tags=TAG)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """已阅: the caller's own copy in the active 传阅 round."""
        doc = self.get_object()
        slot = CirculationSlot.objects.filter(circulation__document=doc, reader=request.user, status=CirculationSlot.Status.HOLDING).first()
        if slot is None:
            raise NotFound("您没有该文的在阅传阅件。")
        services.circulation_read(actor=request.user, slot=slot, **_valid(ReadSerializer, request))
        return self._out(doc)

    @extend_schema(tags=TAG, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """收文统计 for a year (?year=2026): counts by source, type, status and 主办 department, average handling time."""
        if not has_perm(request.user, "incoming.stats"):
            raise PermissionDenied()
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year") or today.year)
        except ValueError:
            raise ServiceError("年份无效。", fields={"year": "请填写四位数字年份。"})
        if not 2000 <= year <= today.year + 1:
            raise ServiceError("年份无效。", fields={"year": f"年份应在 2000～{today.year + 1} 之间。"})
        st = selectors.incoming_stats(request.user, year=year, today=today)
        return Response({
            "year": st.year, "total": st.total, "closed": st.closed, "avg_workdays": st.avg_workdays,
            "by_source": dict(st.by_source), "by_type": dict(st.by_type), "by_status": dict(st.by_status),
            "by_department": dict(st.by_department), "by_month": st.by_month,
            "overdue": [{"id": d.pk, "receipt_number": d.receipt_number, "title": d.title, "deadline": d.deadline} for d in st.overdue],
        })
