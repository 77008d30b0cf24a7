"""档案 reads, all through ArchiveItem.objects.restrict() (or the loan/destruction rules for those lists)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound

from .models import ArchiveItem, Destruction, DestructionLine, FilingBatch, Loan, Transfer


def items_for(user, action: str = "view") -> QuerySet[ArchiveItem]:
    return ArchiveItem.objects.restrict(user, action).select_related("department")


def item_get(user, pk) -> ArchiveItem:
    try:
        return items_for(user).get(pk=int(pk))
    except (ArchiveItem.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def can_read_content(user, item: ArchiveItem) -> bool:
    """Archivists read what they keep; anyone else only during an approved loan (the catalogue entry is not the
    content: ArchiveItemPolicy.content)."""
    from .policy import ArchiveItemPolicy

    return items_for(user).filter(ArchiveItemPolicy.content(user), pk=item.pk).exists()


def normalize_archival_code(value: str) -> str:
    """A 档号 as typed: the 门类·年度 separator may come as “.”, “．”, “・” or “•” (keyboards without “·”), the hyphen as
    a full-width or dash variant — all become the canonical 0194-WS·2026-D30-BGS-0001 (compare with iexact)."""
    value = (value or "").strip().replace(" ", "").replace("\u3000", "")
    for ch in ".．・•‧∙⋅":
        value = value.replace(ch, "·")
    for ch in "－—–―":
        value = value.replace(ch, "-")
    return value


def loans_for(user) -> QuerySet[Loan]:
    """The user's own requests, plus those the user's roles may decide or (archivists) manage."""
    if not has_perm(user, "archives.view") or user.organization_id is None:
        return Loan.objects.none()
    q = Q(borrower_id=user.pk)
    q |= Q(organization_id=user.organization_id, required_role__in=list(user.role_set), item__classification__lte=int(user.max_classification))
    if has_perm(user, "archives.manage"):
        q |= Q(organization_id=user.organization_id, item__classification__lte=int(user.max_classification))
    return Loan.objects.filter(q).select_related("item", "borrower", "decided_by")


def pending_decisions(user) -> QuerySet[Loan]:
    if user.organization_id is None:
        return Loan.objects.none()
    return (Loan.objects.filter(organization_id=user.organization_id, status=Loan.Status.PENDING, required_role__in=list(user.role_set),
                                item__classification__lte=int(user.max_classification)).exclude(borrower_id=user.pk)
            .select_related("item", "borrower"))


def destructions_for(user) -> QuerySet[Destruction]:
    from .services import archive_settings_get

    if user.organization_id is None:
        return Destruction.objects.none()
    settings = archive_settings_get(user.organization_id)
    approver = settings is not None and settings.destruction_approver_role in user.role_set
    if not (has_perm(user, "archives.manage") or approver):
        return Destruction.objects.none()
    # A register lists titles and 密级 of its lines: only people cleared for every line see it.
    above = DestructionLine.objects.filter(destruction_id=OuterRef("pk"), classification__gt=int(user.max_classification))
    return (Destruction.objects.filter(organization_id=user.organization_id).exclude(Exists(above))
            .select_related("created_by", "approved_by", "supervisor1", "supervisor2"))


def transfers_for(user) -> QuerySet[Transfer]:
    if not has_perm(user, "archives.manage"):
        return Transfer.objects.none()
    # A package holds the unwatermarked originals of its year: only people cleared for all of them may take it.
    above = ArchiveItem.objects.filter(organization_id=OuterRef("organization_id"), year=OuterRef("year"),
                                       classification__gt=int(user.max_classification))
    return Transfer.objects.filter(organization_id=user.organization_id).exclude(Exists(above)).select_related("created_by")


def batches_for(user) -> QuerySet[FilingBatch]:
    if not has_perm(user, "archives.file"):
        return FilingBatch.objects.none()
    # A batch's report names documents up to its starter's clearance: shown to people cleared at least as far.
    return FilingBatch.objects.filter(organization_id=user.organization_id, started_by__clearance__lte=user.clearance)
