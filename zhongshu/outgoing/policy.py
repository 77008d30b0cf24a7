"""发文 policy: who reads a 发文, what each person may do to it, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import JointIssuer, OutgoingDocument


class OutgoingPolicy(Policy):
    model = OutgoingDocument
    area = "outgoing"
    noun = "发文"
    number_field = "doc_number"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The drafter; the signers; and the office that reviews, numbers and dispatches every document
        # (文秘/办公室主任: "outgoing.register") once it has left the drafter's hands.
        q = Q(drafter_id=user.pk) | Q(pk__in=OutgoingDocument.signers.through.objects.filter(user_id=user.pk).values("outgoingdocument_id"))
        if has_perm(user, "outgoing.register"):
            q |= ~Q(status=OutgoingDocument.Status.DRAFT)
        return q  # flow participants are added by zhongshu.flow through access.register_need_to_know

    @classmethod
    def cross_organization(cls, user: Any) -> Q | None:
        """联合行文: leaders and the office of a joint issuing organ on the platform see the document from 签发 on
        (to give their 会签), in addition to their own organization's documents."""
        if user.organization_id is None or not (has_perm(user, "outgoing.sign") or has_perm(user, "outgoing.register")):
            return None
        joint = JointIssuer.objects.filter(organ__platform_organization_id=user.organization_id)
        return Q(pk__in=joint.values("document_id")) & ~Q(status__in=[OutgoingDocument.Status.DRAFT, OutgoingDocument.Status.REVIEWING,
                                                                      OutgoingDocument.Status.CANCELLED])


register(OutgoingPolicy)
