"""收文 policy: who reads a 收文, what each person may do to it, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import CirculationSlot, IncomingDocument, Undertaking, undertaking_handlers_q


class IncomingPolicy(Policy):
    model = IncomingDocument
    area = "incoming"
    noun = "收文"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The office registers and distributes every incoming document (收文 is centrally managed); others see one
        # when the flow or an explicit grant brings it to them.
        if has_perm(user, "incoming.register"):
            return Q(pk__isnull=False)
        # 承办 departments (their head, liaisons and the person a task was handed to) and 传阅 readers who hold or
        # held the document.
        undertaking = Undertaking.objects.filter(undertaking_handlers_q(user))
        # received_at is set only when a reader actually holds the document: a queued reader whose turn never came
        # (改送, 收回) never sees it.
        reading = CirculationSlot.objects.filter(reader_id=user.pk, received_at__isnull=False)
        return (Q(registered_by_id=user.pk) | Q(pk__in=undertaking.values("document_id"))
                | Q(pk__in=reading.values("circulation__document_id")))


register(IncomingPolicy)
