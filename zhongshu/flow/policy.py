"""流程 policy: who reads a flow instance or a work item, what each person may do, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register
from zhongshu.core.classification import Classification

from .models import FlowInstance, WorkItem, acting_ids


class FlowInstancePolicy(Policy):
    model = FlowInstance
    area = "flow"
    noun = "审批事项"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        mine = WorkItem.objects.filter(Q(assignee_id__in=acting_ids(user)) | Q(done_by_id=user.pk)).values("instance_id")
        q = Q(initiator_id=user.pk) | Q(pk__in=mine)
        if has_perm(user, "flow.supervise"):
            q |= Q(classification__lt=Classification.SECRET)
        return q


class WorkItemPolicy(Policy):
    model = WorkItem
    area = "flow"
    noun = "待办事项"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        q = Q(assignee_id__in=acting_ids(user)) | Q(initiator_id=user.pk) | Q(done_by_id=user.pk)
        if has_perm(user, "flow.supervise"):
            q |= Q(classification__lt=Classification.SECRET)
        return q


register(FlowInstancePolicy)
register(WorkItemPolicy)
