"""Page layout of a 公文 on the GB/T 9704 grid: a list of pages of drawing operations.

Coordinates are points from the top-left corner of the page.  The body flows on the 22-line
grid of the type area; the page-1 header (版头) is placed by absolute distances.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import geometry as g
from .fonts import FontSet
from .model import Document, format_date
from .text import CLOSING, OPENING, paragraph_runs, set_lines, title_lines

Color = tuple[float, float, float]
BLACK: Color = (0.0, 0.0, 0.0)
MIN_SQUEEZE = 0.8      # tightest line pitch, as a fraction of the grid's, when a closing block is squeezed


@dataclass
class TextOp:
    x: float
    y: float             # baseline
    text: str
    role: str
    size: float
    char_space: float = 0.0
    color: Color = BLACK
    hscale: float = 1.0
    xs: list[float] | None = None    # each character's x (else x + advances + char_space)


@dataclass
class RuleOp:
    x1: float
    x2: float
    y: float
    width: float
    color: Color = BLACK


@dataclass
class SealOp:
    cx: float
    cy: float
    diameter: float
    name: str
    image: str = ""
    kind: str = "round"    # round | name (签名章)
    w: float = 0.0
    h: float = 0.0


@dataclass
class Page:
    ops: list = field(default_factory=list)
    number: int | None = None
    kind: str = "body"     # body | attachment | blank
    rows: list = field(default_factory=list)    # (grid line, Row) of the flowing content placed here
    colophon: bool = False


@dataclass
class Row:
    """One grid line of flowing content (``ops`` with y = 0 relative to the baseline)."""

    ops: list = field(default_factory=list)
    keep: int = 0          # rows sharing a non-zero keep id stay on one page
    blank: bool = False
    seal: SealOp | None = None   # cy relative to the row's line top
    body: bool = False           # a line of 正文 (may move to the next page with the signature)
    part: str = ""               # body | annex (附件说明) | minutes | sign (署名/日期/印章) | note (附注)


class Layout:
    def __init__(self, doc: Document, fonts: FontSet, geom: g.Geometry = g.DEFAULT_GEOMETRY) -> None:
        self.doc, self.fs, self.geo = doc, fonts, geom
        self.pages: list[Page] = [Page()]

    # measuring ---------------------------------------------------------------------------
    def width(self, text: str, role: str, size: float, cs: float = 0.0) -> float:
        return sum(self.fs.width(c, role) * size + cs for c in text)

    def asc(self, role: str) -> float:
        return self.fs.face(role).ascent

    def desc(self, role: str) -> float:
        return self.fs.face(role).descent

    def grid_baseline(self, line: float, size: float = g.BODY_PT, role: str = "fang") -> float:
        return g.baseline(line, size, self.asc(role), self.desc(role))

    # rows ----------------------------------------------------------------------------------
    def text_row(self, x: float, text: str, role: str = "fang", size: float = g.BODY_PT, **kw) -> Row:
        return Row([TextOp(x, 0.0, text, role, size, g.CELL - size if size == g.BODY_PT else 0.0, **kw)])

    def paragraph(self, runs: list[tuple[str, str]], *, first_indent: float, indent: float = 0.0,
                  size: float = g.BODY_PT, right: float = 0.0, justify: bool = True, keep: int = 0) -> list[Row]:
        """Break a paragraph of (text, role) runs onto the grid, justified like Word's 两端对齐."""
        cs = g.CELL - size if size == g.BODY_PT else (g.CELL * size / g.BODY_PT - size)
        chars: list[str] = []
        roles: list[str] = []
        for text, role in runs:
            chars.extend(text)
            roles.extend([role] * len(text))
        widths = [self.fs.width(c, r) * size + cs for c, r in zip(chars, roles, strict=True)]
        squeeze = [size / 2 if (c in OPENING or c in CLOSING) and self.fs.width(c, r) > 0.9 else 0.0
                   for c, r in zip(chars, roles, strict=True)]
        avail0 = g.AREA_W - first_indent - right
        avail = g.AREA_W - indent - right
        rows = []
        lines = set_lines(chars, widths, squeeze, avail0, avail, size)
        for i, (a, b, xs) in enumerate(lines):
            x0 = g.LEFT + (first_indent if i == 0 else indent)
            if not justify and i < len(lines) - 1:     # ragged lines: natural spacing
                xs = [sum(widths[a:a + j]) for j in range(b - a)]
            ops = []
            k = a
            while k < b:
                j = k
                while j < b and roles[j] == roles[k]:
                    j += 1
                ops.append(TextOp(x0 + xs[k - a], 0.0, "".join(chars[k:j]), roles[k], size, cs,
                                  xs=[x0 + x for x in xs[k - a:j - a]]))
                k = j
            rows.append(Row(ops, keep=keep))
        return rows

    # the document ------------------------------------------------------------------------
    def build(self) -> list[Page]:
        doc = self.doc
        first_line = self.header()
        rows: list[Row] = []
        if doc.title:
            for t in title_lines(doc.title, doc.doc_type, lambda s: self.width(s, "title", g.TITLE_PT), g.AREA_W):
                w = self.width(t, "title", g.TITLE_PT)
                rows.append(Row([TextOp(g.LEFT + (g.AREA_W - w) / 2, 0.0, t, "title", g.TITLE_PT)]))
        recipients_in_colophon = False
        if doc.main_recipients:
            rec = self.paragraph([("、".join(doc.main_recipients) + "：", "fang")], first_indent=0, justify=False)
            # move 主送 to the 版记 when it leaves no body line on page 1 (GB/T 9704 7.3.2)
            if first_line + len(rows) + 1 + len(rec) >= g.LINES:
                recipients_in_colophon = True
            else:
                rows.append(Row(blank=True))
                rows.extend(rec)
        elif doc.title and doc.format == "order":
            rows.append(Row(blank=True))
        if doc.format == "order" and not doc.title:
            rows.extend([Row(blank=True), Row(blank=True)])
        for par in doc.body.split("\n"):
            par = par.strip()
            if par:
                for r in self.paragraph(paragraph_runs(par), first_indent=2 * g.CELL):
                    r.body = True
                    r.part = "body"
                    rows.append(r)
        closing: list[Row] = []
        for part, block in (("annex", self.attachment_note()), ("minutes", self.minutes_lists()),
                            ("sign", self.signature_block()),
                            ("note", self.paragraph([(doc.note, "fang")], first_indent=2 * g.CELL)
                             if doc.note else [])):
            for r in block:
                r.part = part
                closing.append(r)
        self.flow(rows, first_line)
        self.close(closing)
        for i, att in enumerate(doc.attachments, 1):
            self.attachment_pages(i, att)
        self.colophon(recipients_in_colophon)
        self.number_pages()
        return self.pages

    # 版头 ---------------------------------------------------------------------------------
    def header(self) -> int:
        """Draw the page-1 header; return the grid line where the title starts."""
        doc, ops = self.doc, self.pages[0].ops
        fmt = doc.format
        top_items: list[tuple[str, str]] = []
        if doc.copy_no:
            top_items.append((doc.copy_no, "fang"))
        if doc.classification:
            cls = doc.classification + (f"★{doc.secrecy_period}" if doc.secrecy_period else "")
            top_items.append((cls, "hei"))
        if doc.urgency:
            top_items.append((doc.urgency, "hei"))
        if fmt != "letter":
            for i, (t, role) in enumerate(top_items):
                ops.append(TextOp(g.LEFT, self.grid_baseline(i), t, role, g.BODY_PT, g.CELL - g.BODY_PT))
        mark_size = {"standard": self.geo.mark_pt, "letter": self.geo.letter_mark_pt,
                     "order": self.geo.order_mark_pt, "minutes": self.geo.minutes_mark_pt}[fmt]
        mark_top = {"letter": 30 * g.MM}.get(fmt, g.TOP + (20 if fmt == "order" else 35) * g.MM)
        mark_bottom = self.mark(mark_top, mark_size)
        if fmt == "letter":
            return self.letter_header(mark_bottom, top_items)
        band = mark_bottom + 2 * g.PITCH             # two blank lines below the 标志
        num_base = band + (g.PITCH - g.BODY_PT) / 2 + g.BODY_PT * self.asc("fang")
        if doc.is_upward:
            num_base = self.signers(band)
            if doc.doc_number:
                ops.append(TextOp(g.LEFT + g.CELL, num_base, doc.doc_number, "fang", g.BODY_PT, g.CELL - g.BODY_PT))
        elif doc.doc_number:
            w = self.width(doc.doc_number, "fang", g.BODY_PT, g.CELL - g.BODY_PT)
            ops.append(TextOp(g.LEFT + (g.AREA_W - w) / 2, num_base, doc.doc_number, "fang", g.BODY_PT,
                              g.CELL - g.BODY_PT))
        num_bottom = num_base + g.BODY_PT * self.desc("fang")
        if fmt == "order":
            return math.floor((num_bottom - g.TOP) / g.PITCH) + 1
        red_y = num_bottom + 4 * g.MM
        ops.append(RuleOp(g.LEFT, g.RIGHT, red_y, self.geo.red_rule_mm * g.MM, g.RED))
        return math.floor((red_y - g.TOP) / g.PITCH) + 3       # two blank lines below the red line

    def mark(self, top: float, size: float) -> float:
        """发文机关标志 (red, 小标宋), top edge at ``top``; joint marks stacked with 文件 at the right."""
        ops = self.pages[0].ops
        marks = list(self.doc.issuer_marks)
        asc, desc = self.asc("title"), self.desc("title")
        hscale = self.geo.mark_hscale
        suffix = ""
        if len(marks) > 1 and all(m.endswith("文件") for m in marks):
            marks = [m[:-2] for m in marks]
            suffix = "文件"
        widest = max(self.width(m, "title", size) for m in marks)
        suffix_w = self.width(suffix, "title", size) + (size * 0.5 if suffix else 0)
        total = (widest + suffix_w) * hscale
        if total > g.AREA_W:
            hscale *= g.AREA_W / total
            total = g.AREA_W
        left = g.LEFT + (g.AREA_W - total) / 2
        line_h = size * (asc + desc) * (1.1 if len(marks) > 1 else 1.0)
        for i, m in enumerate(marks):
            w = self.width(m, "title", size) * hscale
            # stacked names are spread to the same width (分散对齐), single names centred
            cs = 0.0
            if len(marks) > 1 and len(m) > 1:
                cs = (widest * hscale - w) / (len(m) - 1) / hscale
                x = left
            else:
                x = left + (widest * hscale - w) / 2
            ops.append(TextOp(x, top + i * line_h + size * asc, m, "title", size, cs, g.RED, hscale))
        bottom = top + len(marks) * line_h
        if suffix:
            mid = (top + bottom) / 2
            ops.append(TextOp(left + (widest + size * 0.5) * hscale, mid + size * (asc - (asc + desc) / 2), suffix,
                              "title", size, 0.0, g.RED, hscale))
        return bottom

    def signers(self, band: float) -> float:
        """签发人 block at the right (names in 楷体, two per line); returns the last line's baseline."""
        ops = self.pages[0].ops
        names = self.doc.signers
        label = "签发人："
        cs = g.CELL - g.BODY_PT
        lines = [names[i:i + 2] for i in range(0, len(names), 2)]
        texts = ["　".join(pair) for pair in lines]
        names_w = max(self.width(t, "kai", g.BODY_PT, cs) for t in texts)
        label_w = self.width(label, "fang", g.BODY_PT, cs)
        x0 = g.RIGHT - g.CELL - names_w - label_w
        base = band + (g.PITCH - g.BODY_PT) / 2 + g.BODY_PT * self.asc("fang")
        for i, t in enumerate(texts):
            y = base + i * g.PITCH
            if i == 0:
                ops.append(TextOp(x0, y, label, "fang", g.BODY_PT, cs))
            ops.append(TextOp(x0 + label_w, y, t, "kai", g.BODY_PT, cs))
        return base + (len(texts) - 1) * g.PITCH

    def letter_header(self, mark_bottom: float, items: list[tuple[str, str]]) -> int:
        """信函格式: double red lines, 份号/密级/紧急 left and 发文字号 right below the upper line."""
        ops = self.pages[0].ops
        geo = self.geo
        x1 = g.LEFT + g.AREA_W / 2 - 85 * g.MM
        x2 = x1 + 170 * g.MM
        thick, thin, gap = geo.letter_thick_mm * g.MM, geo.letter_thin_mm * g.MM, geo.letter_gap_mm * g.MM
        up = mark_bottom + 4 * g.MM
        ops.append(RuleOp(x1, x2, up + thick / 2, thick, g.RED))
        ops.append(RuleOp(x1, x2, up + thick + gap + thin / 2, thin, g.RED))
        low = g.PAGE_H - 20 * g.MM
        ops.append(RuleOp(x1, x2, low - thick / 2, thick, g.RED))
        ops.append(RuleOp(x1, x2, low - thick - gap - thin / 2, thin, g.RED))
        first_top = up + thick + gap + thin + g.BODY_PT * 7 / 8      # 7/8 of a 3号 character height
        cs = g.CELL - g.BODY_PT
        y = first_top + g.BODY_PT * self.asc("fang")
        rows = max(1, len(items))
        for i, (t, role) in enumerate(items):
            ops.append(TextOp(g.LEFT, y + i * g.PITCH, t, role, g.BODY_PT, cs))
        if self.doc.doc_number:
            w = self.width(self.doc.doc_number, "fang", g.BODY_PT, cs)
            ops.append(TextOp(g.RIGHT - w, y, self.doc.doc_number, "fang", g.BODY_PT, cs))
        last_bottom = y + (rows - 1) * g.PITCH + g.BODY_PT * self.desc("fang")
        return max(0, math.floor((last_bottom - g.TOP) / g.PITCH)) + 3

    # after the body ---------------------------------------------------------------------
    def attachment_note(self) -> list[Row]:
        atts = self.doc.attachments
        if not atts:
            return []
        rows = [Row(blank=True)]
        label = "附件："
        lw = self.width(label, "fang", g.BODY_PT, g.CELL - g.BODY_PT)
        if len(atts) == 1:
            rows += self.paragraph([(label + atts[0].name, "fang")], first_indent=2 * g.CELL,
                                   indent=2 * g.CELL + lw, justify=False)
            return rows
        for i, a in enumerate(atts, 1):
            num = f"{i}."
            nw = self.width(num, "fang", g.BODY_PT, g.CELL - g.BODY_PT)
            text = (label if i == 1 else "") + num + a.name
            first = 2 * g.CELL + (0 if i == 1 else lw)
            rows += self.paragraph([(text, "fang")], first_indent=first, indent=2 * g.CELL + lw + nw, justify=False)
        return rows

    def minutes_lists(self) -> list[Row]:
        doc = self.doc
        rows: list[Row] = []
        for label, names in (("出席", doc.attendees), ("请假", doc.absentees), ("列席", doc.observers)):
            if not names:
                continue
            if not rows:
                rows.append(Row(blank=True))
            lw = self.width(label + "：", "hei", g.BODY_PT, g.CELL - g.BODY_PT)
            rows += self.paragraph([(label + "：", "hei"), ("、".join(names), "fang")], first_indent=2 * g.CELL,
                                   indent=2 * g.CELL + lw, justify=False)
        return rows

    def signature_block(self) -> list[Row]:
        doc = self.doc
        cs = g.CELL - g.BODY_PT
        date = format_date(doc.date) if doc.date else ""
        dw = self.width(date, "fang", g.BODY_PT, cs)
        sigs = doc.issuer_signatures
        K = 1
        if doc.format == "order":
            return self.order_signature(date, dw)
        if doc.sealed:
            d = self.geo.seal_mm * g.MM
            if len(sigs) == 1:
                date_x = g.RIGHT - 4 * g.CELL - dw
                cx = date_x + dw / 2
                sw = self.width(sigs[0], "fang", g.BODY_PT, cs)
                sig = Row([TextOp(cx - sw / 2, 0, sigs[0], "fang", g.BODY_PT, cs)], keep=K)
                sig.seal = SealOp(cx, 0.3 * g.PITCH, d, sigs[0], doc.seal_image)
                return [Row(blank=True, keep=K), Row(blank=True, keep=K), sig,
                        Row([TextOp(date_x, 0, date, "fang", g.BODY_PT, cs)], keep=K)]
            rows: list[Row] = []
            per_row = 3 if len(sigs) > 2 else 2
            for r in range(0, len(sigs), per_row):
                group = sigs[r:r + per_row]
                rows += [Row(blank=True, keep=K), Row(blank=True, keep=K)] if r == 0 else [Row(blank=True, keep=K)] * 3
                slot = g.AREA_W / len(group)
                ops, seals = [], []
                for j, s in enumerate(group):
                    cx = g.LEFT + slot * (j + 0.5)
                    sw = self.width(s, "fang", g.BODY_PT, cs)
                    ops.append(TextOp(cx - sw / 2, 0, s, "fang", g.BODY_PT, cs))
                    seals.append(SealOp(cx, 0.3 * g.PITCH, min(d, slot * 0.95), s, doc.seal_image))
                row = Row(ops, keep=K)
                row.seal = seals[0]
                rows.append(row)
                for extra in seals[1:]:
                    rows[-1].ops.append(extra)
            rows.append(Row([TextOp(g.RIGHT - 4 * g.CELL - dw, 0, date, "fang", g.BODY_PT, cs)], keep=K))
            return rows
        rows = [Row(blank=True, keep=K)]
        if sigs:
            sw = max(self.width(s, "fang", g.BODY_PT, cs) for s in sigs)
            start = g.RIGHT - 2 * g.CELL - sw
            date_x = start + 2 * g.CELL
            if date_x + dw > g.RIGHT - 2 * g.CELL:    # date longer: date right-aligned 2 chars in
                date_x = g.RIGHT - 2 * g.CELL - dw
                start = date_x - 2 * g.CELL
            for s in sigs:
                rows.append(Row([TextOp(start, 0, s, "fang", g.BODY_PT, cs)], keep=K))
        else:
            date_x = g.RIGHT - 2 * g.CELL - dw
        rows.append(Row([TextOp(date_x, 0, date, "fang", g.BODY_PT, cs)], keep=K))
        return rows

    def order_signature(self, date: str, dw: float) -> list[Row]:
        """命令（令）: 职务, 签名章 right four characters in, date one blank line below (7.3.5.4)."""
        doc = self.doc
        cs = g.CELL - g.BODY_PT
        K = 1
        name = doc.signers[0] if doc.signers else ""
        title = doc.issuer_signatures[0]
        nw = self.width(name, "kai", g.BODY_PT, cs) if name else 0.0
        box_w = max(nw + g.CELL, 3 * g.CELL)
        box_x = g.RIGHT - 4 * g.CELL - box_w
        tw = self.width(title, "fang", g.BODY_PT, cs)
        ops: list = [TextOp(box_x - 2 * g.CELL - tw, 0, title, "fang", g.BODY_PT, cs)]
        row = Row(ops, keep=K)
        if doc.sealed:
            row.seal = SealOp(box_x + box_w / 2, g.PITCH / 2, 0, name, doc.seal_image, "name", box_w, 1.4 * g.PITCH)
        elif name:
            ops.append(TextOp(box_x + (box_w - nw) / 2, 0, name, "kai", g.BODY_PT, cs))
        return [Row(blank=True, keep=K), Row(blank=True, keep=K), row, Row(blank=True, keep=K),
                Row([TextOp(g.RIGHT - 4 * g.CELL - dw, 0, date, "fang", g.BODY_PT, cs)], keep=K)]

    # flowing rows onto pages --------------------------------------------------------------
    def flow(self, rows: list[Row], line: int) -> None:
        """Place rows on the grid from ``line`` of the current last page, breaking pages."""
        page = self.pages[-1]
        for row in rows:
            if line >= g.LINES:
                page = self._new_page()
                line = 0
            if row.blank and line == 0:
                continue
            self._place(page, row, line)
            line += 1
        self.cursor = line

    def close(self, rows: list[Row]) -> None:
        """Place the closing block (附件说明, 出席…, 署名/日期/印章, 附注) after the body, in that order.

        GB/T 9704 7.3.5: the block stays together and never stands alone on a page (此页无正文 is
        forbidden).  When it does not fit below the body, the last body lines move to the next
        page with it (at least two, or as many as the block leaves room for; page 1 keeps one).
        The blank lines inside the block are what keep the seal's top within one line of the
        text above, so they are never dropped while body text precedes them.
        """
        if not rows:
            return
        page, line = self.pages[-1], self.cursor
        need = len(rows)
        over = line + need - g.LINES
        if over > 0 and not (over <= 1 and self._squeeze(page, rows, line)):
            trailing = 0                                # body lines at the end of this page
            for _, r in reversed(page.rows):
                if r.part != "body":
                    break
                trailing += 1
            # keep one body line where it is (page 1 must show body text; no page is emptied)
            take = min(2, g.LINES - need, trailing - 1)
            if take < 1 and self._squeeze(page, rows, line):
                return
            moved = self._pull_back(page, take)
            page = self._new_page()
            line = 0
            for r in moved:
                self._place(page, r, line)
                line += 1
            if not moved:                               # nothing could move (a block of a page or more)
                while rows and rows[0].blank:
                    rows = rows[1:]
        elif over > 0:
            return
        for r in rows:
            if line >= g.LINES:                         # only when the block itself exceeds a page
                page = self._new_page()
                line = 0
            self._place(page, r, line)
            line += 1
        self.cursor = line

    def _squeeze(self, page: Page, rows: list[Row], line: float) -> bool:
        """7.3.5.5 调整行距: set this page's body lines and the closing block at a tighter pitch.

        Allowed down to ``MIN_SQUEEZE`` of the grid pitch; the seal is moved down, if need be, so
        that its top stays below the text above (and within one line of it).
        """
        if not any(r.part == "body" for _, r in page.rows):
            return False
        idx = 0                                         # the page's flowing rows: title, 主送, body
        start = page.rows[idx][0]
        count = (line - start) + len(rows)
        f = (g.LINES - start) / count
        if f < MIN_SQUEEZE:
            return False
        flowing = self._pull_back(page, len(page.rows) - idx)
        text_bottom = 0.0
        for j, r in enumerate(flowing + rows):
            self._place(page, r, start + j * f)
            seals = ([r.seal] if r.seal else []) + [op for op in r.ops if isinstance(op, SealOp)]
            for seal in seals:
                lowest = text_bottom + 0.1 * g.PITCH + (seal.h or seal.diameter) / 2
                seal.cy = max(seal.cy, lowest)
            texts = [op for op in r.ops if isinstance(op, TextOp)]
            if texts and not r.seal:
                text_bottom = max(op.y + op.size * self.desc(op.role) for op in texts)
        self.cursor = g.LINES
        return True

    def _place(self, page: Page, row: Row, line: float) -> None:
        row_ops: list[TextOp | SealOp] = []
        for op in row.ops:
            if isinstance(op, TextOp):
                op.y = self.grid_baseline(line, op.size, op.role)
                row_ops.append(op)
            elif isinstance(op, SealOp):
                op.cy += g.line_top(line)
                row_ops.append(op)
        if row.seal is not None:
            row.seal.cy += g.line_top(line)
            row_ops.insert(0, row.seal)
        page.ops.extend(row_ops)
        page.rows.append((line, row))

    def _pull_back(self, page: Page, n: int) -> list[Row]:
        """Remove the last ``n`` rows placed on ``page`` (body lines) and return them in order."""
        if n <= 0:
            return []
        take = page.rows[-n:]
        del page.rows[-n:]
        gone = {id(op) for _, r in take for op in r.ops}
        page.ops[:] = [op for op in page.ops if id(op) not in gone]
        return [r for _, r in take]

    def _new_page(self, kind: str = "body") -> Page:
        p = Page(kind=kind)
        self.pages.append(p)
        return p

    # attachments, 版记, page numbers ----------------------------------------------------
    def attachment_pages(self, i: int, att) -> None:
        page = self._new_page("attachment")
        label = "附件" if len(self.doc.attachments) == 1 else f"附件{i}"
        cs = g.CELL - g.BODY_PT
        page.ops.append(TextOp(g.LEFT, self.grid_baseline(0), label, "hei", g.BODY_PT, cs))
        rows = []
        for t in title_lines(att.name, "", lambda s: self.width(s, "title", g.TITLE_PT), g.AREA_W):
            w = self.width(t, "title", g.TITLE_PT)
            rows.append(Row([TextOp(g.LEFT + (g.AREA_W - w) / 2, 0, t, "title", g.TITLE_PT)]))
        if att.body.strip():
            rows.append(Row(blank=True))
            for par in att.body.split("\n"):
                if par.strip():
                    rows.extend(self.paragraph(paragraph_runs(par.strip()), first_indent=2 * g.CELL))
        self.flow(rows, 2)
        if getattr(att, "full_page", False) or getattr(att, "extra_pages", 0):
            # its content is added to this page or after it: the page is full, then its own pages (numbered)
            self.pages[-1].__dict__.setdefault("rows", []).append((g.LINES - 1, Row(blank=True)))
            for _ in range(getattr(att, "extra_pages", 0)):
                self._new_page("inserted").__dict__["rows"] = [(g.LINES - 1, Row(blank=True))]
            self.cursor = g.LINES

    def colophon(self, with_recipients: bool) -> None:
        doc = self.doc
        letter = doc.format == "letter"
        size = g.SMALL_PT
        cs = 0.0
        items: list[list[Row]] = []
        if with_recipients:
            items.append(self.paragraph([("主送：", "fang"), ("、".join(doc.main_recipients) + "。", "fang")],
                                        first_indent=g.CELL, indent=g.CELL + 3 * size, size=size, right=g.CELL,
                                        justify=False))
        if doc.cc:
            items.append(self.paragraph([("抄送：" + "，".join(doc.cc) + "。", "fang")], first_indent=g.CELL,
                                        indent=g.CELL + 3 * size, size=size, right=g.CELL, justify=False))
        if not letter and doc.printer and doc.print_date:
            pd = format_date(doc.print_date) + "印发"
            pw = self.width(pd, "fang", size, cs)
            items.append([Row([TextOp(g.LEFT + g.CELL, 0, doc.printer, "fang", size, cs),
                               TextOp(g.RIGHT - g.CELL - pw, 0, pd, "fang", size, cs)])])
        if not items:
            return
        need = sum(len(x) for x in items)
        page = self.pages[-1]
        used = max((ln for ln, _ in page.rows), default=-1) + 1
        if page is self.pages[0]:
            used = max(used, getattr(self, "cursor", used))
        blank_inserted = False
        if used + need > g.LINES:
            page = self._new_page()
        if self.geo.colophon_on_even_page and len(self.pages) % 2 == 1:
            if page.ops:
                self._new_page("blank")
            else:
                page.kind = "blank"
            page = self._new_page()
            blank_inserted = True
        page.kind = "colophon-blank" if blank_inserted else ("colophon" if page.kind != "body" or not page.ops
                                                             else page.kind)
        page.colophon = True
        line = g.LINES - need
        top_y = g.line_top(line)
        thick, thin = self.geo.colophon_thick_mm * g.MM, self.geo.colophon_thin_mm * g.MM
        if not letter:
            page.ops.append(RuleOp(g.LEFT, g.RIGHT, top_y, thick))
        for k, group in enumerate(items):
            for r in group:
                for op in r.ops:
                    op.y = self.grid_baseline(line, op.size, op.role)
                    page.ops.append(op)
                line += 1
            if not letter and k < len(items) - 1:
                page.ops.append(RuleOp(g.LEFT, g.RIGHT, g.line_top(line), thin))
        if not letter:
            page.ops.append(RuleOp(g.LEFT, g.RIGHT, g.BOTTOM, thick))

    def number_pages(self) -> None:
        n = 0
        blank_before = any(p.kind == "blank" for p in self.pages)
        for idx, p in enumerate(self.pages):
            n += 1
            if p.kind == "blank":
                continue
            if p.colophon and (blank_before or not self.geo.number_colophon_page):
                continue
            if idx == 0 and self.doc.format == "letter":
                continue
            p.number = n
