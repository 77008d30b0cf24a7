"""The DOCX's WordprocessingML, read back: elements in schema order (Word refuses a file whose w:pPr or w:rPr
children are out of order), the settings LibreOffice and Word lay out by, the 版记 table and the seal anchor."""
from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from PIL import Image

from zhongshu.render import Document, render_docx
from zhongshu.render import geometry as g
from zhongshu.render.docx_writer import _PPR, _RPR

from . import samples

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _parts(data: dict) -> dict[str, etree._Element]:
    z = zipfile.ZipFile(io.BytesIO(render_docx(Document.from_dict(data))))
    return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    png = tmp_path_factory.mktemp("seal") / "seal.png"
    Image.new("RGBA", (60, 60), (255, 0, 0, 255)).save(png)
    return _parts({**samples.notice(2), "seal_image": str(png)})


@pytest.mark.parametrize("make", [samples.request, samples.letter, samples.order, samples.minutes, samples.joint])
def test_children_in_schema_order_every_format(make):
    _assert_order(_parts(make()))


def test_children_in_schema_order_sealed(sealed):
    _assert_order(sealed)


def _assert_order(parts):
    for name, root in parts.items():
        for tag, order in (("pPr", _PPR), ("rPr", _RPR)):
            for el in root.iter(W + tag):
                names = [etree.QName(c).localname for c in el if etree.QName(c).namespace == W[1:-1]]
                if tag == "rPr" and el.getparent().tag == W + "pPr":      # paragraph-mark properties
                    continue
                known = [n for n in names if n in order]
                assert known == sorted(known, key=order.index), (name, tag, names)


def test_grid_tracking_and_punctuation(sealed):
    grid = next(sealed["word/document.xml"].iter(W + "docGrid"))
    assert grid.get(W + "type") == "lines" and grid.get(W + "linePitch") == "579"
    styles = sealed["word/styles.xml"]
    rpr_default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr_default.find(W + "spacing").get(W + "val") == "-5"          # 16 pt − 0.25 pt: 28 in 156 mm
    assert 28 * (g.BODY_PT - 0.25) <= g.AREA_W < 29 * (g.BODY_PT - 0.25)
    normal = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == "Normal")
    ppr = normal.find(W + "pPr")
    assert ppr.find(W + "overflowPunct").get(W + "val") == "0"
    assert ppr.find(W + "spacing").get(W + "line") == "579" and ppr.find(W + "spacing").get(W + "lineRule") == "exact"


def test_colophon_is_a_floating_table_on_the_bottom_margin(sealed):
    body = sealed["word/document.xml"].find(W + "body")
    (tbl,) = body.findall(W + "tbl")
    pos = tbl.find(f"{W}tblPr/{W}tblpPr")
    assert pos.get(W + "vertAnchor") == "margin" and pos.get(W + "tblpYSpec") == "bottom"
    assert pos.get(W + "horzAnchor") == "page" and int(pos.get(W + "tblpX")) == round(g.LEFT * 20)
    assert tbl.getnext().tag == W + "p" and tbl.getnext().getnext().tag == W + "sectPr"   # anchored to the last paragraph
    borders = {etree.QName(b).localname: b.get(W + "sz") for b in tbl.find(f"{W}tblPr/{W}tblBorders")}
    assert borders["top"] == borders["bottom"] == "8" and borders["insideH"] == "6"     # 0.35 / 0.25 mm


def test_seal_floats_behind_the_text(sealed):
    anchor = next(sealed["word/document.xml"].iter(WP + "anchor"))
    assert anchor.get("behindDoc") == "1"
    h, v = anchor.find(WP + "positionH"), anchor.find(WP + "positionV")
    assert h.get("relativeFrom") == "margin" and v.get("relativeFrom") == "paragraph"
    extent = anchor.find(WP + "extent")
    assert abs(int(extent.get("cx")) - 42 * 36000) < 36000 and extent.get("cx") == extent.get("cy")
    run_text = "".join(anchor.getparent().getparent().getparent().itertext())
    assert "青山县人民政府" in run_text                                    # anchored to the signature line
