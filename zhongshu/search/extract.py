"""Plain text out of attachments (PDF via pdfminer.six, DOCX via python-docx, TXT) for the index."""

from __future__ import annotations

import io
import logging

log = logging.getLogger(__name__)
MAX_CHARS = 100_000


def text_of(name: str, handle) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "pdf":
        from pdfminer.high_level import extract_text

        return extract_text(handle, maxpages=200)[:MAX_CHARS]
    if ext == "docx":
        import docx

        document = docx.Document(handle)
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)[:MAX_CHARS]
    if ext == "txt":
        return handle.read(MAX_CHARS * 4).decode("utf-8", "replace")[:MAX_CHARS]
    return ""


def attachments_text(obj) -> str:
    """The text of every PDF/DOCX/TXT attachment of `obj`; an unreadable file is logged and skipped."""
    from zhongshu.core.attachments import attachments_of

    texts = []
    for att in attachments_of(obj):
        try:
            with att.file.open("rb") as handle:
                texts.append(text_of(att.name, io.BytesIO(handle.read())))
        except Exception:  # a damaged or missing file must not stop indexing of the document itself
            log.warning("search: cannot extract text from attachment %s (%s)", att.pk, att.name, exc_info=True)
    return "\n".join(t for t in texts if t)
