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
    def keeps(cls, user: Any) -> bool:
        """The archivist and the office director keep the organization's whole holdings, content included."""
        return has_perm(user, "archives.file") or has_perm(user, "archives.manage")

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        # Keepers: every item. A borrower (archives.borrow): the catalogue (目录) — every filed item of the
        # organization, its catalogue entry only (restrict() adds the organization and the clearance ceiling, so a
        # 秘密 entry shows only to people cleared for 秘密) — and whatever their running loan covers. The content is
        # `content()`: the files open only during an approved loan.
        if cls.keeps(user):
            return Q(pk__isnull=False)
        if not has_perm(user, "archives.borrow"):
            return cls.on_loan(user)
        return Q(status=ArchiveItem.Status.FILED) | cls.on_loan(user)

    @classmethod
    def on_loan(cls, user: Any) -> Q:
        now = timezone.now()
        return Q(pk__in=Loan.objects.filter(borrower_id=user.pk, status=Loan.Status.ACTIVE, starts_at__lte=now, due_at__gt=now).values("item_id"))

    @classmethod
    def content(cls, user: Any) -> Q:
        """Of the items restrict() shows, those whose content (files, full text) `user` may read: a keeper any filed
        item, anyone else a filed item under their running loan."""
        filed = Q(status=ArchiveItem.Status.FILED)
        return filed if cls.keeps(user) else filed & cls.on_loan(user)

    @classmethod
    def full_text(cls, user: Any) -> Q:
        """Of the items restrict() shows, those global search may match on their text (the document body): all for a
        keeper, the running loans for anyone else — a catalogue entry is browsed in the 档案 list, not searched."""
        return Q() if cls.keeps(user) else cls.content(user)


register(ArchiveItemPolicy)
