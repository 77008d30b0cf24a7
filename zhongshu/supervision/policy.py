"""督查督办 policy: who reads an item or a task, what each person may do, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import SupervisionItem, SupervisionTask


class SupervisionItemPolicy(Policy):
    model = SupervisionItem
    area = "supervision"
    noun = "督办事项"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The office (督查室/办公室) follows every item of its organization; a leader his own items; a department
        # the items it has a live task in (or that were handed down to the person).
        if has_perm(user, "supervision.manage"):
            return Q(pk__isnull=False)
        # Two subqueries rather than one with an OR, so each uses its own index on the task table.
        live = SupervisionTask.objects.exclude(status=SupervisionTask.Status.REASSIGNED)
        q = Q(responsible_leader_id=user.pk) | Q(created_by_id=user.pk) | Q(pk__in=live.filter(assignee_id=user.pk).values("item_id"))
        if user.department_ids:
            q |= Q(pk__in=live.filter(department_id__in=user.department_ids).values("item_id"))
        return q


class SupervisionTaskPolicy(Policy):
    model = SupervisionTask
    area = "supervision"
    noun = "督办任务"
    organization_field = "department_organization"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        q = Q(assignee_id=user.pk) | Q(item__responsible_leader_id=user.pk)
        if user.department_ids:
            q |= Q(department_id__in=user.department_ids)
        if has_perm(user, "supervision.manage"):
            q |= Q(item__organization_id=user.organization_id)
        return q

    @classmethod
    def title_of(cls, obj: SupervisionTask) -> str:
        return obj.item.title


register(SupervisionItemPolicy)
register(SupervisionTaskPolicy)
