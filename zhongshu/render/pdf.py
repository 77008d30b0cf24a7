"""PDF output with reportlab: the project draws every page itself (no office suite)."""
from __future__ import annotations

import io
import math
import os

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from . import geometry as g
from .fonts import FontConfig, FontSet, font_set
from .layout import Layout, Page, RuleOp, SealOp, TextOp
from .model import Document, RenderError

PAGE_NUMBER_GAP = 7 * g.MM      # dash line 7 mm below the type area (conf)


def render_pdf(doc: Document, *, fonts: FontConfig | None = None, watermark: str | None = None,
               geometry: g.Geometry = g.DEFAULT_GEOMETRY, seal_placeholder: bool = True) -> bytes:
    """Lay out ``doc`` per GB/T 9704-2012 and return the PDF bytes.

    ``watermark`` (e.g. "张三 2026-11-25 10:30") is tiled diagonally over every page; use it for
    classified documents shown to a named viewer. ``seal_placeholder=False``: a sealed document without a
    ``seal_image`` prints nothing where the seal goes (the seal is applied on paper) instead of a dashed
    placeholder.
    """
    return render_pdf_pages(doc, fonts=fonts, watermark=watermark, geometry=geometry, seal_placeholder=seal_placeholder)[0]


def render_pdf_pages(doc: Document, *, fonts: FontConfig | None = None, watermark: str | None = None,
                     geometry: g.Geometry = g.DEFAULT_GEOMETRY, seal_placeholder: bool = True) -> tuple[bytes, list[str]]:
    """render_pdf, and the kind of every page (body, attachment — the first page of each attachment, in order —,
    blank, colophon…), so a caller can put material after an attachment's heading page."""
    fs = font_set(fonts)
    pages = Layout(doc, fs, geometry).build()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), invariant=1, pageCompression=1,
               initialFontName=fs.face("fang").name, initialFontSize=g.BODY_PT)
    c.setTitle(doc.title or doc.issuer_mark)
    c.setAuthor(doc.issuer_mark)
    c.setSubject(doc.doc_number)
    c.setCreator("Zhongshu render (GB/T 9704-2012)")
    for page in pages:
        _draw_page(c, page, fs, seal_placeholder)
        if watermark:
            _watermark(c, watermark, fs)
        c.showPage()
    c.save()
    return buf.getvalue(), [p.kind for p in pages]


def _y(y: float) -> float:
    return g.PAGE_H - y


def _draw_page(c: Canvas, page: Page, fs: FontSet, seal_placeholder: bool = True) -> None:
    for op in page.ops:
        if isinstance(op, SealOp) and (op.image or seal_placeholder):
            _seal(c, op, fs)
    for op in page.ops:
        if isinstance(op, TextOp):
            _text(c, op, fs)
        elif isinstance(op, RuleOp):
            c.setStrokeColorRGB(*op.color)
            c.setLineWidth(op.width)
            c.line(op.x1, _y(op.y), op.x2, _y(op.y))
    if page.number is not None:
        _page_number(c, page.number, fs)


def _text(c: Canvas, op: TextOp, fs: FontSet) -> None:
    """Draw ``op`` with every character at its own x (explicit positions, no reliance on Tc).

    Character spacing (Tc) is not applied after the last glyph of a string by every reader, and
    reportlab splits big fonts into 256-glyph subsets, so each character is positioned
    explicitly: the right edge measures the same in every viewer and extractor.
    """
    t = c.beginText()
    t.setHorizScale(op.hscale * 100)     # Tz persists across text objects: always set it
    t.setFillColorRGB(*op.color)
    xs = op.xs
    if xs is None:
        xs, x = [], op.x
        for ch in op.text:
            xs.append(x)
            x += (fs.width(ch, op.role) * op.size + op.char_space) * op.hscale
    y = _y(op.y)
    k = 0
    for face, run in fs.runs(op.text, op.role):
        t.setFont(face.name, op.size)
        for ch in run:
            t.setTextOrigin(xs[k], y)
            t.textOut(ch)
            k += 1
    c.drawText(t)


def _page_number(c: Canvas, n: int, fs: FontSet) -> None:
    """“— n —” in 4号 宋体, odd pages right and even pages left, one character in."""
    size = g.SMALL_PT
    text = f"— {n} —"
    face = fs.face("song")
    w = sum(fs.width(ch, "song") * size for ch in text)
    x = g.RIGHT - size - w if n % 2 else g.LEFT + size
    mid = g.BOTTOM + PAGE_NUMBER_GAP
    base = mid + size * (face.ascent - (face.ascent + face.descent) / 2)
    _text(c, TextOp(x, base, text, "song", size), fs)


def _seal(c: Canvas, op: SealOp, fs: FontSet) -> None:
    if op.image:
        if not os.path.exists(op.image):
            raise RenderError(f"印章图片不存在：{op.image}", "seal_image")
        try:
            img = ImageReader(op.image)
        except Exception as e:
            raise RenderError(f"无法读取印章图片 {op.image}：{e}", "seal_image")
        w = op.w or op.diameter
        h = op.h or op.diameter
        c.drawImage(img, op.cx - w / 2, _y(op.cy) - h / 2, width=w, height=h, mask="auto",
                    preserveAspectRatio=True, anchor="c")
        return
    c.saveState()
    c.setStrokeColorRGB(*g.RED)
    c.setFillColorRGB(*g.RED)
    cx, cy = op.cx, _y(op.cy)
    if op.kind == "name":
        c.setLineWidth(1.2)
        c.setDash(4, 2)
        c.rect(cx - op.w / 2, cy - op.h / 2, op.w, op.h)
        _text(c, TextOp(cx - len(op.name) * g.BODY_PT / 2, op.cy + g.BODY_PT * 0.35, op.name, "kai", g.BODY_PT,
                        color=g.RED), fs)
        c.restoreState()
        return
    r = op.diameter / 2
    c.setLineWidth(r * 0.05)
    c.setDash(6, 3)                  # dashed: visibly a placeholder, not a real seal
    c.circle(cx, cy, r - r * 0.025)
    c.setDash()
    # five-pointed star in the centre
    star = r * 0.3
    p = c.beginPath()
    for k in range(10):
        rad = star if k % 2 == 0 else star * 0.382
        a = math.pi / 2 + k * math.pi / 5
        x, y = cx + rad * math.cos(a), cy + rad * math.sin(a)
        p.moveTo(x, y) if k == 0 else p.lineTo(x, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    # the organ's name along the upper arc
    name = op.name[:18]
    size = min(r * 0.28, r * 3.6 / max(len(name), 1))
    span = min(math.radians(240), len(name) * size * 1.1 / (r * 0.72))
    for k, ch in enumerate(name):
        a = math.pi / 2 + span / 2 - (span * (k + 0.5) / len(name))
        x, y = cx + r * 0.72 * math.cos(a), cy + r * 0.72 * math.sin(a)
        c.saveState()
        c.translate(x, y)
        c.rotate(math.degrees(a) - 90)
        face = fs.runs(ch, "hei")[0][0]
        c.setFont(face.name, size)
        c.drawCentredString(0, -size * 0.35, fs.runs(ch, "hei")[0][1])
        c.restoreState()
    label = "印章位置"
    face = fs.face("hei")
    c.setFont(face.name, r * 0.16)
    c.drawCentredString(cx, cy - r * 0.55, label)
    c.restoreState()


def _watermark(c: Canvas, text: str, fs: FontSet) -> None:
    c.saveState()
    c.setFillColorRGB(0.55, 0.55, 0.55)
    c.setFillAlpha(0.18)
    size = 18
    step_x, step_y = 230, 150
    runs = fs.runs(text, "hei")
    for row in range(-1, int(g.PAGE_H / step_y) + 2):
        for col in range(-1, int(g.PAGE_W / step_x) + 2):
            c.saveState()
            c.translate(col * step_x + (row % 2) * step_x / 2, row * step_y)
            c.rotate(30)
            t = c.beginText(0, 0)
            for face, run in runs:
                t.setFont(face.name, size)
                t.textOut(run)
            c.drawText(t)
            c.restoreState()
    c.restoreState()
