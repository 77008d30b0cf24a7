"""档案 policy: who reads an archive item, what each person may do, what others may be shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import ArchiveItem, Loan


class ArchiveItemPolicy(Policy):
    model = ArchiveItem
    area = "archives"
    noun = "档案"
    number_field = "archival_code"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # The archivist (and the office director) keep the organization's whole catalogue; anyone else sees an item
        # only while an approved loan of theirs runs.
        if has_perm(user, "archives.file") or has_perm(user, "archives.manage"):
            return Q(pk__isnull=False)
        now = timezone.now()
        return Q(pk__in=Loan.objects.filter(borrower_id=user.pk, status=Loan.Status.ACTIVE, starts_at__lte=now, due_at__gt=now).values("item_id"))


register(ArchiveItemPolicy)
