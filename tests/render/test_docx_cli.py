"""DOCX settings read back with python-docx; validation; the CLI."""
from __future__ import annotations

import io
import json

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from zhongshu.render import Document, RenderError, load_json, render_docx
from zhongshu.render.cli import main

from . import samples


def _doc(d: dict):
    return docx.Document(io.BytesIO(render_docx(Document.from_dict(d))))


def test_docx_page_setup_and_grid():
    d = _doc(samples.notice(3))
    sec = d.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.1) and abs(sec.page_height - Mm(297)) < Mm(0.1)
    assert abs(sec.top_margin - Mm(37)) < Mm(0.1) and abs(sec.left_margin - Mm(28)) < Mm(0.1)
    assert abs(sec.bottom_margin - Mm(35)) < Mm(0.1) and abs(sec.right_margin - Mm(26)) < Mm(0.1)
    grid = sec._sectPr.find(qn("w:docGrid"))
    # 225 mm / 22 = 28.99 pt; 579 twips (28.95 pt) so that 22 lines fit (580 leaves room for 21)
    assert grid.get(qn("w:linePitch")) == "579" and 22 * 579 <= 225 / 25.4 * 1440 < 22 * 580
    assert grid.get(qn("w:charSpace")) == "-848"
    assert d.settings.odd_and_even_pages_header_footer
    odd = "".join(r.text for r in sec.footer.paragraphs[0].runs)
    assert odd.startswith("— ") and odd.endswith(" —")
    assert sec.footer.paragraphs[0].alignment == 2 and sec.even_page_footer.paragraphs[0].alignment == 0


def test_docx_fonts_and_colours():
    d = _doc(samples.notice(1))
    fonts = {}
    for p in d.paragraphs:
        for r in p.runs:
            el = r._r.rPr.find(qn("w:rFonts"))
            fonts[r.text[:6]] = (el.get(qn("w:eastAsia")), r.font.size.pt if r.font.size else None,
                                 str(r.font.color.rgb) if r.font.color and r.font.color.type else None)
    red = [r for p in d.paragraphs for r in p.runs if r.font.color and r.font.color.type and str(r.font.color.rgb) == "FF0000"]
    assert red[0].text == "青山县人民政府文件"
    assert red[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert fonts["一、提高思想"][0] == "黑体"
    assert fonts["（一）压实工"][0] == "楷体_GB2312"
    body = next(v for k, v in fonts.items() if k.startswith("为切实"))
    assert body[:2] == ("仿宋_GB2312", 16.0)
    title = [r for p in d.paragraphs for r in p.runs if r.font.size and r.font.size.pt == 22.0]
    assert title and all(r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体" for r in title)
    texts = [p.text for p in d.paragraphs]
    assert any(t.startswith("附件：1.") for t in texts)
    assert any(p.paragraph_format.page_break_before for p in d.paragraphs)       # attachments on new pages
    table = d.tables[-1]
    assert table.rows[0].cells[0].text.startswith("抄送：")
    assert table.rows[0].cells[0].paragraphs[0].runs[0].font.size.pt == 14


@pytest.mark.parametrize("make", [samples.request, samples.letter, samples.order, samples.minutes, samples.joint])
def test_all_formats_render_docx(make):
    d = _doc(make())
    assert d.paragraphs


@pytest.mark.parametrize(("key", "value", "field"), [
    ("doc_type", "通知书", "doc_type"),
    ("classification", "保密", "classification"),
    ("urgency", "急件", "urgency"),
    ("copy_no", "123", "copy_no"),
    ("doc_number", "青政发〔2026〕第14号", "doc_number"),
    ("doc_number", "青政发〔2026〕014号", "doc_number"),
    ("doc_number", "青政发[2026]14号", "doc_number"),
    ("date", "2026/11/23", "date"),
    ("sealed", "yes", "sealed"),
    ("signers", "", None),
    ("colour", "red", "colour"),
    ("title", "关于某事的通知。", "title"),
    ("body", "此页无正文", "body"),
])
def test_validation(key, value, field):
    d = samples.notice(1)
    d[key] = value
    if field is None:
        Document.from_dict(d)
        return
    with pytest.raises(RenderError) as e:
        Document.from_dict(d)
    assert e.value.field == field
    assert e.value.message


def test_request_needs_signers():
    d = samples.request()
    d["signers"] = []
    with pytest.raises(RenderError) as e:
        Document.from_dict(d)
    assert e.value.field == "signers"


def test_all_15_types():
    from zhongshu.render import DOC_TYPES

    assert len(DOC_TYPES) == 15
    for t in DOC_TYPES:
        d = samples.notice(1)
        d["doc_type"] = t
        d.pop("format")
        if t in ("请示", "报告"):
            d["signers"] = ["王建国"]
        if t == "命令（令）":
            d.update(doc_number="第3号", issuer_signature="县长")
        doc = Document.from_dict(d)
        assert doc.doc_type == t


def test_cli_pdf_and_docx(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(json.dumps(samples.letter(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["render", "--format", "pdf", str(src), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    out2 = tmp_path / "out.docx"
    assert main(["--format", "docx", str(src), "-o", str(out2)]) == 0
    assert out2.read_bytes().startswith(b"PK")


def test_cli_bad_input(tmp_path, capsys):
    src = tmp_path / "bad.json"
    d = samples.letter()
    d["urgency"] = "急件"
    src.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    assert main(["--format", "pdf", str(src), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "urgency" in err and "紧急程度" in err
    assert main(["--format", "tiff", str(src), "-o", "x"]) == 2


def test_load_json_example():
    doc = load_json("docs/render-input.example.json")
    assert doc.doc_type == "通知" and doc.sealed
