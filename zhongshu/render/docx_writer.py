"""DOCX output with python-docx: GB/T 9704 page set-up, document grid 22 × 28, named fonts.

Word/WPS/LibreOffice do their own line breaking, so the DOCX carries the settings (margins, grid,
fonts, indents, spacing) rather than absolute positions; the 版记 is a table floating at the bottom
of the type area of the last page, page numbers are PAGE fields in odd/even footers.
"""
from __future__ import annotations

import io
import os

from docx import Document as _Docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import geometry as g
from .fonts import DOCX_NAMES
from .model import Document, RenderError, format_date
from .text import paragraph_runs, title_lines

RED = RGBColor(0xFF, 0, 0)
LINE_PITCH_TWIPS = round(g.PITCH * 20)                 # 579
CHAR_SPACE = round((g.CELL - g.BODY_PT) * 4096)         # -848: 28 characters of 16 pt in 156 mm
RUN_SPACING_TWIPS = -4                                  # ≈ −0.2 pt character spacing
_ = WD_SECTION


def render_docx(doc: Document) -> bytes:
    """Return the DOCX bytes of ``doc``."""
    w = _Writer(doc)
    w.build()
    buf = io.BytesIO()
    w.d.save(buf)
    return buf.getvalue()


def _set_fonts(run, role: str, size: float, color: RGBColor | None = None, hscale: int = 100) -> None:
    name = DOCX_NAMES[role]
    run.font.name = name
    run.font.size = Pt(size)
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if color is not None:
        run.font.color.rgb = color
    if hscale != 100:
        el = OxmlElement("w:w")
        el.set(qn("w:val"), str(hscale))
        rpr.append(el)


def _chars(n: float, size: float = g.BODY_PT) -> Pt:
    return Pt(n * (g.CELL if size == g.BODY_PT else size))


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.d = _Docx()
        self.body_started = False

    def build(self) -> None:
        self.setup()
        doc = self.doc
        self.header()
        if doc.title:
            self.title(doc.title, doc.doc_type)
        if doc.main_recipients:
            self.blank()
            self.para([("、".join(doc.main_recipients) + "：", "fang")])
        for par in doc.body.split("\n"):
            if par.strip():
                self.para(paragraph_runs(par.strip()), first=2)
        if doc.attachments:
            self.blank()
            many = len(doc.attachments) > 1
            for i, a in enumerate(doc.attachments, 1):
                label = "附件：" if i == 1 else "　　　"
                self.para([(label + (f"{i}." if many else "") + a.name, "fang")], first=2, left=0)
        lists = [("出席", doc.attendees), ("请假", doc.absentees), ("列席", doc.observers)]
        if any(n for _, n in lists):
            self.blank()
            for label, names in lists:
                if names:
                    self.para([(label + "：", "hei"), ("、".join(names), "fang")], first=2)
        self.signature()
        if doc.note:
            self.para([(doc.note, "fang")], first=2)
        for i, a in enumerate(doc.attachments, 1):
            p = self.para([("附件" if len(doc.attachments) == 1 else f"附件{i}", "hei")])
            p.paragraph_format.page_break_before = True
            self.blank()
            self.title(a.name, "")
            if a.body.strip():
                self.blank()
                for par in a.body.split("\n"):
                    if par.strip():
                        self.para(paragraph_runs(par.strip()), first=2)
        self.colophon()

    # set-up --------------------------------------------------------------------------------
    def setup(self) -> None:
        d = self.d
        sec = d.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.header_distance = Mm(15)
        sec.footer_distance = Mm(25.5)      # the “— n —” line centred 7 mm below the type area
        grid = sec._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sec._sectPr.append(grid)
        # "lines" + run spacing rather than "linesAndChars": LibreOffice gives every 16 pt glyph two
        # cells of a 15.79 pt character grid (14 characters a line); the charSpace value is kept for
        # Word/WPS users who switch the grid to 字符和行.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        # The character grid is computed from the document-default font size: make it 3号 (16 pt).
        defaults = d.styles.element.find(qn("w:docDefaults"))
        rpr_def = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        f = rpr_def.find(qn("w:rFonts"))
        for attr in list(f.attrib):
            del f.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            f.set(qn(attr), DOCX_NAMES["fang"])
        for tag in ("w:sz", "w:szCs"):
            rpr_def.find(qn(tag)).set(qn("w:val"), str(int(g.BODY_PT * 2)))
        rpr_def.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        spacing = OxmlElement("w:spacing")        # 16 pt − 0.207 pt = 15.79 pt: 28 characters in 156 mm
        spacing.set(qn("w:val"), str(RUN_SPACING_TWIPS))
        rpr_def.insert(1, spacing)
        sp = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        sp.set(qn("w:after"), "0")
        sp.set(qn("w:line"), str(LINE_PITCH_TWIPS))
        sp.set(qn("w:lineRule"), "exact")
        normal = d.styles["Normal"]
        normal.font.size = Pt(g.BODY_PT)
        normal.font.name = DOCX_NAMES["fang"]
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), DOCX_NAMES["fang"])
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(g.PITCH)
        pf.widow_control = False
        ppr = normal.element.get_or_add_pPr()
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "both")
        ppr.append(jc)
        d.settings.odd_and_even_pages_header_footer = True
        if self.doc.format == "letter":
            sec.different_first_page_header_footer = True
        self.page_numbers(sec.footer, odd=True)
        self.page_numbers(sec.even_page_footer, odd=False)
        d.core_properties.title = self.doc.title
        d.core_properties.author = self.doc.issuer_mark

    def page_numbers(self, footer, *, odd: bool) -> None:
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        pf = p.paragraph_format
        if odd:
            pf.right_indent = Pt(g.SMALL_PT)
        else:
            pf.left_indent = Pt(g.SMALL_PT)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(g.SMALL_PT * 1.2)
        _set_fonts(p.add_run("— "), "song", g.SMALL_PT)
        run = p.add_run()
        _set_fonts(run, "song", g.SMALL_PT)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        _set_fonts(p.add_run(" —"), "song", g.SMALL_PT)

    # paragraphs ------------------------------------------------------------------------------
    def para(self, runs, *, first: float = 0, left: float = 0, right: float = 0, align=None, size=g.BODY_PT,
             color=None, hscale=100, exact: float | None = None, before: float = 0, grid: bool = True):
        p = self.d.add_paragraph()
        pf = p.paragraph_format
        if first:
            pf.first_line_indent = _chars(first, size)
        if left:
            pf.left_indent = _chars(left, size)
        if right:
            pf.right_indent = _chars(right, size)
        if align is not None:
            p.alignment = align
        if exact:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(exact)
        if before:
            pf.space_before = Pt(before)
        if not grid:
            el = OxmlElement("w:snapToGrid")
            el.set(qn("w:val"), "0")
            p._p.get_or_add_pPr().append(el)
        for text, role in runs:
            _set_fonts(p.add_run(text), role, size, color, hscale)
        return p

    def blank(self):
        return self.d.add_paragraph()

    # 版头 ------------------------------------------------------------------------------------
    def header(self) -> None:
        doc = self.doc
        items = []
        if doc.copy_no:
            items.append((doc.copy_no, "fang"))
        if doc.classification:
            items.append((doc.classification + (f"★{doc.secrecy_period}" if doc.secrecy_period else ""), "hei"))
        if doc.urgency:
            items.append((doc.urgency, "hei"))
        fmt = doc.format
        size = {"standard": 60, "letter": 40, "order": 60, "minutes": 52}[fmt]
        if fmt != "letter":
            for t, role in items:
                self.para([(t, role)])
        top = {"letter": -7 * g.MM, "order": 20 * g.MM}.get(fmt, 35 * g.MM)
        before = max(0.0, top - (0 if fmt == "letter" else len(items) * g.PITCH))
        marks = list(doc.issuer_marks)
        longest = max(len(m) for m in marks)
        hscale = min(75, int(75 * (g.AREA_W / (longest * size * 0.75))) if longest * size * 0.75 > g.AREA_W else 75)
        for i, m in enumerate(marks):
            self.para([(m, "title")], align=WD_ALIGN_PARAGRAPH.DISTRIBUTE if len(marks) > 1 else
                      WD_ALIGN_PARAGRAPH.CENTER, size=size, color=RED, hscale=hscale, exact=size * 1.15,
                      before=before if i == 0 else 0, grid=False)
        cs_label = doc.doc_number
        if fmt == "letter":
            p = self.para([], exact=g.PITCH, grid=False, before=4)
            self._border(p, "top", 18, 3)
            line = "　".join(t for t, _ in items)
            p2 = self.para([(line, "fang")])
            if doc.doc_number:
                p2.paragraph_format.tab_stops.add_tab_stop(Pt(g.AREA_W), alignment=WD_TAB_ALIGNMENT.RIGHT)
                _set_fonts(p2.add_run("\t" + doc.doc_number), "fang", g.BODY_PT)
            self.blank()
            return
        self.blank()
        self.blank()
        if doc.is_upward:
            names = doc.signers
            lines = ["　".join(names[i:i + 2]) for i in range(0, len(names), 2)]
            for k, names_line in enumerate(lines):
                last = k == len(lines) - 1
                p = self.para([((cs_label if last else ""), "fang")], left=1)
                p.paragraph_format.tab_stops.add_tab_stop(Pt(g.AREA_W - g.CELL), alignment=WD_TAB_ALIGNMENT.RIGHT)
                _set_fonts(p.add_run("\t" + ("签发人：" if k == 0 else "")), "fang", g.BODY_PT)
                _set_fonts(p.add_run(names_line), "kai", g.BODY_PT)
        else:
            p = self.para([(cs_label, "fang")], align=WD_ALIGN_PARAGRAPH.CENTER)
        if fmt != "order":
            self._border(p, "bottom", 4, 11)
        self.blank()
        if fmt != "order":
            self.blank()

    def _border(self, p, side: str, eighths: int, space: int) -> None:
        ppr = p._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "thinThickSmallGap" if eighths > 12 else "single")
        el.set(qn("w:sz"), str(eighths * (1 if eighths <= 12 else 1)))
        el.set(qn("w:space"), str(space))
        el.set(qn("w:color"), "FF0000")
        bdr.append(el)
        ppr.append(bdr)

    def title(self, title: str, doc_type: str) -> None:
        def width(s: str) -> float:
            return sum(g.TITLE_PT * (0.5 if ord(c) < 0x2000 else 1) for c in s)
        lines = title_lines(title, doc_type, width, g.AREA_W)
        p = self.para([], align=WD_ALIGN_PARAGRAPH.CENTER, size=g.TITLE_PT, exact=g.PITCH, grid=False)
        for i, t in enumerate(lines):
            r = p.add_run(t)
            _set_fonts(r, "title", g.TITLE_PT)
            if i < len(lines) - 1:
                r.add_break()
        self.blank()

    # 署名、日期、印章 --------------------------------------------------------------------------
    def signature(self) -> None:
        doc = self.doc
        date = format_date(doc.date) if doc.date else ""
        sigs = doc.issuer_signatures
        if doc.format == "order":
            self.blank()
            self.blank()
            name = doc.signers[0] if doc.signers else ""
            self.para([(sigs[0] + "　　", "fang"), (name, "kai")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
            self.blank()
            self.para([(date, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
            return
        if doc.sealed:
            self.blank()
            self.blank()
            for s in sigs:
                extra = (len(date) * 0.75 - len(s)) / 2
                p = self.para([(s, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=max(0.0, 4 + extra))
                if doc.seal_image and s == sigs[0]:
                    self._seal(p)
            self.para([(date, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
            return
        self.blank()
        if sigs:
            longest = max(len(s) for s in sigs)
            date_w = len(date) * 0.75       # digits are half width in the grid font
            for s in sigs:
                self.para([(s + "　" * (longest - len(s)), "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT,
                          right=max(2.0, 2 + date_w + 2 - longest) if date_w + 2 > longest else 2)
            right = 2 + longest - 2 - date_w if date_w + 2 <= longest else 2
            self.para([(date, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=right)
        else:
            self.para([(date, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT, right=2)

    def _seal(self, p) -> None:
        """The seal image as a picture floating behind the text, centred over signature and date."""
        path = self.doc.seal_image
        if not os.path.exists(path):
            raise RenderError(f"印章图片不存在：{path}", "seal_image")
        run = p.add_run()
        try:
            run.add_picture(path, width=Mm(42), height=Mm(42))
        except Exception as e:
            raise RenderError(f"无法读取印章图片 {path}：{e}", "seal_image")
        inline = run._r.find(".//" + qn("wp:inline"))
        if inline is None:
            return
        anchor = OxmlElement("wp:anchor")
        for k, v in {"distT": "0", "distB": "0", "distL": "0", "distR": "0", "simplePos": "0", "relativeHeight": "1",
                     "behindDoc": "1", "locked": "0", "layoutInCell": "1", "allowOverlap": "1"}.items():
            anchor.set(k, v)
        sp = OxmlElement("wp:simplePos")
        sp.set("x", "0")
        sp.set("y", "0")
        anchor.append(sp)
        for tag, rel, off in (("wp:positionH", "column", int(Mm(156 - 42 - 4 * 5.57 - 20))),
                              ("wp:positionV", "paragraph", int(Mm(-21)))):
            el = OxmlElement(tag)
            el.set("relativeFrom", rel)
            o = OxmlElement("wp:posOffset")
            o.text = str(off)
            el.append(o)
            anchor.append(el)
        for child in list(inline):
            if child.tag == qn("wp:extent"):
                anchor.append(child)
                anchor.append(OxmlElement("wp:wrapNone"))
            else:
                anchor.append(child)
        inline.getparent().replace(inline, anchor)

    # 版记 ------------------------------------------------------------------------------------
    def colophon(self) -> None:
        doc = self.doc
        rows: list[tuple[str, str | None]] = []
        if doc.cc:
            rows.append(("抄送：" + "，".join(doc.cc) + "。", None))
        if doc.format != "letter" and doc.printer and doc.print_date:
            rows.append((doc.printer, format_date(doc.print_date) + "印发"))
        if not rows:
            return
        anchor_p = self.d.add_paragraph()
        anchor_p.paragraph_format.line_spacing = Pt(1)
        table = self.d.add_table(rows=len(rows), cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl = table._tbl
        tblpr = tbl.tblPr
        pos = OxmlElement("w:tblpPr")
        for k, v in {"w:vertAnchor": "margin", "w:horzAnchor": "margin", "w:tblpYSpec": "bottom",
                     "w:tblpXSpec": "center"}.items():
            pos.set(qn(k), v)
        _ = pos   # a floating table (tblpPr, bottom of the margin) is lost by LibreOffice 7.4: flow it instead
        tw = tblpr.find(qn("w:tblW"))
        tw.set(qn("w:w"), str(int(g.AREA_W * 20)))
        tw.set(qn("w:type"), "dxa")
        letter = doc.format == "letter"
        borders = OxmlElement("w:tblBorders")
        for side, sz in (("top", 8), ("bottom", 8), ("insideH", 6)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "nil" if letter else "single")
            el.set(qn("w:sz"), str(sz))
            el.set(qn("w:color"), "000000")
            borders.append(el)
        for side in ("left", "right", "insideV"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        look = tblpr.find(qn("w:tblLook"))
        (look.addprevious if look is not None else tblpr.append)(borders)
        for row, (left, right) in zip(table.rows, rows, strict=True):
            cell = row.cells[0]
            cell.width = Pt(g.AREA_W)
            p = cell.paragraphs[0]
            pf = p.paragraph_format
            pf.left_indent = pf.right_indent = Pt(g.SMALL_PT)
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(g.PITCH)
            _set_fonts(p.add_run(left), "fang", g.SMALL_PT)
            if right:
                pf.tab_stops.add_tab_stop(Pt(g.AREA_W - 2 * g.SMALL_PT - 11), alignment=WD_TAB_ALIGNMENT.RIGHT)
                _set_fonts(p.add_run("\t" + right), "fang", g.SMALL_PT)
