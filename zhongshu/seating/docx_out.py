"""The seating chart as DOCX (python-docx): title, the viewpoint/rule statement, the seats as tables.

Rows are laid out as on the PDF chart: podium and photo with the back row on top and the front row at the bottom
(audience view) or the reverse (seated view); a 会场 as one wide table with empty aisle columns; a banquet as
a plan of the tables plus one list per table (seats clockwise from the 主陪); talks as the two sides of the table.
"""
from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhongshu.render.fonts import DOCX_NAMES

from .model import KIND_LABELS, Chart


def _fonts(run, role: str, size: float) -> None:
    name = DOCX_NAMES[role]
    run.font.name = name
    run.font.size = Pt(size)
    rpr = run._r.get_or_add_rPr()
    el = rpr.find(qn("w:rFonts"))
    if el is None:
        el = OxmlElement("w:rFonts")
        rpr.insert(0, el)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        el.set(qn(attr), name)


def _para(d, text: str, role: str, size: float, center: bool = True) -> None:
    p = d.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run(text), role, size)


def _cell(cell, text: str, size: float = 12, tag: str = "") -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if tag:
        _fonts(p.add_run(tag + "\n"), "song", max(size * 0.6, 6))
    p.add_run(text).font.size = Pt(size)        # 黑体 from the Normal style (set once: a 会场 has hundreds)


def _grid(d, rows: list[list[str | None]], chart: Chart, size: float = 12):
    n = max((len(r) for r in rows), default=1)
    t = d.add_table(rows=len(rows), cols=n)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, trow in zip(rows, t.rows, strict=True):
        cells = trow.cells                      # once per row: python-docx's t.cell(i, j) is linear each time
        pad = (n - len(row)) // 2               # shorter rows centred, as on the chart
        for j, name in enumerate(row):
            if not name:
                continue
            tag = chart.roles.get(name, "") if chart.kind != "hall" else ""
            if not tag and chart.kind in ("podium", "photo"):
                tag = str(chart.ranks.get(name, ""))
            _cell(cells[j + pad], name, size, tag)
    return t


def chart_docx(chart: Chart, *, paper: str = "A4") -> bytes:
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = DOCX_NAMES["hei"]
    rpr = normal.element.get_or_add_rPr()
    el = rpr.find(qn("w:rFonts"))
    if el is None:
        el = OxmlElement("w:rFonts")
        rpr.insert(0, el)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        el.set(qn(attr), DOCX_NAMES["hei"])
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = (Mm(420), Mm(297)) if paper == "A3" else (Mm(297), Mm(210))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(15))
    _para(d, chart.title or f"{KIND_LABELS[chart.kind]}座次图", "title", 22)
    _para(d, chart.statement, "fang", 12)
    for note in chart.notes:
        _para(d, "注：" + note, "fang", 10)
    if chart.kind in ("podium", "photo"):
        far = "观众席" if chart.kind == "podium" else "摄影位置"
        seated = chart.viewpoint == "podium"
        if seated:
            _para(d, f"（{far}）", "kai", 12)
        _grid(d, list(chart.rows) if seated else list(reversed(chart.rows)), chart)
        if not seated:
            _para(d, f"（{far}）", "kai", 12)
    elif chart.kind == "hall":
        audience = chart.viewpoint == "audience"
        if audience:
            _para(d, "主席台", "hei", 12)
        n_rows = max(len(b.rows) for b in chart.blocks)
        rows: list[list[str | None]] = []
        for r in range(n_rows):
            line: list[str | None] = []
            for k, b in enumerate(chart.blocks):
                if k:
                    line.append(None)            # the aisle
                line.extend(b.rows[r])
            rows.append(line)
        _grid(d, rows if audience else rows[::-1], chart, size=8)
        if not audience:
            _para(d, "主席台", "hei", 12)
    elif chart.kind == "banquet":
        n_rows = max(t.row for t in chart.tables) + 1
        n_cols = max(t.col for t in chart.tables) + 1
        plan: list[list[str | None]] = [[None] * n_cols for _ in range(n_rows)]
        for t in chart.tables:
            plan[t.row][t.col] = f"{t.number}号桌" + ("（主桌）" if t.number == 1 else "")
        _para(d, "桌次平面（门在下方）", "hei", 12)
        _grid(d, plan, chart)
        _para(d, "门（入口）", "kai", 12)
        for t in chart.tables:
            _para(d, f"{t.number}号桌（自主陪位起顺时针）", "hei", 12, center=False)
            tab = d.add_table(rows=len(t.seats) + 1, cols=3)
            tab.style = "Table Grid"
            for j, head in enumerate(("座位", "姓名", "身份")):
                _cell(tab.cell(0, j), head, 11)
            for k, name in enumerate(t.seats, 1):
                _cell(tab.cell(k, 0), str(k), 11)
                _cell(tab.cell(k, 1), name or "", 11)
                _cell(tab.cell(k, 2), chart.roles.get(name or "", ""), 11)
    else:
        # plan view: the guests' seated left-to-right is the plan's right-to-left when they face the door
        across = chart.table == "across"
        _para(d, "客方（面门）" if across else "客方（进门右侧，自门一端起）", "kai", 12)
        _grid(d, [list(reversed(chart.guests)) if across else list(chart.guests)], chart)
        _para(d, "会谈桌", "hei", 12)
        _grid(d, [list(chart.hosts) if across else list(reversed(chart.hosts))], chart)
        _para(d, "主方（背门）" if across else "主方（进门左侧，自门一端起）", "kai", 12)
        _para(d, "门（入口）", "kai", 12)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
