"""What a response reveals, as text: HTML, JSON, plain text, Excel, DOCX, ZIP packages (recursively) and PDF."""

from __future__ import annotations

import io
import re
import zipfile

TAG = re.compile(rb"<[^>]+>")


def _zip_text(data: bytes, depth: int = 0) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist()[:500]:
            if info.file_size > 50_000_000:
                continue
            content = zf.read(info)
            name = info.filename.lower()
            parts.append(info.filename)
            parts.append(reveal_bytes(content, name, depth + 1))
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    try:
        return extract_text(io.BytesIO(data))
    except Exception as exc:  # an unreadable PDF reveals nothing readable; say so in the failure message
        return f"<PDF unreadable: {exc}>"


def reveal_bytes(data: bytes, name_or_type: str = "", depth: int = 0) -> str:
    kind = name_or_type.lower()
    if data[:4] == b"%PDF" or kind.endswith(".pdf") or "pdf" in kind:
        return _pdf_text(data) if data[:4] == b"%PDF" else data.decode("utf-8", "replace")
    if data[:2] == b"PK" and depth < 3:
        try:
            return _zip_text(data, depth)
        except zipfile.BadZipFile:
            pass
    if kind.endswith(".xml") or kind.endswith(".rels"):
        # Word splits text into runs: the tags go, the text joins up again.
        return TAG.sub(b"", data).decode("utf-8", "replace")
    return data.decode("utf-8", "replace")


def reveal(response) -> str:
    """The whole text a response gives its reader (streamed files included)."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    ctype = response.get("Content-Type", "")
    disposition = response.get("Content-Disposition", "")
    return reveal_bytes(data, f"{ctype} {disposition}")
