"""Plain text out of attachments (PDF via pdfminer.six, DOCX via python-docx, TXT) for the index."""

from __future__ import annotations

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

        from zhongshu.core.containers import check_container

        check_container(handle, "docx", name=name)  # bomb/entries/ratio/nesting from the central directory
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

    from .extract_worker import ExtractionFailed, extract

    texts = []
    for att in attachments_of(obj):
        ext = att.name.rsplit(".", 1)[-1].lower() if "." in att.name else ""
        if ext not in ("pdf", "docx", "txt"):
            continue
        try:
            with att.file.open("rb") as handle:
                data = handle.read()
            # In a child process with EXTRACT_MEMORY_MB / EXTRACT_TIMEOUT_SECONDS: a hostile file costs at most that.
            texts.append(extract(att.name, data))
        except ExtractionFailed as e:
            log.warning("search: attachment %s (%s) indexed without its text: %s", att.pk, att.name, e)
        except Exception:  # a damaged or missing file must not stop indexing of the document itself
            log.warning("search: cannot extract text from attachment %s (%s)", att.pk, att.name, exc_info=True)
    return "\n".join(t for t in texts if t)
