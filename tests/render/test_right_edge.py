"""Flush right edge on the 28-character grid, with digits, Latin runs and 避头尾 (GB/T 9704 5.2.2)."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from zhongshu.render import Document, render_pdf
from zhongshu.render import geometry as g

MM = g.MM
TRICKY = [
    "根据《党政机关公文格式》（GB/T 9704-2012）和《党政机关公文处理工作条例》的规定，各单位要在2026年12月31日前完成自查，"
    "自查报告按照“谁主管、谁负责”“谁签发、谁负责”的原则报送，报送邮箱为office@example.gov.cn，联系电话0571-88886666。",
    "一、总体要求。坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中、三中全会精神，"
    "深入落实“十四五”规划纲要，统筹推进“五位一体”总体布局，协调推进“四个全面”战略布局，确保各项工作取得实效。",
    "（一）工作目标。到2027年底，全县PM2.5平均浓度下降到30微克/立方米以下，优良天数比率达到90%以上，"
    "完成ISO 9001质量管理体系认证的单位达到120家，《规划》《方案》《办法》《细则》《意见》等配套文件全部出台。",
    "各乡镇各部门要深入贯彻落实县委县政府决策部署切实加强组织领导细化工作措施压实工作责任确保各项任务落到实处。"
    "要坚持人民至上生命至上统筹发展和安全全面排查整治各类安全隐患坚决遏制重特大事故发生。”各单位“务必”高度重视。",
    "会议指出，当前安全生产形势依然严峻复杂：“一些地方和单位思想麻痹、责任悬空；隐患排查不深不细、整改不到位；"
    "应急处置能力不足……”对此，必须清醒认识、高度警惕，以“时时放心不下”的责任感抓好各项工作。",
]


@pytest.fixture(scope="module")
def pdf():
    d = {"doc_type": "通知", "issuer_mark": "青山县人民政府文件", "doc_number": "青政发〔2026〕14号",
         "title": "青山县人民政府关于做好安全生产工作的通知", "main_recipients": ["各乡镇人民政府"],
         "body": "\n".join(TRICKY * 3), "issuer_signature": "青山县人民政府", "date": "2026-11-23"}
    return pdfplumber.open(io.BytesIO(render_pdf(Document.from_dict(d))))


def _rows(page):
    rows: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - g.BODY_PT) < 0.1 and g.TOP - 2 <= c["top"] <= g.BOTTOM and c["text"].strip():
            rows.setdefault(round(c["top"], 1), []).append(c)
    return [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())]


def _full_lines(pdf):
    """Body lines followed by another line of the same paragraph (the paragraph's last line is ragged)."""
    out = []
    for page in pdf.pages:
        rows = _rows(page)
        for r, nxt in zip(rows, rows[1:], strict=False):
            if abs(nxt[0]["x0"] - g.LEFT) < 1 and abs(r[0]["x0"] - g.LEFT) < 2.5 * g.CELL:   # continues
                out.append(r)
    return out


def test_every_full_line_ends_flush(pdf):
    lines = _full_lines(pdf)
    assert len(lines) >= 20
    bad = [("".join(c["text"] for c in r), round((r[-1]["x1"] - g.RIGHT) / MM, 2)) for r in lines
           if abs(r[-1]["x1"] - g.RIGHT) > 0.3 * MM]
    assert not bad


def test_full_width_lines_hold_28_characters(pdf):
    """No short line: a full line of full-width characters holds 28 of them (29 with a squeezed mark)."""
    for r in _full_lines(pdf):
        if all(c["x1"] - c["x0"] > 0.9 * g.BODY_PT for c in r):
            indent = round((r[0]["x0"] - g.LEFT) / g.CELL)
            assert len(r) >= g.CHARS - indent, "".join(c["text"] for c in r)


def test_no_line_starts_with_closing_mark_or_ends_with_opening(pdf):
    for page in pdf.pages:
        for r in _rows(page):
            text = "".join(c["text"] for c in r)
            assert text[0] not in "。，、；：？！）》”’〕】…", text
            assert text[-1] not in "（《“‘〔【", text
