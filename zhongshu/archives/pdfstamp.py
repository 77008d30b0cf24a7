"""PDF overlays for the archives: the 归档章 on the first page and the viewer watermark on every page.

A reportlab overlay page, merged onto the existing PDF with pypdf (the PDF may be one we rendered or a
scanned 收文). Fonts come from zhongshu.render.fonts, so every character has a glyph (per-character fallback).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from zhongshu.render.fonts import font_set

# 归档章 geometry. DA/T 22-2015 puts the stamp in the blank area at the top of the first page (居中或右上);
# the cell size (15 mm × 7 mm, two rows of three cells) and the offsets below follow common practice and are
# unconfirmed against the standard's figure — change them here if the local archives bureau asks otherwise.
STAMP_CELL_W = 15 * mm
STAMP_CELL_H = 7 * mm
STAMP_TOP = 8 * mm  # from the top edge of the page
STAMP_RIGHT = 26 * mm  # from the right edge (= the GB/T 9704 right margin)
STAMP_FONT_PT = 8


@dataclass(frozen=True)
class StampFields:
    fonds_code: str
    year: int
    retention: str  # printed form, e.g. "30年"
    item_number: int
    unit: str = ""  # 机构（问题）, optional
    pages: int | None = None  # 页数, optional


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _text(c: Canvas, x: float, y: float, text: str, size: float, *, centre_width: float | None = None) -> None:
    fs = font_set()
    width = sum(fs.width(ch, "song") * size for ch in text)
    if centre_width is not None:
        x += (centre_width - width) / 2
    t = c.beginText()
    t.setTextOrigin(x, y)
    for face, run in fs.runs(text, "song"):
        t.setFont(face.name, size)
        t.textOut(run)
    c.drawText(t)


def _overlay(width: float, height: float, draw) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def stamp_first_page(data: bytes, fields: StampFields) -> bytes:
    """Return `data` with the 归档章 drawn at the top right of page 1 (red, as an ink stamp would be)."""
    reader = PdfReader(io.BytesIO(data))
    first = reader.pages[0]
    w, h = float(first.mediabox.width), float(first.mediabox.height)
    cells = [
        [fields.fonds_code, str(fields.year), f"{fields.item_number:04d}"],
        [fields.unit, fields.retention, str(fields.pages) if fields.pages else ""],
    ]

    def draw(c: Canvas) -> None:
        x0 = w - STAMP_RIGHT - 3 * STAMP_CELL_W
        top = h - STAMP_TOP
        c.setStrokeColorRGB(0.8, 0, 0)
        c.setFillColorRGB(0.8, 0, 0)
        c.setLineWidth(0.8)
        for r in range(3):
            c.line(x0, top - r * STAMP_CELL_H, x0 + 3 * STAMP_CELL_W, top - r * STAMP_CELL_H)
        for k in range(4):
            c.line(x0 + k * STAMP_CELL_W, top, x0 + k * STAMP_CELL_W, top - 2 * STAMP_CELL_H)
        for r, row in enumerate(cells):
            for k, value in enumerate(row):
                base = top - (r + 1) * STAMP_CELL_H + (STAMP_CELL_H - STAMP_FONT_PT * 0.7) / 2
                _text(c, x0 + k * STAMP_CELL_W, base, value, STAMP_FONT_PT, centre_width=STAMP_CELL_W)

    overlay = PdfReader(io.BytesIO(_overlay(w, h, draw))).pages[0]
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(overlay)
    writer.add_metadata({"/Subject": f"归档章 {fields.fonds_code} {fields.year} {fields.item_number:04d}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def watermark(data: bytes, text: str) -> bytes:
    """Tile `text` (viewer name and time) diagonally over every page, as the 发文 PDFs do for classified copies."""
    reader = PdfReader(io.BytesIO(data))
    overlays: dict[tuple[float, float], object] = {}
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in overlays:
            pw, ph = size

            def draw(c: Canvas, pw: float = pw, ph: float = ph) -> None:
                c.setFillColorRGB(0.55, 0.55, 0.55)
                c.setFillAlpha(0.18)
                step_x, step_y = 230, 150
                for row in range(-1, int(ph / step_y) + 2):
                    for col in range(-1, int(pw / step_x) + 2):
                        c.saveState()
                        c.translate(col * step_x + (row % 2) * step_x / 2, row * step_y)
                        c.rotate(30)
                        _text(c, 0, 0, text, 18)
                        c.restoreState()

            overlays[size] = PdfReader(io.BytesIO(_overlay(pw, ph, draw))).pages[0]
        page.merge_page(overlays[size])  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
