"""Excel (xlsx) export and reading, shared by every list and import."""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .text import clean

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str | int | float | bool | datetime.date | datetime.datetime | decimal.Decimal):
        value = str(value)  # lazy translations, model instances, choices labels
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        value = clean(value)  # openpyxl refuses control characters (IllegalCharacterError)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # no formula injection from user text
    return value


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=clean(title)[:31])
        ws.append([_cell(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EEF7")
            cell.alignment = Alignment(horizontal="center")
        widths = [max(6, len(str(h)) * 2 + 2) for h in headers]
        for row in rows:
            values = [_cell(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values):
                widths[i] = min(60, max(widths[i], len(str(v)) * 2 if v is not None else 0))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    resp = HttpResponse(build_workbook(sheets), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def read_sheet(data: bytes, sheet: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]] | None:
    """Rows of one sheet as (excel row number, {header: value}); None when the sheet is missing. A hostile workbook
    (zip bomb, too many entries, lying headers) is refused by core.containers before openpyxl unpacks it."""
    from .containers import check_bytes

    check_bytes(data, "xlsx", name="Excel 文件")
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    rows = ws.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        return [], []
    out = []
    for n, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append((n, {h: (row[i] if i < len(row) else None) for i, h in enumerate(header) if h}))
    return header, out
