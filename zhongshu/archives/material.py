"""Producing the PDFs of an item: the renderer (GB/T 9704) for 发文 and registered 收文, pypdf/reportlab for the
归档章."""

from __future__ import annotations

from typing import Any

from .pdfstamp import StampFields, page_count, stamp_first_page

__all__ = ["StampFields", "incoming_pdf", "outgoing_docx", "outgoing_pdf", "page_count", "readable_pdf", "stamp_first_page"]


def outgoing_pdf(doc: Any) -> bytes:
    from zhongshu.outgoing.rendering import pdf_for

    return pdf_for(doc)  # no viewer: the archival original carries no watermark


def outgoing_docx(doc: Any) -> bytes:
    from zhongshu.outgoing.rendering import docx_for

    return docx_for(doc)


def incoming_pdf(doc: Any) -> bytes:
    from zhongshu.render import DOC_TYPES, Document, render_pdf

    if doc.outgoing_id:  # delivered on the platform: the sender's own document is the original
        from zhongshu.outgoing.rendering import to_render

        return render_pdf(to_render(doc.outgoing, copy_no=doc.copy_no))
    level = {2: "秘密", 3: "机密", 4: "绝密"}.get(doc.classification, "")
    return render_pdf(Document(
        doc_type=doc.doc_type if doc.doc_type in DOC_TYPES else "函", title=doc.title, classification=level, copy_no=doc.copy_no if level else "",
        issuer_marks=[doc.sender_name], doc_number=doc.doc_number, body=doc.body or "（纸质来文，正文见附件扫描件。）",
        issuer_signatures=[doc.sender_name], date=doc.received_on,
    ))


def readable_pdf(data: bytes) -> bool:
    try:
        return page_count(data) > 0
    except Exception:  # an unreadable PDF is kept as an attachment; the registered text is rendered instead
        return False
