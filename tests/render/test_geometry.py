"""Geometry measured on produced PDFs with pdfplumber (GB/T 9704-2012)."""
from __future__ import annotations

import io
from collections import Counter

import pdfplumber
import pytest

from zhongshu.render import Document, render_pdf
from zhongshu.render import geometry as g

from . import samples

MM = g.MM
TOL = 1.0 * MM     # ±1 mm, the standard's own tolerance for the margins


def _pdf(d: dict, **kw):
    return pdfplumber.open(io.BytesIO(render_pdf(Document.from_dict(d), **kw)))


@pytest.fixture(scope="module")
def notice():
    return _pdf(samples.notice(3))


def _lines(page, size=16):
    """Baseline rows of body-size characters inside the type area: {top: [chars]}."""
    rows: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - size) < 0.1 and g.TOP - 2 <= c["top"] <= g.BOTTOM:
            rows.setdefault(int((c["top"] - g.TOP + 5) // g.PITCH), []).append(c)
    return rows


def _red_rules(page):
    return [r for r in page.lines + page.rects if r.get("stroking_color") and _is_red(r["stroking_color"])]


def _is_red(col) -> bool:
    return len(col) == 3 and col[0] > 0.9 and col[1] < 0.1 and col[2] < 0.1


def test_page_size_and_margins(notice):
    for p in notice.pages:
        assert abs(p.width - 210 * MM) < 0.5 and abs(p.height - 297 * MM) < 0.5
    body = notice.pages[1]
    rows = _lines(body)
    xs = [c["x0"] for r in rows.values() for c in r]
    assert abs(min(xs) - 28 * MM) < TOL                         # left margin 28 mm
    right = max(c["x1"] for r in rows.values() for c in r)
    assert abs(right - (28 + 156) * MM) < TOL                   # right margin 26 mm
    tops = sorted(rows)
    assert abs(min(c["top"] for c in rows[tops[0]]) - 37 * MM) < 3 * MM   # first line in the first grid line
    assert max(c["bottom"] for c in rows[tops[-1]]) <= g.BOTTOM + 0.5


def test_22_lines_of_28_characters(notice):
    full = notice.pages[1]
    rows = _lines(full)
    assert len(rows) == 22
    fang_tops = sorted({round(c["top"], 2) for r in rows.values() for c in r if "Fang" in c["fontname"]})
    assert len(fang_tops) >= 20
    pitches = {round(b - a, 2) for a, b in zip(fang_tops, fang_tops[1:])}
    assert all(abs(p / round(p / g.PITCH) - g.PITCH) < 0.05 for p in pitches)
    counts = Counter(len(r) for r in rows.values())
    assert counts[28] >= 10                                        # plain full lines have 28 characters
    for r in rows.values():
        if len(r) == 28:
            xs = sorted(c["x0"] for c in r)
            steps = {round(b - a, 2) for a, b in zip(xs, xs[1:])}
            assert all(abs(s - g.CELL) < 0.3 for s in steps)
            assert abs(xs[0] - g.LEFT) < 0.5 and abs(max(c["x1"] for c in r) - g.RIGHT) < 1.5


def test_font_sizes_title_and_body(notice):
    p1 = notice.pages[0]
    title = [c for c in p1.chars if "Bold" in c["fontname"] and abs(c["size"] - 22) < 0.1]
    assert "".join(c["text"] for c in title).startswith("青山县人民政府关于")
    body = [c for c in p1.chars if c["text"] == "为"]
    assert body and abs(body[0]["size"] - 16) < 0.1


def test_issuer_mark_red_35mm_and_red_line(notice):
    p1 = notice.pages[0]
    mark = [c for c in p1.chars if c["size"] > 30]
    assert mark and all(_is_red(c["non_stroking_color"]) for c in mark)
    assert abs(min(c["top"] for c in mark) - (g.TOP + 35 * MM)) < TOL
    number = [c for c in p1.chars if c["text"] == "〔"]
    assert number
    num_chars = [c for c in p1.chars if abs(c["top"] - number[0]["top"]) < 1]
    num_bottom = max(c["bottom"] for c in num_chars)
    red = _red_rules(p1)
    assert len(red) == 1
    r = red[0]
    assert abs(r["top"] - num_bottom - 4 * MM) < TOL                 # 4 mm below the 发文字号
    assert abs((r["x1"] - r["x0"]) - 156 * MM) < 0.5                 # as wide as the type area
    assert abs(r["x0"] - 28 * MM) < 0.5
    # 发文字号 centred
    mid = (min(c["x0"] for c in num_chars) + max(c["x1"] for c in num_chars)) / 2
    assert abs(mid - (g.LEFT + g.AREA_W / 2)) < 3


def _page_number(page):
    chars = [c for c in page.chars if abs(c["size"] - 14) < 0.1 and c["top"] > g.BOTTOM]
    return chars


def test_page_numbers_by_parity(notice):
    for i, p in enumerate(notice.pages, 1):
        chars = _page_number(p)
        text = "".join(c["text"] for c in chars)
        assert text == f"— {i} —"
        mid = (chars[0]["top"] + chars[0]["bottom"]) / 2
        assert abs(mid - (g.BOTTOM + 7 * MM)) < TOL                   # 7 mm below the type area
        if i % 2:
            assert abs(max(c["x1"] for c in chars) - (g.RIGHT - 14)) < 0.5   # odd: right, one character in
        else:
            assert abs(min(c["x0"] for c in chars) - (g.LEFT + 14)) < 0.5    # even: left, one character in


def test_colophon_lines_on_last_page(notice):
    last = notice.pages[-1]
    rules = sorted((r for r in last.lines if abs((r["x1"] - r["x0"]) - 156 * MM) < 0.5), key=lambda r: r["top"])
    assert len(rules) == 3
    assert abs(rules[-1]["top"] - g.BOTTOM) < 0.5                     # last line on the type-area bottom
    assert abs(rules[0]["linewidth"] - 0.35 * MM) < 0.05 and abs(rules[-1]["linewidth"] - 0.35 * MM) < 0.05
    assert abs(rules[1]["linewidth"] - 0.25 * MM) < 0.05
    cc = [c for c in last.chars if abs(c["size"] - 14) < 0.1 and c["top"] < g.BOTTOM]
    text = "".join(c["text"] for c in cc)
    assert text.startswith("抄送：") and "印发" in text
    assert abs(min(c["x0"] for c in cc) - (g.LEFT + g.CELL)) < 0.5    # one character in


def test_attachments_start_new_pages(notice):
    texts = [p.extract_text() or "" for p in notice.pages]
    att = [i for i, t in enumerate(texts) if t.startswith("附件1") or t.startswith("附件2")]
    assert len(att) == 2 and att[1] == att[0] + 1


def test_request_with_signers():
    pdf = _pdf(samples.request())
    p1 = pdf.pages[0]
    words = p1.extract_words()
    signer = next(w for w in words if w["text"].startswith("签发人"))
    number = next(w for w in words if "〔2026〕" in w["text"])
    assert abs(number["x0"] - (g.LEFT + g.CELL)) < 0.5                 # 发文字号 left, one character in
    last_signer_line = max(c["top"] for c in p1.chars if c["text"] in "王建国李明" and abs(c["size"] - 16) < 0.1
                           and c["top"] < 400)
    assert abs(number["top"] - last_signer_line) < 1                  # level with the last 签发人 line
    right = max(c["x1"] for c in p1.chars if abs(c["top"] - signer["top"]) < 1 and c["x0"] > g.LEFT + 100)
    assert abs(right - (g.RIGHT - g.CELL)) < 1                         # right, one character gap
    assert len(_red_rules(p1)) == 1


def test_letter_format():
    pdf = _pdf(samples.letter())
    p1 = pdf.pages[0]
    mark = [c for c in p1.chars if c["size"] > 30]
    assert abs(min(c["top"] for c in mark) - 30 * MM) < TOL          # 30 mm from the page top
    red = sorted(_red_rules(p1), key=lambda r: r["top"])
    assert len(red) == 4
    for r in red:
        assert abs((r["x1"] - r["x0"]) - 170 * MM) < 0.5
    assert red[0]["linewidth"] > red[1]["linewidth"]                   # upper: thick over thin
    assert red[2]["linewidth"] < red[3]["linewidth"]                   # lower: thin over thick
    assert abs(red[3]["top"] + red[3]["linewidth"] / 2 - (297 - 20) * MM) < 0.5   # 20 mm above the bottom
    assert not _page_number(p1)                                        # no number on page 1
    number = next(w for w in p1.extract_words() if "〔2026〕" in w["text"])
    assert abs(number["x1"] - g.RIGHT) < 0.5                            # 发文字号 flush right


def test_order_format():
    pdf = _pdf(samples.order())
    p1 = pdf.pages[0]
    mark = [c for c in p1.chars if c["size"] > 30]
    assert abs(min(c["top"] for c in mark) - (g.TOP + 20 * MM)) < TOL
    assert "第5号" in p1.extract_text()
    assert not _red_rules(p1) or all(r["width"] < 200 for r in _red_rules(p1))


def test_minutes_format():
    pdf = _pdf(samples.minutes())
    p1 = pdf.pages[0]
    mark = [c for c in p1.chars if c["size"] > 30]
    assert abs(min(c["top"] for c in mark) - (g.TOP + 35 * MM)) < TOL
    text = p1.extract_text()
    for label in ("出席：", "请假：", "列席："):
        assert label in text
    heads = [c for c in p1.chars if c["text"] == "出"]
    assert heads and abs(heads[0]["x0"] - (g.LEFT + 2 * g.CELL)) < 0.5


def test_joint_document_stacks_marks():
    pdf = _pdf(samples.joint())
    p1 = pdf.pages[0]
    mark = [c for c in p1.chars if c["size"] > 30]
    rows = sorted({round(c["top"]) for c in mark})
    assert len(rows) >= 3                                               # two names + 文件 centred between
    text = pdf.pages[-1].extract_text() + p1.extract_text()
    assert "青山县财政局" in text


def test_watermark_on_every_page():
    d = samples.notice(1)
    pdf = _pdf(d, watermark="张三 2026-11-25 10:30")
    for p in pdf.pages:
        assert "张三" in "".join(c["text"] for c in p.chars)


def test_fonts_embedded_and_no_box():
    d = samples.notice(1)
    d["body"] += "\n刘䶮、王堃、陈犇参加会议。"
    data = render_pdf(Document.from_dict(d))
    assert b"/FontFile2" in data and b"/Helvetica" not in data
    from zhongshu.render.fonts import font_set

    fs = font_set()
    for ch in "䶮堃犇":
        face, run = fs.runs(ch, "fang")[0]
        assert run == ch and ord(ch) in face.cmap          # drawn from a font that has the glyph
    pdf = pdfplumber.open(io.BytesIO(data))
    assert "䶮" in "".join(c["text"] for p in pdf.pages for c in p.chars)


def test_sealed_placeholder_within_one_line_of_body():
    pdf = _pdf(samples.request())
    page = next(p for p in pdf.pages if p.curves)
    circle = max(page.curves, key=lambda c: c["x1"] - c["x0"])
    assert abs((circle["x1"] - circle["x0"]) - 42 * MM) < 2 * MM
    day = next(c for c in page.chars if c["text"] == "日" and circle["top"] < c["top"] < circle["bottom"])
    date = [c for c in page.chars if abs(c["top"] - day["top"]) < 0.5 and abs(c["size"] - 16) < 0.1]
    assert abs(max(c["x1"] for c in date) - (g.RIGHT - 4 * g.CELL)) < 1   # date right, four characters in
    assert circle["top"] < date[0]["top"] < circle["bottom"]
    sig_mid = (circle["x0"] + circle["x1"]) / 2
    assert abs(sig_mid - (min(c["x0"] for c in date) + max(c["x1"] for c in date)) / 2) < 1   # seal centred
