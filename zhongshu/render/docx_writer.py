"""DOCX output with python-docx: GB/T 9704 page set-up, 22 lines × 28 characters, named fonts.

Word/WPS/LibreOffice do their own line breaking, so the DOCX carries the settings (margins, line grid,
tracking, fonts, indents, spacing) rather than absolute positions, chosen so that the client's pages
match the PDF renderer's (measured with LibreOffice in tests/render/test_docx_libreoffice.py):

* a line grid of 579 twips and exact line spacing: 22 lines a page; −0.25 pt tracking: 28 characters a
  line (a ``linesAndChars`` character grid is not used: LibreOffice gives every 16 pt glyph two cells
  of a 15.79 pt grid, 14 characters a line);
* page 1 down to the red separator off the grid, each baseline where the PDF has it (``header``);
* the closing block kept with the end of the body (keep with next), the seal a picture behind the text
  anchored to the signature line;
* the 版记 a table floating on the bottom margin of the last page; page numbers PAGE fields in odd/even
  footers.
"""
from __future__ import annotations

import io
import math
import os

from docx import Document as _Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from . import geometry as g
from .fonts import DOCX_NAMES
from .model import Document, RenderError, format_date
from .text import paragraph_runs, title_lines

RED = RGBColor(0xFF, 0, 0)
# 579 twips = 28.95 pt: 22 lines (636.9 pt) fit in the 637.8 pt type area; 580 (29.0 pt, the rounded value)
# gives 638 pt and only 21 lines a page in LibreOffice and in Word's page set-up.
LINE_PITCH_TWIPS = int(g.PITCH * 20)
CHAR_SPACE = round((g.CELL - g.BODY_PT) * 4096)         # -848: 28 characters of 16 pt in 156 mm
# −0.25 pt tracking: 28 × 15.75 pt = 441 pt ≤ 442.2 pt, so exactly 28 characters fit a line and no 29th;
# −0.2 pt (15.8 pt, 442.4 pt for 28) lets only 27 through.
RUN_SPACING_TWIPS = -5
# Word and LibreOffice put the baseline of a line of exact height H at 0.8 H below its top, whatever the
# font (LibreOffice: SwTextFormatter::CalcRealHeight; measured in LibreOffice 7.4).  With the CJK em box
# (ascent 0.88, descent 0.12, as geometry.baseline) this places the header text where the PDF has it.
EXACT_ASCENT = 0.8
EM_ASCENT, EM_DESCENT = 0.88, 0.12
MARK_LINE = 1.25          # 标志 line height in em: 0.8 × 1.25 = 1 em above the baseline, nothing clipped
RED_SPACE_PT = 6          # gap (pt) between the 发文字号 line box and its bottom border, the red separator
PITCH = LINE_PITCH_TWIPS / 20




def line_top(i: int) -> float:
    """Top of grid line ``i`` (0-based) of the DOCX grid (28.95 pt; the PDF's is 28.99 pt)."""
    return g.TOP + i * PITCH


def render_docx(doc: Document) -> bytes:
    """Return the DOCX bytes of ``doc``."""
    w = _Writer(doc)
    w.build()
    buf = io.BytesIO()
    w.d.save(buf)
    return buf.getvalue()


# Child order of w:pPr and w:rPr (ECMA-376 CT_PPr / CT_RPr): Word rejects a document whose elements are
# out of order, so every element added by hand goes through _put.
_PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
        "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
        "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_RPR = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
        "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
        "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
        "lang", "eastAsianLayout", "specVanish", "oMath")


def _put(parent, tag: str, **attrs: str):
    """Set (replace) the child ``w:tag`` of a w:pPr / w:rPr in schema order; return it."""
    order = _PPR if parent.tag == qn("w:pPr") else _RPR
    old = parent.find(qn("w:" + tag))
    if old is not None:
        parent.remove(old)
    el = OxmlElement("w:" + tag)
    for k, v in attrs.items():
        el.set(qn("w:" + k), v)
    later = {qn("w:" + t) for t in order[order.index(tag) + 1:]}
    for i, child in enumerate(parent):
        if child.tag in later:
            parent.insert(i, el)
            break
    else:
        parent.append(el)
    return el


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
        _put(rpr, "w", val=str(hscale))


def _width(text: str, size: float = g.BODY_PT) -> float:
    """Width in pt of ``text`` set with the document's tracking: Chinese full width, ASCII half."""
    return sum(size * (0.5 if ord(c) < 0x2000 else 1) + RUN_SPACING_TWIPS / 20 for c in text)


def _chars(n: float, size: float = g.BODY_PT) -> Pt:
    return Pt(n * (g.CELL if size == g.BODY_PT else size))


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.d = _Docx()
        self.body_started = False
        self.y = g.TOP                      # bottom of the page-1 header flow, pt from the page top
        self.red_pt = g.DEFAULT_GEOMETRY.red_rule_mm * g.MM

    def build(self) -> None:
        self.setup()
        doc = self.doc
        start = self.header()
        if doc.title:
            self.title(doc.title, doc.doc_type, start if doc.format != "letter" else None)
        elif doc.format != "letter":
            self.goto_line(start)
        if doc.main_recipients:
            self.blank()
            self.para([("、".join(doc.main_recipients) + "：", "fang")])
        elif doc.title and doc.format == "order":
            self.blank()
        if doc.format == "order" and not doc.title:
            self.blank()
            self.blank()
        for par in doc.body.split("\n"):
            if par.strip():
                self.para(paragraph_runs(par.strip()), first=2)
        # body → 附件说明 → 署名/日期/印章 → 附注 stay together, with the end of the body (GB/T 9704 7.3.5: no
        # page with only the closing block): "keep with next" from the last body paragraph to the 附注
        keep_from = len(self.d.paragraphs) - 1
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
        for p in self.d.paragraphs[max(keep_from, 0):-1]:
            p.paragraph_format.keep_with_next = True
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
        # "lines" + tracking rather than "linesAndChars": LibreOffice 7.4 gives every 16 pt glyph two cells
        # of a 15.79 pt character grid (measured: 14 characters a line, with charSpace −848 or −4096); the
        # charSpace value is kept for Word/WPS users who switch the grid to 字符和行.
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
        _put(rpr_def, "spacing", val=str(RUN_SPACING_TWIPS))       # 28 characters a line (see above)
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
        pf.line_spacing = Twips(LINE_PITCH_TWIPS)
        pf.widow_control = False
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        # no punctuation hanging past the type area (Word's and LibreOffice's default lets it overflow)
        _put(normal.element.get_or_add_pPr(), "overflowPunct", val="0")
        # no extra space between Chinese and Latin letters or digits (both clients add ¼ em by default): the
        # PDF sets digits half width on the grid, and dates such as 2026年11月23日 keep their width
        _put(normal.element.get_or_add_pPr(), "autoSpaceDE", val="0")
        _put(normal.element.get_or_add_pPr(), "autoSpaceDN", val="0")
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
        # PAGE field: begin, instruction, separate, the result (in the same 4号 font), end — each its own run
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("", "1"), ("end", None)):
            run = p.add_run(text if kind == "" else None)
            _set_fonts(run, "song", g.SMALL_PT)
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._r.append(el)
            elif kind is None:
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
            _put(p._p.get_or_add_pPr(), "snapToGrid", val="0")
        for text, role in runs:
            _set_fonts(p.add_run(text), role, size, color, hscale)
        return p

    def blank(self):
        return self.d.add_paragraph()

    # 版头 ------------------------------------------------------------------------------------
    # Page 1 above the title is laid out off the grid, each paragraph with an exact line height and the
    # space before that puts its baseline where the PDF renderer draws it (``layout.Layout.header``, with
    # the CJK em box: ascent 0.88, descent 0.12); ``self.y`` is the bottom of the flow so far, in pt from
    # the page top.  The title then starts exactly on the grid line the PDF uses, so everything after it
    # sits on the 22-line grid (neither LibreOffice nor Word moves a paragraph back onto the grid).
    def placed(self, runs, *, baseline: float, height: float, lines: int = 1, **kw):
        """A paragraph off the grid whose first baseline lands at ``baseline`` (pt from the page top)."""
        top = baseline - EXACT_ASCENT * height
        p = self.para(runs, exact=height, before=max(0.0, top - self.y), grid=False, **kw)
        self.y = max(top, self.y) + lines * height
        return p

    def header(self) -> int:
        """Write page 1 down to the red separator; return the grid line where the title (or body) starts."""
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
        marks = list(doc.issuer_marks)
        longest = max(len(m) for m in marks)
        hscale = min(75, int(75 * (g.AREA_W / (longest * size * 0.75))) if longest * size * 0.75 > g.AREA_W else 75)
        if fmt == "letter":
            self.letter_header(items, marks, size, hscale)
            return 0
        for t, role in items:                       # 份号, 密级, 紧急程度 on grid lines 1–3
            self.para([(t, role)])
        self.y = line_top(len(items))
        mark_top = g.TOP + (20 if fmt == "order" else 35) * g.MM        # top edge of the 标志
        line_h = size * (1.1 if len(marks) > 1 else 1.0)
        for i, m in enumerate(marks):
            self.placed([(m, "title")], baseline=mark_top + i * line_h + EM_ASCENT * size, height=MARK_LINE * size,
                        align=WD_ALIGN_PARAGRAPH.DISTRIBUTE if len(marks) > 1 else WD_ALIGN_PARAGRAPH.CENTER,
                        size=size, color=RED, hscale=hscale)
        band = mark_top + len(marks) * line_h + 2 * g.PITCH              # two blank lines below the 标志
        base = band + (g.PITCH - g.BODY_PT) / 2 + EM_ASCENT * g.BODY_PT  # 发文字号 / 签发人 baseline
        if doc.is_upward:
            names = doc.signers
            rows = ["　".join(names[i:i + 2]) for i in range(0, len(names), 2)]
        else:
            rows = [""]
        num_bottom = base + (len(rows) - 1) * g.PITCH + EM_DESCENT * g.BODY_PT
        red_y = num_bottom + 4 * g.MM                                    # 4 mm below the 发文字号
        p = None
        for k, names_line in enumerate(rows):
            last = k == len(rows) - 1
            # the last row's height puts its bottom border (the red separator) at red_y
            height = (red_y - base - k * g.PITCH - RED_SPACE_PT - self.red_pt / 2) / (1 - EXACT_ASCENT) \
                if last and fmt != "order" else g.PITCH
            if doc.is_upward:
                # the 发文字号 one character in: a full-width space, not an indent, so that the border (the red
                # separator) spans the whole type area
                p = self.placed([(("　" + doc.doc_number if last and doc.doc_number else ""), "fang")],
                                baseline=base + k * g.PITCH, height=height)
                p.paragraph_format.tab_stops.add_tab_stop(Pt(g.AREA_W - g.CELL), alignment=WD_TAB_ALIGNMENT.RIGHT)
                _set_fonts(p.add_run("\t" + ("签发人：" if k == 0 else "")), "fang", g.BODY_PT)
                _set_fonts(p.add_run(names_line), "kai", g.BODY_PT)
            else:
                p = self.placed([(doc.doc_number, "fang")], baseline=base, height=height,
                                align=WD_ALIGN_PARAGRAPH.CENTER)
        if fmt == "order":
            return math.floor((num_bottom - g.TOP) / g.PITCH) + 1
        self._border(p, "bottom", round(self.red_pt * 8), RED_SPACE_PT)
        self.y += RED_SPACE_PT + self.red_pt          # the border adds its space and width to the paragraph
        return math.floor((red_y - g.TOP) / g.PITCH) + 3                 # two blank lines below the red line

    def goto_line(self, line: int) -> None:
        """Continue the flow on grid line ``line`` (an empty spacer paragraph off the grid)."""
        gap = line_top(line) - self.y
        if gap > 0.5:
            self.para([], exact=gap, grid=False)
        self.y = line_top(line)

    def letter_header(self, items, marks, size: float, hscale: int) -> None:
        """信函格式 (flowed; not measured against the PDF: its 标志 and lines lie outside the type area)."""
        doc = self.doc
        for m in marks:
            self.para([(m, "title")], align=WD_ALIGN_PARAGRAPH.CENTER, size=size, color=RED, hscale=hscale,
                      exact=size * 1.15, grid=False)
        p = self.para([], exact=PITCH, grid=False, before=4)
        self._border(p, "top", 18, 3)
        line = "　".join(t for t, _ in items)
        p2 = self.para([(line, "fang")])
        if doc.doc_number:
            p2.paragraph_format.tab_stops.add_tab_stop(Pt(g.AREA_W), alignment=WD_TAB_ALIGNMENT.RIGHT)
            _set_fonts(p2.add_run("\t" + doc.doc_number), "fang", g.BODY_PT)
        self.blank()

    def _border(self, p, side: str, eighths: int, space: int, color: str = "FF0000", val: str | None = None,
                more: tuple = ()) -> None:
        """Paragraph border(s): ``side`` and any (side, eighths) in ``more``, in pBdr's order top/bottom."""
        ppr = p._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = _put(ppr, "pBdr")
        for sd, sz in sorted(((side, eighths), *more), key=lambda x: ("top", "left", "bottom", "right").index(x[0])):
            el = OxmlElement(f"w:{sd}")
            el.set(qn("w:val"), val or ("thinThickSmallGap" if sz > 12 else "single"))
            el.set(qn("w:sz"), str(sz))
            el.set(qn("w:space"), str(space))
            el.set(qn("w:color"), color)
            bdr.append(el)

    def title(self, title: str, doc_type: str, line: int | None = None) -> None:
        """The title in 2号 on grid lines; on page 1 its first line on grid line ``line``."""
        def width(s: str) -> float:
            return sum(g.TITLE_PT * (0.5 if ord(c) < 0x2000 else 1) for c in s)
        lines = title_lines(title, doc_type, width, g.AREA_W)
        kw = dict(align=WD_ALIGN_PARAGRAPH.CENTER, size=g.TITLE_PT)
        if line is None:
            p = self.para([], exact=PITCH, grid=False, **kw)
        else:
            # lines of exactly one grid line from the top of grid line ``line`` (baseline 0.1 mm below the
            # PDF's, which centres the em box in the line)
            self.y = min(self.y, line_top(line))
            p = self.placed([], baseline=line_top(line) + EXACT_ASCENT * PITCH, height=PITCH, lines=len(lines), **kw)
        for i, t in enumerate(lines):
            r = p.add_run(t)
            _set_fonts(r, "title", g.TITLE_PT)
            if i < len(lines) - 1:
                r.add_break()

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
            # date right-aligned four characters in; signature and seal centred over the date
            self.blank()
            self.blank()
            centre = g.AREA_W - 4 * g.CELL - _width(date) / 2           # from the left margin
            for s in sigs:
                p = self.para([(s, "fang")], align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = Pt(max(0.0, g.AREA_W - centre - _width(s) / 2))
                if doc.seal_image and s == sigs[0]:
                    self._seal(p, centre)
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

    def _seal(self, p, centre: float) -> None:
        """The seal picture floating behind the text, anchored to the signature line, centred on ``centre``
        (pt from the left margin), its centre 0.3 line below the line's top as in the PDF (layout.SealOp)."""
        path = self.doc.seal_image
        d = g.DEFAULT_GEOMETRY.seal_mm * g.MM
        if not os.path.exists(path):
            raise RenderError(f"印章图片不存在：{path}", "seal_image")
        run = p.add_run()
        try:
            run.add_picture(path, width=Pt(d), height=Pt(d))
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
        for tag, rel, off in (("wp:positionH", "margin", int(Pt(centre - d / 2))),
                              ("wp:positionV", "paragraph", int(Pt(0.3 * PITCH - d / 2)))):
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
        """版记: a floating table whose bottom sits on the bottom edge of the type area of the last page.

        Positioned relative to the page horizontally (LibreOffice 7.4 keeps a floating table as wide as the
        type area in the flow unless it is placed relative to the page) and to the bottom margin
        vertically; no cell margins, so the table's edges are the type area's.  Rules: the first and last
        thick, those between items thin (GB/T 9704 7.4.1); each item an exact grid line of 4号.
        """
        doc = self.doc
        letter = doc.format == "letter"
        rows: list[tuple[str, str | None]] = []
        if doc.cc:
            rows.append(("抄送：" + "，".join(doc.cc) + "。", None))
        if not letter and doc.printer and doc.print_date:
            rows.append((doc.printer, format_date(doc.print_date) + "印发"))
        if not rows:
            return
        geo = g.DEFAULT_GEOMETRY
        last = self.d.paragraphs[-1]
        table = self.d.add_table(rows=len(rows), cols=1)
        # A floating table is anchored to the paragraph after it: put it before the document's last paragraph,
        # which is on the last page and above the 版记 (a paragraph after the table would have to go below the
        # table, and to a new page when the last page is full down to the 版记).
        last._p.addprevious(table._tbl)
        tblpr = table._tbl.tblPr
        pos = OxmlElement("w:tblpPr")
        for k, v in {"leftFromText": "0", "rightFromText": "0", "topFromText": "0", "bottomFromText": "0",
                     "vertAnchor": "margin", "horzAnchor": "page", "tblpX": str(round(g.LEFT * 20)),
                     "tblpYSpec": "bottom"}.items():
            pos.set(qn("w:" + k), v)
        style = tblpr.find(qn("w:tblStyle"))
        (style.addnext if style is not None else lambda el: tblpr.insert(0, el))(pos)
        tw = tblpr.find(qn("w:tblW"))
        tw.set(qn("w:w"), str(round(g.AREA_W * 20)))
        tw.set(qn("w:type"), "dxa")
        borders = OxmlElement("w:tblBorders")
        thick, thin = round(geo.colophon_thick_mm * g.MM * 8), round(geo.colophon_thin_mm * g.MM * 8)
        for side, sz in (("top", thick), ("left", 0), ("bottom", thick), ("right", 0), ("insideH", thin),
                         ("insideV", 0)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single" if sz and not letter else "nil")
            if sz and not letter:
                el.set(qn("w:sz"), str(sz))
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), "000000")
            borders.append(el)
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        look = tblpr.find(qn("w:tblLook"))
        for el in (borders, layout, margins):          # CT_TblPr order: … tblBorders, shd, tblLayout, tblCellMar, tblLook
            (look.addprevious if look is not None else tblpr.append)(el)
        grid_col = table._tbl.tblGrid.find(qn("w:gridCol"))
        grid_col.set(qn("w:w"), str(round(g.AREA_W * 20)))
        # LibreOffice adds the rules' widths to the rows: take them off the lines, so that the 版记 is no
        # taller than its grid lines and the line above it stays on the page
        rules_pt = 0.0 if letter else (2 * thick + (len(rows) - 1) * thin) / 8
        line = PITCH - rules_pt / len(rows)
        for row, (left, right) in zip(table.rows, rows, strict=True):
            cell = row.cells[0]
            cell.width = Pt(g.AREA_W)
            p = cell.paragraphs[0]
            pf = p.paragraph_format
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(line)
            pf.right_indent = Pt(g.CELL)                                  # one character in on both sides
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _put(p._p.get_or_add_pPr(), "snapToGrid", val="0")
            _set_fonts(p.add_run(left), "fang", g.SMALL_PT)
            if right is None:                                            # 抄送: wrapped names under the names
                pf.left_indent = Pt(g.CELL + 3 * g.SMALL_PT)
                pf.first_line_indent = Pt(-3 * g.SMALL_PT)
            else:
                pf.left_indent = Pt(g.CELL)
                pf.tab_stops.add_tab_stop(Pt(g.AREA_W - g.CELL), alignment=WD_TAB_ALIGNMENT.RIGHT)
                _set_fonts(p.add_run("\t" + right), "fang", g.SMALL_PT)
