"""Chart PDF, tent cards and DOCX: the names are in them, the viewpoint and rule are stated, pages count."""
from __future__ import annotations

import io

import docx
import pdfplumber
import pytest

from zhongshu.seating import SeatingError, chart_for
from zhongshu.seating.docx_out import chart_docx
from zhongshu.seating.pdf import chart_pdf, tent_cards_pdf

from .conftest import needs_fonts

pytestmark = needs_fonts

NAMES = ["王建国", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊"]
UNITS = [{"name": f"第{u}单位", "people": [f"人{u}-{i}" for i in range(1, 26)]} for u in range(1, 21)]

CHARTS = {
    "podium": lambda: chart_for("podium", NAMES, per_row=5, title="县政府常务会议主席台"),
    "photo": lambda: chart_for("photo", NAMES, viewpoint="podium"),
    "banquet": lambda: chart_for("banquet", NAMES[2:], hosts=NAMES[:2], seats_per_table=4),
    "talks": lambda: chart_for("talks", NAMES[:3], hosts=NAMES[3:], table="end"),
    "hall": lambda: chart_for("hall", [], units=UNITS[:2], blocks=2, seats_per_block=[5, 5]),
}
STATEMENT = {"podium": "观众视角", "photo": "主席台视角", "banquet": "俯视图", "talks": "各方就座者视角", "hall": "观众视角"}


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as p:
        return [page.extract_text() or "" for page in p.pages]


@pytest.mark.parametrize("kind", list(CHARTS))
def test_chart_pdf_has_every_name_title_viewpoint_and_rule(kind):
    chart = CHARTS[kind]()
    pages = pages_text(chart_pdf(chart))
    assert len(pages) == 1
    text = pages[0].replace(" ", "")
    for name in chart.positions().values():
        assert name in text, name
    assert STATEMENT[kind] in text and ("以左为上" in text or "以右为上" in text)
    assert (chart.title or "座次图") in text


def test_a_500_person_hall_on_a3_continues_on_more_pages_when_deep():
    chart = chart_for("hall", [], units=UNITS, blocks=3, seats_per_block=[8, 12, 8])
    data = chart_pdf(chart)
    with pdfplumber.open(io.BytesIO(data)) as p:
        assert round(p.pages[0].width) == 1191 and len(p.pages) == 1          # A3 chosen for a wide hall
        assert len([w for w in p.pages[0].extract_words() if w["text"].startswith("人")]) >= 500
    deep = chart_for("hall", [], units=UNITS, blocks=1, seats_per_block=10)   # 50 rows
    pages = pages_text(chart_pdf(deep, paper="A4"))
    assert len(pages) > 1 and "第1–" in pages[0] and "共50排" in pages[0]
    assert "人20-25" in pages[-1].replace(" ", "")


def test_tent_cards_one_page_per_person_name_large_and_upright_on_both_halves():
    data = tent_cards_pdf(NAMES[:4])
    with pdfplumber.open(io.BytesIO(data)) as p:
        assert len(p.pages) == 4
        page = p.pages[0]
        chars = [c for c in page.chars if c["text"] in "王建国"]
        assert len(chars) == 6                                           # the name on both halves
        assert all(c["size"] > 100 for c in chars)                       # large type
        lower = [c for c in chars if c["top"] > page.height / 2]
        upper = [c for c in chars if c["bottom"] < page.height / 2]
        assert "".join(c["text"] for c in sorted(lower, key=lambda c: c["x0"])) == "王建国"
        assert len(upper) == 3 and all(not c["upright"] or c["matrix"][0] < 0 for c in upper)   # turned 180°
        # the upper copy reads right to left on paper: 王 at the right
        assert max(upper, key=lambda c: c["x0"])["text"] == "王"
        assert any(line["top"] == pytest.approx(page.height / 2, abs=1) for line in page.lines)  # the fold line


def test_tent_cards_refuse_an_empty_list():
    with pytest.raises(SeatingError):
        tent_cards_pdf([])


@pytest.mark.parametrize("kind", list(CHARTS))
def test_chart_docx(kind):
    chart = CHARTS[kind]()
    d = docx.Document(io.BytesIO(chart_docx(chart)))
    texts = [p.text for p in d.paragraphs]
    assert chart.statement in texts
    cells = {c.text.split("\n")[-1] for t in d.tables for row in t.rows for c in row.cells}
    assert set(chart.positions().values()) <= cells
    assert d.sections[0].page_width > d.sections[0].page_height        # landscape
    from docx.oxml.ns import qn

    fonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体"                         # names in 黑体, as on the PDF
