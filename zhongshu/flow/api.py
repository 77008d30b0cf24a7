"""流程审批 API under /api/v1/flow/ — the same selectors (restrict) and services as the screens.

Lists: started/; todo/, toread/, done/ are deprecated (flow work items alone; /api/v1/inbox/… has every task). Detail: items/<id>/ (with history), instances/<id>/.
Actions: POST items/<id>/<action>/ (approve, circle, read, return, transfer, add_signers, terminate),
items/read-bulk/, instances/<id>/<action>/ (withdraw, chase, terminate, circulate), start/.
"""

from __future__ import annotations

from django.http import Http404, QueryDict
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound, PermissionDenied, ServiceError

from . import selectors, services
from .filters import InstanceFilter, ItemFilter
from .models import FlowAction, FlowInstance, StepAction, WorkItem, acting_ids
from .registry import SUBJECTS, business_type_label, subject_for
from .services import engine

MAX_ID = 2**62
Id = lambda **kw: serializers.IntegerField(min_value=1, max_value=MAX_ID, **kw)  # noqa: E731
Opinion = lambda **kw: serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", **kw)  # noqa: E731


# ---- output -------------------------------------------------------------------------------------------
class WorkItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="instance.title")
    business_type = serializers.CharField(source="instance.business_type")
    business_type_label = serializers.SerializerMethodField()
    instance = serializers.IntegerField(source="instance_id")
    initiator = serializers.CharField(source="instance.initiator.display_name")
    assignee = serializers.CharField(source="assignee.display_name")
    urgency = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = WorkItem
        fields = ["id", "title", "business_type", "business_type_label", "instance", "kind", "kind_label", "status", "status_label",
                  "step_name", "initiator", "assignee", "classification", "due_date", "due_provisional", "urgency", "created_at",
                  "done_at", "action", "opinion"]

    def get_business_type_label(self, obj) -> str:
        return business_type_label(obj.instance.business_type)

    def get_urgency(self, obj) -> str:
        bounds = self.context.get("bounds")
        return obj.urgency(*bounds) if bounds else ""

    def to_representation(self, obj):
        """Hand-built: the inbox lists many rows, and DRF's per-field machinery dominated their time."""
        inst = obj.instance
        return {
            "id": obj.pk, "title": inst.title, "business_type": inst.business_type,
            "business_type_label": business_type_label(inst.business_type), "instance": obj.instance_id, "kind": obj.kind,
            "kind_label": obj.get_kind_display(), "status": obj.status, "status_label": obj.get_status_display(),
            "step_name": obj.step_name, "initiator": inst.initiator.display_name, "assignee": obj.assignee.display_name,
            "classification": obj.classification, "due_date": obj.due_date.isoformat() if obj.due_date else None,
            "due_provisional": obj.due_provisional, "urgency": self.get_urgency(obj),
            "created_at": _iso(obj.created_at), "done_at": _iso(obj.done_at), "action": obj.action, "opinion": obj.opinion,
        }


_DATETIME = serializers.DateTimeField()


def _iso(value) -> str | None:
    return _DATETIME.to_representation(value) if value else None


class InstanceSerializer(serializers.ModelSerializer):
    initiator = serializers.CharField(source="initiator.display_name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = FlowInstance
        fields = ["id", "title", "business_type", "status", "status_label", "current_step_name", "initiator", "classification",
                  "created_at", "finished_at"]


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
    action_label = serializers.CharField(source="get_action_display")
    signature_url = serializers.SerializerMethodField()

    class Meta:
        model = FlowAction
        fields = ["id", "step_name", "action", "action_label", "actor", "opinion", "targets", "created_at", "signature_url"]

    def get_signature_url(self, obj) -> str | None:
        return reverse("web:attachment", args=[obj.signature_id]) if obj.signature_id else None


# ---- lists --------------------------------------------------------------------------------------------
class _Inbox(generics.ListAPIView):
    """Flow work items alone, kept so that existing clients keep working (the ids are those that
    /api/v1/flow/items/<id>/… acts on). Deprecated: every task is in /api/v1/inbox/<box>/; each answer says so in
    its `Deprecation` and `Link: <…>; rel="successor-version"` headers (RFC 8594 style)."""

    serializer_class = WorkItemSerializer
    filterset_class = ItemFilter
    selector = staticmethod(selectors.todo_for)
    ordering = ("-created_at", "-id")
    successor = "api-inbox-todo"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = "true"
        response["Link"] = f'<{reverse(self.successor)}>; rel="successor-version"'
        return response

    def get_queryset(self):
        if not has_perm(self.request.user, "flow.view"):
            return WorkItem.objects.none()
        return type(self).selector(self.request.user).select_related("instance__initiator").order_by(*self.ordering)

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["bounds"] = selectors.urgency_bounds(self.request.user.organization_id)
        return ctx


@extend_schema(tags=["流程审批"], summary="流程待办（已弃用，请用 /api/v1/inbox/todo/）", deprecated=True)
class TodoList(_Inbox):
    selector = staticmethod(selectors.todo_for)


@extend_schema(tags=["流程审批"], summary="流程待阅（已弃用，请用 /api/v1/inbox/toread/）", deprecated=True)
class ToreadList(_Inbox):
    selector = staticmethod(selectors.toread_for)
    successor = "api-inbox-toread"


@extend_schema(tags=["流程审批"], summary="流程已办（已弃用，请用 /api/v1/inbox/done/）", deprecated=True)
class DoneList(_Inbox):
    selector = staticmethod(selectors.done_for)
    ordering = ("-done_at", "-id")
    successor = "api-inbox-done"


@extend_schema(tags=["流程审批"], summary="我发起的")
class StartedList(generics.ListAPIView):
    serializer_class = InstanceSerializer
    filterset_class = InstanceFilter

    def get_queryset(self):
        if not has_perm(self.request.user, "flow.view"):
            return FlowInstance.objects.none()
        return selectors.started_by(self.request.user).order_by("-created_at", "-id")


# ---- detail -------------------------------------------------------------------------------------------
def _item(request, pk) -> WorkItem:
    if not has_perm(request.user, "flow.view"):
        raise Http404
    try:
        return selectors.item_get(request.user, pk)
    except NotFound:
        raise Http404


def _instance(request, pk) -> FlowInstance:
    if not has_perm(request.user, "flow.view"):
        raise Http404
    try:
        return selectors.instance_get(request.user, pk)
    except NotFound:
        raise Http404


def _allowed(user, item: WorkItem) -> list[str]:
    if item.status != WorkItem.Status.PENDING or item.assignee_id not in acting_ids(user):
        return []
    if item.kind == WorkItem.Kind.READ:
        return ["read", "circle"]
    if item.instance.status != FlowInstance.Status.RUNNING:
        return []
    if item.origin == WorkItem.Origin.INITIATOR:
        return ["approve", "terminate"]
    allowed = [a for a in (item.step.actions if item.step else []) if a in StepAction.values]
    if item.origin != WorkItem.Origin.NORMAL and "return" in allowed:
        allowed.remove("return")
    return ["add_signers" if a == "add_sign" else a for a in allowed]


def _instance_payload(request, instance: FlowInstance) -> dict:
    holders = [{"id": i.pk, "assignee": i.assignee.display_name, "step_name": i.step_name, "kind": i.kind, "status": i.status}
               for i in selectors.open_items_of(instance)]
    return {
        "instance": InstanceSerializer(instance).data,
        "history": HistorySerializer(selectors.history_of(instance), many=True).data,
        "holders": holders,
    }


@extend_schema(tags=["流程审批"], summary="事项详情（含办理过程）", responses=dict)
@api_view(["GET"])
def item_detail(request, pk):
    item = _item(request, pk)
    bounds = selectors.urgency_bounds(item.organization_id)
    data = {"item": WorkItemSerializer(item, context={"bounds": bounds}).data, **_instance_payload(request, item.instance)}
    allowed = _allowed(request.user, item)
    data["allowed_actions"] = allowed
    data["acting_for"] = item.assignee.display_name if item.assignee_id != request.user.pk else None
    data["return_targets"] = [{"position": p, "label": label} for p, label in engine.return_targets(item.instance)] if "return" in allowed else []
    step, candidates = engine.upcoming_choice(item.instance) if "approve" in allowed else (None, None)
    data["next_step"] = None if step is None else {
        "name": step.name, "candidates": [{"id": u.pk, "name": u.display_name} for u in candidates[:200]]}
    data["verb"] = item.step.verb if item.step is not None and item.origin == WorkItem.Origin.NORMAL else (
        "重新提交" if item.origin == WorkItem.Origin.INITIATOR else "同意并提交")
    data["subject_fields"] = _subject_fields(request, item) if "approve" in allowed or "circle" in allowed else []
    return Response(data)


def _subject_fields(request, item: WorkItem) -> list[dict]:
    """The adapter's extra fields (sent as `subject` with approve/circle), with their choices and current values."""
    adapter = subject_for(item.instance.business_type)
    obj = engine.subject_of(item.instance)
    if adapter is None or obj is None or item.origin == WorkItem.Origin.INITIATOR:
        return []
    form = adapter.item_form(obj, item, request.user, designates=engine.upcoming_subject_step(item.instance))
    if form is None:
        return []
    out = []
    for name, field in form.fields.items():
        entry: dict = {"name": name, "label": str(field.label), "required": field.required, "value": form.initial.get(name)}
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            entry["choices"] = [{"id": o.pk, "name": getattr(o, "display_name", None) or str(o)} for o in queryset[:200]]
        elif getattr(field, "choices", None):
            flat: list[dict] = []
            for value, label in field.choices:   # grouped choices (内设机构 / 平台内其他机关) flattened, with their group
                if isinstance(label, (list, tuple)):
                    flat += [{"id": v, "name": str(lab), "group": str(value)} for v, lab in label]
                elif value not in ("", None):
                    flat.append({"id": value, "name": str(label)})
            entry["choices"] = flat[:400]
        out.append(entry)
    return out


@extend_schema(tags=["流程审批"], summary="流程详情（含办理过程）", responses=dict)
@api_view(["GET"])
def instance_detail(request, pk):
    return Response(_instance_payload(request, _instance(request, pk)))


# ---- actions ------------------------------------------------------------------------------------------
class SubjectFields(serializers.Serializer):
    """What the adapter's extra fields take besides the opinion (收文: 承办安排, the leaders 拟办 proposes, and the
    confirmation that a 批示 without 主办 closes the document); checked again by the adapter's own form."""

    subject = serializers.DictField(required=False, default=dict)
    no_undertaking = serializers.BooleanField(required=False, default=False)
    signature = serializers.CharField(required=False, default="", allow_blank=True, max_length=450_000, trim_whitespace=True)


class ApprovePayload(SubjectFields):
    opinion = Opinion()
    next_assignees = serializers.ListField(child=Id(), required=False, default=list, max_length=100)


class OpinionPayload(serializers.Serializer):
    opinion = Opinion()


class CirclePayload(SubjectFields):
    opinion = Opinion()


class ReturnPayload(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    to_position = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=-1, max_value=1000)


class TransferPayload(serializers.Serializer):
    to = Id()
    opinion = Opinion()


class AddSignersPayload(serializers.Serializer):
    signers = serializers.ListField(child=Id(), min_length=1, max_length=50)
    position = serializers.ChoiceField(choices=[("before", "前加签"), ("after", "后加签")], default="before")
    opinion = Opinion()


class ReasonPayload(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class WithdrawPayload(serializers.Serializer):
    reason = Opinion()


class ChasePayload(serializers.Serializer):
    message = Opinion()


class CirculatePayload(serializers.Serializer):
    recipients = serializers.ListField(child=Id(), min_length=1, max_length=200)
    opinion = Opinion()


class BulkPayload(serializers.Serializer):
    items = serializers.ListField(child=Id(), min_length=1, max_length=500)


class StartPayload(serializers.Serializer):
    business_type = serializers.ChoiceField(choices=[])
    object_id = Id()
    opinion = Opinion()
    next_assignees = serializers.ListField(child=Id(), required=False, default=list, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_type"].choices = [(k, s.label) for k, s in SUBJECTS.items()]


ITEM_PAYLOADS = {"approve": ApprovePayload, "circle": CirclePayload, "read": OpinionPayload, "return": ReturnPayload,
                 "transfer": TransferPayload, "add_signers": AddSignersPayload, "terminate": ReasonPayload}


def _valid(payload_class, request) -> dict:
    data = payload_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


@extend_schema(tags=["流程审批"], summary="办理事项：approve/circle/read/return/transfer/add_signers/terminate", request=dict,
               responses=dict)
@api_view(["POST"])
def item_act(request, pk, action):
    if action not in ITEM_PAYLOADS:
        raise Http404
    item = _item(request, pk)
    params = _valid(ITEM_PAYLOADS[action], request)
    if action in ("approve", "circle") and item.kind == WorkItem.Kind.TODO:
        params["subject_data"] = _subject_data(request, item, params.pop("subject"), params.pop("no_undertaking"))
    services.flow_act(actor=request.user, item=item.pk, action=action, **params)
    return item_detail_response(request, item.pk)


def _subject_data(request, item: WorkItem, fields: dict, no_undertaking: bool) -> dict:
    """The adapter's extra fields from the API: validated by the same form as the page, errors as field errors."""
    adapter = subject_for(item.instance.business_type)
    obj = engine.subject_of(item.instance)
    if adapter is None or obj is None or item.origin == WorkItem.Origin.INITIATOR:
        return {}
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            data.appendlist(str(key), "" if v is None else str(v))
    if no_undertaking:
        data["no_undertaking"] = "on"
    form = adapter.item_form(obj, item, request.user, data=data, designates=engine.upcoming_subject_step(item.instance), confirm=True)
    if form is None:
        return {"no_undertaking": no_undertaking}
    if not form.is_valid():
        errors: dict[str, list[str] | str] = {str(k): [str(m) for m in v] for k, v in form.errors.items()}
        raise ServiceError(str(next(iter(form.errors.values()))[0]), fields=errors)
    return dict(form.cleaned_data)


def item_detail_response(request, pk):
    try:
        item = selectors.item_get(request.user, pk)
    except NotFound:
        return Response({"ok": True})
    return Response({"ok": True, "item": WorkItemSerializer(item).data, **_instance_payload(request, item.instance)})


@extend_schema(tags=["流程审批"], summary="批量圈阅待阅事项", request=BulkPayload, responses=dict)
@api_view(["POST"])
def read_bulk(request):
    if not has_perm(request.user, "flow.view"):
        raise PermissionDenied()
    params = _valid(BulkPayload, request)
    return Response({"read": services.work_items_circle_bulk(actor=request.user, items=params["items"])})


INSTANCE_PAYLOADS = {"withdraw": WithdrawPayload, "chase": ChasePayload, "terminate": ReasonPayload, "circulate": CirculatePayload}


@extend_schema(tags=["流程审批"], summary="流程操作：withdraw/chase/terminate/circulate", request=dict, responses=dict)
@api_view(["POST"])
def instance_act(request, pk, action):
    if action not in INSTANCE_PAYLOADS:
        raise Http404
    instance = _instance(request, pk)
    p = _valid(INSTANCE_PAYLOADS[action], request)
    if action == "withdraw":
        services.instance_withdraw(actor=request.user, instance=instance.pk, reason=p["reason"])
    elif action == "chase":
        services.instance_chase(actor=request.user, instance=instance.pk, message=p["message"])
    elif action == "terminate":
        services.instance_terminate(actor=request.user, instance=instance.pk, reason=p["reason"])
    else:
        services.instance_circulate(actor=request.user, instance=instance.pk, recipients=p["recipients"], opinion=p["opinion"])
    return Response({"ok": True, **_instance_payload(request, selectors.instance_get(request.user, instance.pk))})


@extend_schema(tags=["流程审批"], summary="发起审批", request=StartPayload, responses=dict)
@api_view(["POST"])
def start(request):
    if not has_perm(request.user, "flow.view"):
        raise PermissionDenied()
    p = _valid(StartPayload, request)
    adapter = subject_for(p["business_type"])
    obj = adapter.startable(request.user).filter(pk=p["object_id"]).first() if adapter else None
    if obj is None:
        raise NotFound("没有可提交审批的该事项。")
    instance = services.flow_start(actor=request.user, subject=obj, opinion=p["opinion"], chosen=p["next_assignees"])
    return Response({"ok": True, **_instance_payload(request, selectors.instance_get(request.user, instance.pk))}, status=201)


urlpatterns = [
    path("todo/", TodoList.as_view(), name="api-flow-todo"),
    path("toread/", ToreadList.as_view(), name="api-flow-toread"),
    path("done/", DoneList.as_view(), name="api-flow-done"),
    path("started/", StartedList.as_view(), name="api-flow-started"),
    path("start/", start, name="api-flow-start"),
    path("items/read-bulk/", read_bulk, name="api-flow-read-bulk"),
    path("items/<int:pk>/", item_detail, name="api-flow-item"),
    path("items/<int:pk>/<slug:action>/", item_act, name="api-flow-item-act"),
    path("instances/<int:pk>/", instance_detail, name="api-flow-instance"),
    path("instances/<int:pk>/<slug:action>/", instance_act, name="api-flow-instance-act"),
]
