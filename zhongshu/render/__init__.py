"""公文排版 — GB/T 9704-2012 layout of Chinese official documents to PDF and DOCX.

Pure Python (no Django).  Public API::

    from zhongshu.render import Document, render_pdf, render_docx, load_json, RenderError, FontConfig

See docs/render-input.md for the input keys and the font set-up.
"""
from .docx_writer import render_docx
from .fonts import FontConfig
from .geometry import Geometry
from .model import DOC_TYPES, FORMATS, Attachment, Document, RenderError
from .pdf import render_pdf


def load_json(path_or_text) -> Document:
    """Read INPUT.json (a path, or the JSON text itself) into a validated Document."""
    import json
    from pathlib import Path

    text = path_or_text
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and not path_or_text.lstrip().startswith("{")):
        try:
            text = Path(path_or_text).read_text(encoding="utf-8-sig")
        except OSError as e:
            raise RenderError(f"无法读取输入文件：{e}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RenderError(f"输入不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 列：{e.msg}")
    return Document.from_dict(data)


__all__ = ["Document", "Attachment", "render_pdf", "render_docx", "load_json", "RenderError", "FontConfig",
           "Geometry", "DOC_TYPES", "FORMATS"]
