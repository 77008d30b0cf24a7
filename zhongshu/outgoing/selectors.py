"""发文 reads, all through OutgoingDocument.objects.restrict()."""

from __future__ import annotations

import difflib

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhongshu.access.permissions import has_perm
from zhongshu.core.errors import NotFound

from .models import NumberRecord, OutgoingDocument


def documents_for(user, action: str = "view") -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.restrict(user, action).select_related("drafter", "drafting_department")


def document_get(user, pk) -> OutgoingDocument:
    try:
        return documents_for(user).get(pk=int(pk))
    except (OutgoingDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def register_for(user) -> QuerySet[NumberRecord]:
    """发文登记簿 of the user's organization; numbers of documents above the user's clearance show no title."""
    if not has_perm(user, "outgoing.register") and not has_perm(user, "outgoing.export"):
        return NumberRecord.objects.none()
    return NumberRecord.objects.filter(organization_id=user.organization_id).select_related("document", "created_by")


def version_diff(old: str, new: str) -> SafeString:
    """Character-level diff of two texts as HTML with <del>/<ins>, escaped."""
    out: list[str] = []
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            out.append(escape(old[a1:a2]))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(old[a1:a2])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)
