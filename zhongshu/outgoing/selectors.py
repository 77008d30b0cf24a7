"""发文 reads, all through OutgoingDocument.objects.restrict()."""

from __future__ import annotations

import difflib

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhongshu.core.errors import NotFound

from .models import NumberRecord, OutgoingDocument
from .policy import OutgoingPolicy


def documents_for(user, action: str = "view") -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.restrict(user, action).select_related("drafter", "drafting_department")


def document_get(user, pk) -> OutgoingDocument:
    try:
        return documents_for(user).get(pk=int(pk))
    except (OutgoingDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def register_for(user) -> QuerySet[NumberRecord]:
    """发文登记簿 of the user's organization. Every record's 文号 is shown to whoever may read the register; each
    row carries `doc_readable` (the document passes restrict() for this user, in the same query), and the rows of
    documents the user may not read show only the 文号 and the redacted line (`register_title`)."""
    if "register" not in OutgoingPolicy.register_actions(user):
        return NumberRecord.objects.none()
    readable = OutgoingDocument.objects.restrict(user).filter(pk=OuterRef("document_id"))
    return (NumberRecord.objects.filter(organization_id=user.organization_id).select_related("document", "created_by")
            .annotate(doc_readable=Exists(readable)))


def register_title(rec: NumberRecord) -> str:
    """The title column of one register row (from register_for): the title, or the redacted line."""
    if rec.document is None:
        return ""
    return rec.document.title if rec.doc_readable else OutgoingPolicy.redacted(rec.document)  # type: ignore[attr-defined]


def register_document(rec: NumberRecord) -> OutgoingDocument | None:
    """The row's document when the reader may see its particulars (文种, 密级, 日期, 份数), else None."""
    return rec.document if rec.document is not None and rec.doc_readable else None  # type: ignore[attr-defined]


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
