"""归档文件目录 (catalogue): the rows, the Excel sheet and the A4 PDF bound with its cover (DA/T 22-2015)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from zhongshu.core.excel import build_workbook
from zhongshu.render.fonts import font_set

from .models import ArchiveItem, Retention

HEADERS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
# Column widths of the PDF table in mm (landscape A4, 297 − 2 × 15 mm margins).
WIDTHS_MM = (10, 49, 34, 30, 75, 18, 12, 10, 29)


def rows(items: Iterable[ArchiveItem]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for n, it in enumerate(items, start=1):
        out.append([n, it.archival_code, it.doc_number, it.responsible, it.title, it.date.strftime("%Y%m%d"),
                    it.get_classification_display(), it.pages, it.note])
    return out


def xlsx(items: Iterable[ArchiveItem], title: str = "归档文件目录") -> bytes:
    return build_workbook([(title, HEADERS, rows(items))])


def csv_text(items: Iterable[ArchiveItem]) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(rows(items))
    return buf.getvalue()


def _draw(c: Canvas, x: float, y: float, text: str, size: float, role: str = "song") -> None:
    fs = font_set()
    t = c.beginText()
    t.setTextOrigin(x, y)
    for face, run in fs.runs(text, role):
        t.setFont(face.name, size)
        t.textOut(run)
    c.drawText(t)


def _width(text: str, size: float, role: str = "song") -> float:
    fs = font_set()
    return sum(fs.width(ch, role) * size for ch in text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if _width(cur + ch, size) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return [*lines, cur] if cur or not lines else lines


def pdf(items: Sequence[ArchiveItem], *, fonds_name: str, year: int | str, retention: str = "", unit: str = "") -> bytes:
    """The catalogue as a PDF: a portrait cover (全宗名称, 年度, 保管期限, 机构), then landscape table pages."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(f"归档文件目录 {fonds_name} {year}")
    w, h = A4
    title = "归档文件目录"
    _draw(c, (w - _width(title, 30, "hei")) / 2, h - 90 * mm, title, 30, "hei")
    label = str(Retention(retention).label) if retention in Retention.values else "全部"
    for i, (k, v) in enumerate((("全宗名称", fonds_name), ("年    度", str(year)), ("保管期限", label), ("机    构", unit or "全部"))):
        y = h - 150 * mm - i * 16 * mm
        _draw(c, 45 * mm, y, f"{k}：", 16, "hei")
        _draw(c, 80 * mm, y, v, 16)
        c.line(80 * mm, y - 2 * mm, w - 45 * mm, y - 2 * mm)
    c.showPage()

    lw, lh = landscape(A4)
    size = 9
    line_h = 4.6 * mm
    widths = [x * mm for x in WIDTHS_MM]
    widths[-1] = lw - 30 * mm - sum(widths[:-1])
    data = rows(items)

    def header() -> float:
        c.setPageSize((lw, lh))
        _draw(c, (lw - _width(title, 18, "hei")) / 2, lh - 16 * mm, title, 18, "hei")
        top = lh - 24 * mm
        x = 15 * mm
        c.rect(15 * mm, top - 8 * mm, sum(widths), 8 * mm)
        for wd, head in zip(widths, HEADERS, strict=True):
            _draw(c, x + (wd - _width(head, 10, "hei")) / 2, top - 5.5 * mm, head, 10, "hei")
            x += wd
        return top - 8 * mm

    y = header()
    page = 1
    for row in data:
        cells = [_wrap(str(v), wd - 2 * mm, size) for v, wd in zip(row, widths, strict=True)]
        height = max(len(cl) for cl in cells) * line_h + 2 * mm
        if y - height < 18 * mm:
            _draw(c, lw / 2 - 10 * mm, 10 * mm, f"第 {page} 页", 9)
            c.showPage()
            page += 1
            y = header()
        x = 15 * mm
        for wd, lines in zip(widths, cells, strict=True):
            c.rect(x, y - height, wd, height)
            for j, ln in enumerate(lines):
                _draw(c, x + 1 * mm, y - 1 * mm - (j + 1) * line_h + 1.2 * mm, ln, size)
            x += wd
        y -= height
    _draw(c, lw / 2 - 10 * mm, 10 * mm, f"第 {page} 页", 9)
    c.showPage()
    c.save()
    return buf.getvalue()


REGISTER_HEADERS = ("序号", "档号", "题名", "年度", "保管期限", "密级", "页数")
REGISTER_WIDTHS_MM = (12, 52, 110, 16, 20, 16, 14)


def destruction_pdf(destruction: Any, lines: Sequence[Any], *, organization: str) -> bytes:
    """档案销毁清册 as a landscape A4 PDF: the lines, then the approval and the two supervisors' signatures."""
    buf = io.BytesIO()
    lw, lh = landscape(A4)
    c = Canvas(buf, pagesize=(lw, lh), invariant=1)
    title = f"{organization}档案销毁清册"
    size, line_h = 9, 4.6 * mm
    widths = [x * mm for x in REGISTER_WIDTHS_MM]

    def header() -> float:
        _draw(c, (lw - _width(title, 18, "hei")) / 2, lh - 16 * mm, title, 18, "hei")
        _draw(c, 15 * mm, lh - 24 * mm, f"{destruction}    销毁理由：{destruction.reason}", 10)
        top = lh - 28 * mm
        c.rect(15 * mm, top - 8 * mm, sum(widths), 8 * mm)
        x = 15 * mm
        for wd, head in zip(widths, REGISTER_HEADERS, strict=True):
            _draw(c, x + (wd - _width(head, 10, "hei")) / 2, top - 5.5 * mm, head, 10, "hei")
            x += wd
        return top - 8 * mm

    y = header()
    for ln in lines:
        row = [ln.order, ln.archival_code, ln.title, ln.year, ln.retention, ln.get_classification_display(), ln.pages]
        cells = [_wrap(str(v), wd - 2 * mm, size) for v, wd in zip(row, widths, strict=True)]
        height = max(len(cl) for cl in cells) * line_h + 2 * mm
        if y - height < 40 * mm:
            c.showPage()
            y = header()
        x = 15 * mm
        for wd, cell_lines in zip(widths, cells, strict=True):
            c.rect(x, y - height, wd, height)
            for j, text in enumerate(cell_lines):
                _draw(c, x + 1 * mm, y - 1 * mm - (j + 1) * line_h + 1.2 * mm, text, size)
            x += wd
        y -= height

    def who(user: Any, when: Any) -> str:
        from django.utils import timezone

        return f"{user.display_name}  {timezone.localtime(when):%Y-%m-%d}" if user and when else ""

    signs = [("批准人（机关负责人）", who(destruction.approved_by, destruction.approved_at)),
             ("监销人", who(destruction.supervisor1, destruction.executed_at)),
             ("监销人", who(destruction.supervisor2, destruction.executed_at)),
             ("销毁执行人", who(destruction.executed_by, destruction.executed_at))]
    for k, (label, value) in enumerate(signs):
        x = 15 * mm + k * 66 * mm
        _draw(c, x, 22 * mm, f"{label}：", 10, "hei")
        _draw(c, x, 15 * mm, value, 10)
        c.line(x, 13.5 * mm, x + 60 * mm, 13.5 * mm)
    c.showPage()
    c.save()
    return buf.getvalue()
