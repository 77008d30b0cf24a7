"""The DOCX in a real client: converted by LibreOffice (headless, as a user's office suite opens it — never
used for production rendering) and measured with the geometry checks of the project's own PDFs.

Every check runs on both outputs of each document — the PDF renderer's and LibreOffice's rendering of
the DOCX — and the two are compared (±1 mm).  Four documents, converted in one LibreOffice call: the
example input (版记 + 附注), a multi-page 通知 with two attachments, an upward 请示 with a seal picture,
a 纪要 whose only page is full down to the 版记.

Fonts: the DOCX names 仿宋_GB2312, 方正小标宋简体 etc. (the user's Word/WPS has them).  LibreOffice gets a
private fontconfig that maps those names to the free Fandol faces the PDF renderer uses, as a machine
with the licensed fonts would; without Fandol it substitutes by itself (the geometry does not depend on it).
Positions of text are compared on baselines with the CJK em box (ascent 0.88 em), because each PDF writer
states its own font descent.

Known LibreOffice 7.4 differences, not the DOCX's: it ignores w:autoSpaceDE/w:autoSpaceDN and puts about
¼ em between Chinese and digits or Latin letters (so a line with digits may hold a character less, and
"the title's middle" is compared rather than its left edge), and it reads w:overflowPunct inverted (a
closing mark may hang past the right edge); the checks of full lines use lines of Chinese.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from zhongshu.render import Document, render_docx, render_pdf
from zhongshu.render import geometry as g
from zhongshu.render.fonts import _FANDOL

from . import samples

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="未安装 LibreOffice（soffice），跳过 DOCX 在 LibreOffice 中的版式测量："
                                               "sudo apt-get install libreoffice-writer-nogui"),
]

MM = g.MM
TOL = 1.0 * MM                      # ±1 mm
ASC, DESC = 0.88, 0.12              # CJK em box
ALIASES = {"仿宋_GB2312": ("FandolFang", None), "楷体_GB2312": ("FandolKai", None), "黑体": ("FandolHei", None),
           "宋体": ("FandolSong", None), "方正小标宋简体": ("FandolSong", "bold")}


def _seal_png(path: Path) -> str:
    im = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse((6, 6, 294, 294), outline=(220, 0, 0, 255), width=10)
    d.regular_polygon((150, 150, 50), 5, fill=(220, 0, 0, 255))
    im.save(path)
    return str(path)


def _fontconfig(tmp: Path) -> dict[str, str]:
    """Environment for soffice: its own fontconfig with the DOCX font names mapped to Fandol (if installed)."""
    if not os.path.isdir(_FANDOL) or not os.path.exists("/etc/fonts/fonts.conf"):
        return {}
    rules = "".join(
        f'<match target="pattern"><test name="family"><string>{name}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{face}</string></edit>'
        + (f'<edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>' if weight else "")
        + "</match>" for name, (face, weight) in ALIASES.items())
    conf = tmp / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{_FANDOL}</dir>'
                    f'<cachedir>{tmp / "fc-cache"}</cachedir>{rules}</fontconfig>', encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """{name: {"pdf": project PDF, "libreoffice": LibreOffice's PDF of the DOCX}} as pdfplumber documents."""
    tmp = tmp_path_factory.mktemp("lo")
    docs = {
        "example": samples.EXAMPLE,                                           # 版记 + 附注 + 附件说明
        "notice": samples.notice(3),                                          # several pages, two attachments
        "sealed": {**samples.request(), "seal_image": _seal_png(tmp / "seal.png")},   # 签发人, seal picture
        "minutes": samples.minutes(),                                         # one page, full down to the 版记
    }
    out: dict[str, dict] = {}
    for name, data in docs.items():
        doc = Document.from_dict(data)
        (tmp / f"{name}.docx").write_bytes(render_docx(doc))
        out[name] = {"pdf": pdfplumber.open(io.BytesIO(render_pdf(doc)))}
    profile = tmp / "profile"
    env = {**os.environ, **_fontconfig(tmp), "HOME": str(tmp)}
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp), *(str(tmp / f"{n}.docx") for n in docs)],
                   check=True, capture_output=True, timeout=180, env=env)
    for name in docs:
        out[name]["libreoffice"] = pdfplumber.open(tmp / f"{name}.pdf")
    yield out
    for both in out.values():
        for pdf in both.values():
            pdf.close()


# measurements (the same on both PDFs) ---------------------------------------------------------------
def baseline(page, c) -> float:
    """Baseline of a character, pt from the page top."""
    return page.height - c["matrix"][5]


def is_red(col) -> bool:
    return isinstance(col, tuple | list) and len(col) == 3 and col[0] > 0.9 and col[1] < 0.1 and col[2] < 0.1


def body_rows(page, size: float = g.BODY_PT) -> list[list[dict]]:
    """Rows of body-size characters in the type area, by baseline, each sorted left to right."""
    rows: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - size) < 0.1 and c["text"].strip():
            b = baseline(page, c)
            if g.TOP < b <= g.BOTTOM + 1:
                rows.setdefault(round(b, 0), []).append(c)
    return [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())]


def rules(page, red: bool | None = None) -> list[dict]:
    """Horizontal rules at least 100 mm long, de-duplicated (LibreOffice paints a border twice), top down."""
    seen, out = set(), []
    for r in page.lines + page.rects:
        if r["x1"] - r["x0"] < 100 * MM or r["bottom"] - r["top"] > 3:
            continue
        col = r.get("stroking_color") if r in page.lines else r.get("non_stroking_color")
        if red is not None and is_red(col) != red:
            continue
        key = (round(r["top"], 1), round(r["x0"], 1), round(r["x1"], 1))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return sorted(out, key=lambda r: r["top"])


def mark(page) -> list[dict]:
    return [c for c in page.chars if c["size"] > 30]


def em_top(page, chars) -> float:
    return min(baseline(page, c) - ASC * c["size"] for c in chars)


PRODUCERS = ["pdf", "libreoffice"]
NAMES = ["example", "notice", "sealed", "minutes"]


def number_row(page) -> list[dict]:
    """The 发文字号 line: body-size characters between the 标志 and the red line."""
    top, red = max(baseline(page, c) for c in mark(page)), rules(page, red=True)[0]["top"]
    return [c for r in body_rows(page) for c in r if top < baseline(page, c) < red]


# the checks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", NAMES)
def test_issuer_mark_and_red_line(outputs, name, producer):
    p1 = outputs[name][producer].pages[0]
    m = mark(p1)
    assert m and all(is_red(c["non_stroking_color"]) for c in m)
    assert abs(em_top(p1, m) - (g.TOP + 35 * MM)) < TOL, (em_top(p1, m) - g.TOP) / MM   # 35 mm below the top
    red = rules(p1, red=True)
    assert len(red) == 1
    r = red[0]
    assert abs((r["x1"] - r["x0"]) - g.AREA_W) < 0.5 * MM and abs(r["x0"] - g.LEFT) < 0.5 * MM
    num_bottom = baseline(p1, number_row(p1)[0]) + DESC * g.BODY_PT
    assert abs(r["top"] - num_bottom - 4 * MM) < TOL                  # 4 mm below the 发文字号


@pytest.mark.parametrize("name", NAMES)
def test_header_positions_match_the_pdf(outputs, name):
    """标志, 发文字号, red line and title within 1 mm of the project's PDF."""
    pdf, lo = (outputs[name][k].pages[0] for k in PRODUCERS)
    assert abs(em_top(pdf, mark(pdf)) - em_top(lo, mark(lo))) < TOL
    assert abs(rules(pdf, red=True)[0]["top"] - rules(lo, red=True)[0]["top"]) < TOL
    rows = [number_row(page) for page in (pdf, lo)]
    assert rows[0][0]["text"] == rows[1][0]["text"] and abs(baseline(pdf, rows[0][0]) - baseline(lo, rows[1][0])) < TOL
    if rows[0][0]["x0"] < g.LEFT + 2 * g.CELL:                     # 上行文: 发文字号 one character in
        assert abs(rows[0][0]["x0"] - rows[1][0]["x0"]) < TOL
    else:                                                           # centred
        mids = [(r[0]["x0"] + r[-1]["x1"]) / 2 for r in rows]
        assert abs(mids[0] - mids[1]) < TOL
    # the title's first line, centred: compare its middle (digits a little wider in LibreOffice)
    tops = [body_rows(page, g.TITLE_PT)[0] for page in (pdf, lo)]
    assert tops[0][0]["text"] == tops[1][0]["text"]
    assert abs(baseline(pdf, tops[0][0]) - baseline(lo, tops[1][0])) < TOL
    mids = [(r[0]["x0"] + r[-1]["x1"]) / 2 for r in tops]
    assert abs(mids[0] - mids[1]) < TOL and abs(mids[0] - (g.LEFT + g.AREA_W / 2)) < TOL


@pytest.mark.parametrize("producer", PRODUCERS)
def test_22_lines_of_28_characters(outputs, producer):
    """A full body page: 22 lines on the grid; full lines of Chinese hold 28 characters, flush with the edges."""
    page = outputs["notice"][producer].pages[1]
    rows = body_rows(page)
    assert len(rows) == g.LINES
    bases = [baseline(page, r[0]) for r in rows]
    assert all(abs((b - a) - g.PITCH) < 0.1 for a, b in zip(bases, bases[1:]))      # 28.99 / 28.95 pt
    full = 0
    for r, nxt in zip(rows, rows[1:]):
        continues = abs(nxt[0]["x0"] - g.LEFT) < 0.5 * MM
        if not continues or not all(c["x1"] - c["x0"] > 0.9 * g.BODY_PT for c in r):
            continue
        indent = round((r[0]["x0"] - g.LEFT) / g.CELL)
        assert len(r) == g.CHARS - indent, "".join(c["text"] for c in r)
        steps = [b["x0"] - a["x0"] for a, b in zip(r, r[1:])]
        # 15.79 pt in the PDF, 15.75 in the DOCX (−0.25 pt tracking); LibreOffice leaves out the tracking
        # after the last character of a run (16.25 pt after a 黑体 heading)
        assert all(abs(s - g.CELL) < 0.5 for s in steps)
        assert abs(r[-1]["x1"] - g.RIGHT) < 0.5 * MM                 # flush right (LibreOffice: −0.37 mm)
        full += 1
    assert full >= 8
    for r in rows:
        assert r[0]["x0"] > g.LEFT - 0.3 * MM and r[-1]["x1"] < g.RIGHT + 0.3 * MM   # nothing outside the type area


@pytest.mark.parametrize("name", NAMES)
def test_same_pages_and_lines_per_page(outputs, name):
    """LibreOffice breaks the DOCX into the same pages, with as many body lines on each, as the PDF."""
    pdf, lo = (outputs[name][k] for k in PRODUCERS)
    assert len(pdf.pages) == len(lo.pages)
    assert [len(body_rows(p)) for p in pdf.pages] == [len(body_rows(p)) for p in lo.pages]


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", NAMES)
def test_colophon_at_the_bottom_of_the_last_page(outputs, name, producer):
    last = outputs[name][producer].pages[-1]
    lines = rules(last, red=False)
    expected = 3 if name in ("example", "notice") else 2      # thick, thin, thick; without 抄送: thick, thick
    assert len(lines) == expected
    assert abs(lines[-1]["top"] - g.BOTTOM) < 0.5 * MM                   # last line on the type-area bottom
    widths = [r.get("linewidth") or (r["bottom"] - r["top"]) for r in lines]
    assert abs(widths[0] - 0.35 * MM) < 0.05 * MM and abs(widths[-1] - 0.35 * MM) < 0.05 * MM
    if expected == 3:
        assert abs(widths[1] - 0.25 * MM) < 0.05 * MM
    small = [c for c in last.chars if abs(c["size"] - g.SMALL_PT) < 0.1 and lines[0]["top"] < c["top"] < g.BOTTOM]
    text = "".join(c["text"] for c in sorted(small, key=lambda c: (round(c["top"]), c["x0"])))
    assert ("抄送：" in text) == (expected == 3) and text.endswith("印发")
    assert abs(min(c["x0"] for c in small) - (g.LEFT + g.CELL)) < 0.5 * MM           # one character in
    fa = next(c for c in small if c["text"] == "发")
    assert abs(fa["x1"] - (g.RIGHT - g.CELL)) < 0.5 * MM                              # 印发 one character in


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", ["example", "notice"])
def test_note_on_the_line_after_the_date(outputs, name, producer):
    """附注 on the line after the 成文日期, indented two characters (the 版记 is not on that page here)."""
    found = {}
    for i, page in enumerate(outputs[name][producer].pages):
        for r in body_rows(page):
            text = "".join(c["text"] for c in r)
            for key in ("2026年11月23日", "（此件发至乡镇人民政府）"):
                if text == key:
                    found[key] = (i, baseline(page, r[0]), r[0]["x0"])
    (dp, db, _), (np_, nb, nx) = found["2026年11月23日"], found["（此件发至乡镇人民政府）"]
    assert dp == np_ and abs(nb - db - g.PITCH) < 0.5 and abs(nx - (g.LEFT + 2 * g.CELL)) < 0.5 * MM


@pytest.mark.parametrize("producer", PRODUCERS)
def test_seal_picture_over_signature_and_date(outputs, producer):
    pdf = outputs["sealed"][producer]
    page = next(p for p in pdf.pages if p.images)
    (seal,) = page.images
    assert abs((seal["x1"] - seal["x0"]) - 42 * MM) < TOL and abs((seal["bottom"] - seal["top"]) - 42 * MM) < TOL
    date = next(r for r in body_rows(page) if "".join(c["text"] for c in r).startswith("2026年7月12日"))
    signature = next(r for r in body_rows(page) if "".join(c["text"] for c in r) == "青山县财政局")
    assert abs(date[-1]["x1"] - (g.RIGHT - 4 * g.CELL)) < TOL                     # date four characters in
    for row in (signature, date):                                                # both under the seal
        assert seal["top"] < baseline(page, row[0]) < seal["bottom"]
    seal_mid = (seal["x0"] + seal["x1"]) / 2
    sig_mid = (signature[0]["x0"] + signature[-1]["x1"]) / 2
    assert abs(seal_mid - sig_mid) < TOL                                         # centred over the signature
    above = [r for r in body_rows(page) if baseline(page, r[0]) < baseline(page, signature[0]) - g.PITCH]
    text_bottom = max(baseline(page, r[0]) for r in above) + DESC * g.BODY_PT
    assert 0 <= seal["top"] - text_bottom <= g.PITCH                             # top within one line of the text


def test_seal_where_the_pdf_has_it(outputs):
    pdf, lo = (next(p for p in outputs["sealed"][k].pages if p.images).images[0] for k in PRODUCERS)
    assert abs(pdf["x0"] - lo["x0"]) < TOL and abs(pdf["top"] - lo["top"]) < TOL


@pytest.mark.parametrize("producer", PRODUCERS)
def test_page_numbers(outputs, producer):
    pdf = outputs["notice"][producer]
    for i, p in enumerate(pdf.pages, 1):
        chars = [c for c in p.chars if abs(c["size"] - g.SMALL_PT) < 0.1 and c["top"] > g.BOTTOM]
        assert "".join(c["text"] for c in chars).replace(" ", "") == f"—{i}—"
        mid = baseline(p, chars[0]) - (ASC - 0.5) * g.SMALL_PT                        # middle of the em box
        assert abs(mid - (g.BOTTOM + 7 * MM)) < TOL
        if i % 2:
            assert abs(max(c["x1"] for c in chars) - (g.RIGHT - 14)) < 0.5 * MM
        else:
            assert abs(min(c["x0"] for c in chars) - (g.LEFT + 14)) < 0.5 * MM
