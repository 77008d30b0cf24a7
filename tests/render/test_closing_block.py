"""GB/T 9704 7.3.5: body → 附件说明 → 署名/日期/印章 → 附注, for bodies of every length (property test).

The layout model is what the PDF draws (pdf.py only paints ``Page.ops``), so the property is checked
on the model for 1…120 body lines; a few critical lengths are also measured on the PDF itself.
"""
from __future__ import annotations

import io

import pdfplumber
import pytest

from zhongshu.render import Document, render_pdf
from zhongshu.render import geometry as g
from zhongshu.render.fonts import font_set
from zhongshu.render.layout import Layout, SealOp, TextOp

WORDS = "各乡镇各部门要深入贯彻落实县委县政府决策部署切实加强组织领导细化工作措施压实工作责任确保各项任务落到实处"
RANK = {"body": 0, "annex": 1, "sign": 2, "note": 3}


def _par(lines: int, heading: str = "") -> str:
    """A paragraph that takes exactly ``lines`` grid lines (two-character indent, 28 per line)."""
    n = 26 + 28 * (lines - 1) - 3 - len(heading)
    text = (WORDS * (n // len(WORDS) + 1))[:n]
    return heading + text + "。"


def body(lines: int) -> str:
    pars, left, k = [], lines, 0
    while left:
        n = min(left, 1 + k % 5)
        pars.append(_par(n, "一二三四五六七八九十"[k // 3 % 10] + "、" if k % 3 == 2 else ""))
        left -= n
        k += 1
    return "\n".join(pars)


def notice(lines: int) -> dict:
    return {"doc_type": "通知", "issuer_mark": "青山县人民政府文件", "doc_number": "青政发〔2026〕14号",
            "title": "青山县人民政府关于做好2026年冬季安全生产工作的通知",
            "main_recipients": ["各乡镇人民政府", "县政府各部门"], "body": body(lines),
            "attachments": ["冬季安全生产重点任务分工表", "安全隐患排查整治情况统计表"],
            "issuer_signature": "青山县人民政府", "date": "2026-11-23", "sealed": True,
            "note": "此件公开发布", "cc": ["县委各部门"], "printer": "青山县人民政府办公室", "print_date": "2026-11-24"}


def check(pages, lines: int, seals_expected: int = 1, parts_expected=("annex", "sign", "note")) -> None:
    """Order, seal distance and no page with only the closing block, on the layout model."""
    main = [p for p in pages if p.kind != "attachment" and p.rows]
    seq = []
    for pi, p in enumerate(main):
        used = [ln for ln, _ in p.rows]
        assert len(used) == len(set(used)) and all(0 <= ln < g.LINES for ln in used), (lines, pi, used)
        for ln, row in sorted(p.rows, key=lambda x: x[0]):
            if row.part:
                seq.append((pi, ln, row.part, row))
    parts = [s[2] for s in seq if not s[3].blank]
    assert parts.count("body") == lines, (lines, parts.count("body"))
    assert [RANK[a] for a in parts] == sorted(RANK[a] for a in parts), (lines, parts)
    assert set(parts_expected) <= set(parts)
    for pi, p in enumerate(main):
        here = {r.part for _, r in p.rows if not r.blank}
        if here & {"annex", "sign", "note"}:
            assert "body" in here, f"{lines} 行正文：第 {pi + 1} 页只有附件说明/署名/附注"
    seals = [(pi, op) for pi, p in enumerate(main) for op in p.ops if isinstance(op, SealOp)]
    assert len(seals) == seals_expected
    for pi, seal in seals:
        _seal_distance(main, pi, seal, lines)


def _seal_distance(main, pi, seal, lines):
    seal_top = seal.cy - seal.diameter / 2
    above = [op for ln, r in main[pi].rows if r.part in ("body", "annex") and not r.blank for op in r.ops
             if isinstance(op, TextOp)]
    assert above, lines
    text_bottom = max(op.y + op.size * 0.12 for op in above)
    assert 0 <= seal_top - text_bottom <= g.PITCH, (lines, seal_top - text_bottom)   # top within one line


def _layout(lines: int, **changes):
    return Layout(Document.from_dict({**notice(lines), **changes}), font_set()).build()


def test_body_lengths_1_to_120_keep_order_seal_and_no_lonely_signature():
    for lines in range(1, 121):
        check(_layout(lines), lines)


@pytest.mark.parametrize("changes,seals,parts", [
    ({"sealed": False}, 0, ("annex", "sign", "note")),
    ({"issuer_signature": ["青山县人民政府", "青山县财政局"]}, 2, ("annex", "sign", "note")),
    ({"attachments": [], "note": ""}, 1, ("sign",)),
])
def test_variants_keep_the_same_rules(changes, seals, parts):
    for lines in range(1, 61):
        check(_layout(lines, **changes), lines, seals, parts)


def _critical() -> list[int]:
    """Body lengths at which the closing block first stops fitting on a page."""
    out, prev = [], None
    for lines in range(1, 80):
        pages = [p for p in _layout(lines) if p.kind != "attachment" and p.rows]
        if prev is not None and len(pages) > prev:
            out.append(lines)
        prev = len(pages)
    return out


def test_critical_lengths_exist():
    assert len(_critical()) >= 3


@pytest.mark.parametrize("k", [0, 1, 2])
def test_pdf_order_at_page_breaks(k):
    lines = _critical()[k]
    pdf = pdfplumber.open(io.BytesIO(render_pdf(Document.from_dict(notice(lines)))))
    stream = []   # (page, top, text) of body-size text in the type area, attachments excluded
    for pi, p in enumerate(pdf.pages):
        text = p.extract_text() or ""
        if text.startswith("附件1") or text.startswith("附件2"):
            break
        for c in sorted(p.chars, key=lambda c: (round(c["top"]), c["x0"])):
            if abs(c["size"] - 16) < 0.1 and g.TOP - 2 <= c["top"] <= g.BOTTOM:
                stream.append((pi, c["top"], c["text"]))
    flat = "".join(t for _, _, t in stream)
    last_body = flat.rindex(body(lines)[-8:])
    assert last_body < flat.index("附件：1.") < flat.index("青山县人民政府2026") < flat.index("（此件公开发布）")
