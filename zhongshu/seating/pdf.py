"""Seating chart and 桌签 (tent cards) as PDF, drawn with reportlab and the renderer's font roles.

The chart is a room layout with the names in their seats, the title, and the viewpoint and rule stated
under the title (``Chart.statement``).  A4 or A3 landscape; a 会场 too deep for one page continues on the next
pages, a range of rows per page.  Tent cards: one A4 landscape page per person, folded along the dashed line
in the middle; the name in large type on both halves, the upper half turned 180° so that it reads upright
from the other side of the table.
"""
from __future__ import annotations

import io
import math

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from zhongshu.render.fonts import FontConfig, FontSet, font_set

from .model import KIND_LABELS, Chart, SeatingError

PAPERS = {"A4": landscape(A4), "A3": landscape(A3)}
MARGIN = 15 * mm
GREY = (0.45, 0.45, 0.45)
SEAT_FILL = (0.96, 0.96, 0.93)
MAIN_FILL = (1.0, 0.93, 0.85)


def _width(fs: FontSet, text: str, role: str, size: float) -> float:
    return sum(fs.width(ch, role) for ch in text) * size


def _text(c: Canvas, fs: FontSet, x: float, y: float, text: str, role: str, size: float,
          anchor: str = "c", color: tuple[float, float, float] = (0, 0, 0)) -> None:
    """Draw ``text`` with its baseline at y; ``anchor`` l/c/r.  Characters missing from the role's face fall
    back per character (FontSet.runs), as in the document renderer."""
    w = _width(fs, text, role, size)
    x0 = x - w / 2 if anchor == "c" else x - w if anchor == "r" else x
    t = c.beginText()
    t.setFillColorRGB(*color)
    t.setTextOrigin(x0, y)
    for face, run in fs.runs(text, role):
        t.setFont(face.name, size)
        t.textOut(run)
    c.drawText(t)


def _fit(fs: FontSet, text: str, role: str, max_w: float, max_size: float) -> float:
    em = sum(fs.width(ch, role) for ch in text) or 1.0
    return max(3.0, min(max_size, max_w / em))


def _seat(c: Canvas, fs: FontSet, cx: float, cy: float, w: float, h: float, name: str | None,
          tag: str = "", main: bool = False) -> None:
    """A seat box centred on (cx, cy) with the name and, above it, a small tag (位次/角色)."""
    c.setLineWidth(0.6)
    c.setStrokeColorRGB(*GREY)
    c.setFillColorRGB(*(MAIN_FILL if main else SEAT_FILL) if name else (1, 1, 1))
    c.rect(cx - w / 2, cy - h / 2, w, h, stroke=1, fill=1)
    if not name:
        return
    size = _fit(fs, name, "hei", w * 0.9, min(h * 0.5, 16))
    if tag:
        tsize = min(size * 0.6, h * 0.22, 8)
        _text(c, fs, cx, cy + h / 2 - tsize * 1.15, tag, "song", tsize, color=GREY)
        _text(c, fs, cx, cy - h / 2 + h * 0.2, name, "hei", min(size, h * 0.45))
    else:
        _text(c, fs, cx, cy - size * 0.35, name, "hei", size)


def _header(c: Canvas, fs: FontSet, chart: Chart, page_w: float, page_h: float) -> float:
    """Title and the viewpoint/rule statement; returns the y below them."""
    title = chart.title or f"{KIND_LABELS[chart.kind]}座次图"
    y = page_h - MARGIN - 20
    _text(c, fs, page_w / 2, y, title, "title", _fit(fs, title, "title", page_w - 2 * MARGIN, 22))
    y -= 22
    _text(c, fs, page_w / 2, y, chart.statement, "fang", _fit(fs, chart.statement, "fang", page_w - 2 * MARGIN, 12))
    y -= 10
    if chart.notes:
        for note in chart.notes:
            y -= 12
            _text(c, fs, page_w / 2, y, "注：" + note, "fang", _fit(fs, "注：" + note, "fang", page_w - 2 * MARGIN, 10),
                  color=(0.7, 0, 0))
    return y - 8


def _label(c: Canvas, fs: FontSet, x: float, y: float, text: str, size: float = 12) -> None:
    _text(c, fs, x, y, text, "kai", size, color=GREY)


def _tag(chart: Chart, name: str | None) -> str:
    if not name:
        return ""
    role = chart.roles.get(name, "")
    rank = chart.ranks.get(name)
    if chart.kind == "hall":
        return role
    return role or (f"{rank}" if rank else "")


def _rows_page(c: Canvas, fs: FontSet, chart: Chart, w: float, top: float) -> None:
    """Podium and photo.  Drawn as seen from the stated viewpoint: the audience (or the camera) at the bottom in
    the audience view, at the top in the seated view; the front row nearest to them."""
    rows = chart.rows
    n = max((len(r) for r in rows), default=1)
    avail_w = w - 2 * MARGIN
    cell_w = min(avail_w / n, 90.0)
    bottom = MARGIN + 30
    cell_h = min((top - bottom - 60) / max(len(rows), 1), cell_w * 0.6, 60.0)
    far = "观众席" if chart.kind == "podium" else "摄影位置"
    seated_view = chart.viewpoint == "podium"
    # y of row r (0 = front): the front row is next to the audience/camera side
    if seated_view:
        _label(c, fs, w / 2, top - 14, f"（{far}）")
        y0 = top - 40 - cell_h / 2

        def ry(r: int) -> float:
            return y0 - r * (cell_h + 8)
    else:
        _label(c, fs, w / 2, bottom - 12, f"（{far}）")
        y0 = bottom + 20 + cell_h / 2

        def ry(r: int) -> float:
            return y0 + r * (cell_h + 8)
    for r, row in enumerate(rows):
        x0 = w / 2 - len(row) * cell_w / 2
        for s, name in enumerate(row):
            _seat(c, fs, x0 + (s + 0.5) * cell_w, ry(r), cell_w - 4, cell_h, name, _tag(chart, name),
                  main=chart.ranks.get(name or "") == 1)
    if chart.kind == "podium":          # the front edge of the podium table
        front_y = ry(0) + (cell_h / 2 + 5) * (1 if seated_view else -1)
        c.setLineWidth(1.5)
        c.setStrokeColorRGB(0.2, 0.2, 0.2)
        c.line(w / 2 - n * cell_w / 2, front_y, w / 2 + n * cell_w / 2, front_y)


def _hall_pages(c: Canvas, fs: FontSet, chart: Chart, w: float, h: float) -> None:
    blocks = chart.blocks
    n_rows = max((len(b.rows) for b in blocks), default=0)
    widths = [len(b.rows[0]) if b.rows else 0 for b in blocks]
    cols = sum(widths) + max(len(blocks) - 1, 0)
    avail_w = w - 2 * MARGIN - 30
    cell_w = min(avail_w / max(cols, 1), 60.0)
    cell_h = max(14.0, min(cell_w * 0.55, 30.0))
    first = True
    start = 0
    while start < n_rows or first:
        if not first:
            c.showPage()
        top = _header(c, fs, chart, w, h)
        per_page = max(1, int((top - MARGIN - 50) // (cell_h + 3)))
        end = min(n_rows, start + per_page)
        if n_rows > per_page:
            _label(c, fs, w - MARGIN, top - 4, f"第{start + 1}–{end}排（共{n_rows}排）", 10)
        audience = chart.viewpoint == "audience"
        # audience view: the podium ahead (top of the page), front row first below it; seated view: the reverse
        bar_y = top - 18 if audience else MARGIN + 10
        c.setFillColorRGB(0.85, 0.85, 0.85)
        c.rect(w / 2 - 120, bar_y - 6, 240, 16, stroke=0, fill=1)
        _text(c, fs, w / 2, bar_y - 1, "主席台", "hei", 10)
        for i, r in enumerate(range(start, end)):
            y = (top - 40 - i * (cell_h + 3) - cell_h / 2) if audience else (MARGIN + 40 + i * (cell_h + 3) + cell_h / 2)
            _label(c, fs, MARGIN + 10, y - 3, f"{r + 1}", 7)
            x = w / 2 - cols * cell_w / 2
            for b in blocks:
                for name in b.rows[r]:
                    # each unit's first person carries the unit's name: the units' areas show on the chart
                    tag = chart.roles.get(name or "", "") if chart.ranks.get(name or "") == 1 else ""
                    _seat(c, fs, x + cell_w / 2, y, cell_w - 2, cell_h, name, tag)
                    x += cell_w
                x += cell_w                     # the aisle
        first = False
        start = end
        if start >= n_rows:
            break


def _banquet_page(c: Canvas, fs: FontSet, chart: Chart, w: float, top: float) -> None:
    tables = chart.tables
    n_rows = max(t.row for t in tables) + 1
    n_cols = max(t.col for t in tables) + 1
    bottom = MARGIN + 36
    cell_w = (w - 2 * MARGIN) / n_cols
    cell_h = (top - bottom) / n_rows
    size = len(tables[0].seats)
    r_seat = min(cell_w, cell_h) * 0.36
    box_w = min(2 * math.pi * r_seat / size * 0.95, 70.0, r_seat * 0.9)
    box_h = min(box_w * 0.55, 28.0)
    r_table = r_seat - max(box_w, box_h) * 0.75
    for t in tables:
        cx = MARGIN + (t.col + 0.5) * cell_w
        cy = top - (t.row + 0.5) * cell_h
        c.setLineWidth(1)
        c.setStrokeColorRGB(0.3, 0.3, 0.3)
        c.setFillColorRGB(*(MAIN_FILL if t.number == 1 else (1, 1, 1)))
        c.circle(cx, cy, r_table, stroke=1, fill=1)
        label = f"{t.number}号桌" + ("（主桌）" if t.number == 1 else "")
        _text(c, fs, cx, cy - 4, label, "hei", _fit(fs, label, "hei", r_table * 1.6, 12))
        for k, name in enumerate(t.seats):
            a = math.radians(90 - k * 360 / size)        # seat 0 at the top, then clockwise
            _seat(c, fs, cx + r_seat * math.cos(a), cy + r_seat * math.sin(a), box_w, box_h, name,
                  _tag(chart, name), main=k == 0)
    _door(c, fs, w)


def _door(c: Canvas, fs: FontSet, w: float) -> None:
    c.setLineWidth(3)
    c.setStrokeColorRGB(0.3, 0.3, 0.3)
    c.line(w / 2 - 30, MARGIN + 8, w / 2 + 30, MARGIN + 8)
    _label(c, fs, w / 2, MARGIN + 14, "门（入口）", 11)


def _talks_page(c: Canvas, fs: FontSet, chart: Chart, w: float, top: float) -> None:
    """Plan view, door at the bottom.  Across: the guests on the far side facing the door (their seated left to
    right is the plan's right to left), the hosts with their backs to the door.  End on: the guests on the right
    as one walks in (their left to right runs bottom to top), the hosts on the left (top to bottom)."""
    n = len(chart.guests)
    bottom = MARGIN + 40
    if chart.table == "across":
        cell_w = min((w - 2 * MARGIN) / n, 90.0)
        cell_h = min(cell_w * 0.6, 50.0)
        mid = (top + bottom) / 2
        c.setFillColorRGB(0.93, 0.9, 0.85)
        c.rect(w / 2 - n * cell_w / 2, mid - 30, n * cell_w, 60, stroke=1, fill=1)
        for i, name in enumerate(reversed(chart.guests)):
            _seat(c, fs, w / 2 - n * cell_w / 2 + (i + 0.5) * cell_w, mid + 30 + cell_h / 2 + 6, cell_w - 4, cell_h,
                  name, _tag(chart, name), main=chart.ranks.get(name or "") == 1)
        for i, name in enumerate(chart.hosts):
            _seat(c, fs, w / 2 - n * cell_w / 2 + (i + 0.5) * cell_w, mid - 30 - cell_h / 2 - 6, cell_w - 4, cell_h,
                  name, _tag(chart, name), main=chart.ranks.get(name or "") == 1)
        _label(c, fs, w / 2, mid + 30 + cell_h + 16, "客方（面门）", 11)
        _label(c, fs, w / 2, mid - 30 - cell_h - 22, "主方（背门）", 11)
    else:
        cell_h = min((top - bottom) / n, 50.0)
        cell_w = min(cell_h * 1.8, 90.0)
        mid_y = (top + bottom) / 2
        c.setFillColorRGB(0.93, 0.9, 0.85)
        c.rect(w / 2 - 40, mid_y - n * cell_h / 2, 80, n * cell_h, stroke=1, fill=1)
        for i, name in enumerate(chart.guests):          # bottom to top on the right
            _seat(c, fs, w / 2 + 40 + cell_w / 2 + 6, mid_y - n * cell_h / 2 + (i + 0.5) * cell_h, cell_w, cell_h - 4,
                  name, _tag(chart, name), main=chart.ranks.get(name or "") == 1)
        for i, name in enumerate(chart.hosts):           # top to bottom on the left
            _seat(c, fs, w / 2 - 40 - cell_w / 2 - 6, mid_y + n * cell_h / 2 - (i + 0.5) * cell_h, cell_w, cell_h - 4,
                  name, _tag(chart, name), main=chart.ranks.get(name or "") == 1)
        _label(c, fs, w / 2 + 40 + cell_w + 30, mid_y, "客方", 11)
        _label(c, fs, w / 2 - 40 - cell_w - 30, mid_y, "主方", 11)
    _door(c, fs, w)


def chart_pdf(chart: Chart, *, paper: str | None = None, fonts: FontConfig | None = None) -> bytes:
    """The seating chart as PDF bytes; ``paper`` "A4" or "A3" (landscape; default A4, A3 for big halls)."""
    if paper is None:
        big = chart.kind == "hall" and (sum(len(b.rows[0]) for b in chart.blocks if b.rows) > 24)
        paper = "A3" if big else "A4"
    if paper not in PAPERS:
        raise SeatingError("paper 应为 A4 或 A3", "paper")
    fs = font_set(fonts)
    w, h = PAPERS[paper]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), invariant=1, pageCompression=1)
    title = chart.title or f"{KIND_LABELS[chart.kind]}座次图"
    c.setTitle(title)
    c.setSubject(chart.statement)
    c.setCreator("Zhongshu seating")
    if chart.kind == "hall":
        _hall_pages(c, fs, chart, w, h)
    else:
        top = _header(c, fs, chart, w, h)
        {"podium": _rows_page, "photo": _rows_page, "banquet": _banquet_page, "talks": _talks_page}[chart.kind](
            c, fs, chart, w, top)
    c.showPage()
    c.save()
    return buf.getvalue()


def tent_cards_pdf(names: list[str], *, role: str = "title", fonts: FontConfig | None = None) -> bytes:
    """桌签: one A4 landscape page per name; fold along the dashed middle line to stand the card on the table.
    The name is upright on both faces: the lower half as printed, the upper half turned 180°."""
    if not names:
        raise SeatingError("没有需要制作桌签的人员", "people")
    fs = font_set(fonts)
    w, h = landscape(A4)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), invariant=1, pageCompression=1)
    c.setTitle("桌签")
    c.setCreator("Zhongshu seating")
    half = h / 2
    for name in names:
        size = _fit(fs, name, role, w - 50 * mm, half * 0.55)
        face = fs.face(role)
        # baseline so that the glyphs' box is centred in the half
        base = half / 2 - size * (face.ascent - (face.ascent + face.descent) / 2)
        _text(c, fs, w / 2, base, name, role, size)
        c.saveState()
        c.translate(w, h)              # the upper half, turned 180° about the page centre
        c.rotate(180)
        _text(c, fs, w / 2, base, name, role, size)
        c.restoreState()
        c.setDash(6, 4)
        c.setLineWidth(0.5)
        c.setStrokeColorRGB(*GREY)
        c.line(10 * mm, half, w - 10 * mm, half)
        c.setDash()
        _text(c, fs, w - 10 * mm, half + 3, "沿此线对折", "song", 7, anchor="r", color=GREY)
        c.showPage()
    c.save()
    return buf.getvalue()
