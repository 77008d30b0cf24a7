"""Fonts by role (GB/T 9704-2012): body 仿宋, title 小标宋 (a bold Song), 一级标题 黑体, 二级标题 楷体."""
from __future__ import annotations

import io
import os

import pdfplumber
import pytest

from zhongshu.render import Document, render_pdf
from zhongshu.render import geometry as g
from zhongshu.render.fonts import _FANDOL, font_set, licensed_fonts

from . import samples

pytestmark = pytest.mark.skipif(
    not os.path.exists(_FANDOL + "FandolFang-Regular.otf") and not licensed_fonts()["fang"],
    reason="没有仿宋字体：请安装 texlive-lang-chinese（Fandol 字体）或授权的仿宋_GB2312",
)

FANG = ("fang", "仿宋")
SONG = ("song", "sun", "xbs", "xiaobiao", "宋")
HEI = ("hei", "黑")
KAI = ("kai", "楷")


def _is(fontname: str, style: tuple[str, ...]) -> bool:
    name = fontname.split("+", 1)[-1].lower()
    return any(s in name for s in style)


@pytest.fixture(scope="module")
def page1():
    return pdfplumber.open(io.BytesIO(render_pdf(Document.from_dict(samples.notice(1))))).pages[0]


def test_body_is_fangsong(page1):
    chars = page1.chars
    start = "".join(c["text"] for c in chars).index("为切实做好今冬明春安全生产工作")
    body = chars[start:start + 40]
    assert all(abs(c["size"] - g.BODY_PT) < 0.1 for c in body)
    assert all(_is(c["fontname"], FANG) for c in body), {c["fontname"] for c in body}


def test_title_is_bold_song(page1):
    title = [c for c in page1.chars if abs(c["size"] - g.TITLE_PT) < 0.1]
    assert title
    assert all(_is(c["fontname"], SONG) and "bold" in c["fontname"].lower() for c in title), \
        {c["fontname"] for c in title}
    assert not any(_is(c["fontname"], FANG) for c in title)


def test_headings_hei_and_kai(page1):
    chars = page1.chars
    text = "".join(c["text"] for c in chars)
    h1 = text.index("一、提高思想认识")
    h2 = text.index("（一）压实工作责任")
    assert all(_is(c["fontname"], HEI) for c in chars[h1:h1 + 8]), {c["fontname"] for c in chars[h1:h1 + 8]}
    assert all(_is(c["fontname"], KAI) for c in chars[h2:h2 + 9]), {c["fontname"] for c in chars[h2:h2 + 9]}
    after = text.index("各乡镇、各部门要充分认识")        # the rest of a 一、 paragraph is 仿宋 again
    assert _is(chars[after]["fontname"], FANG)


def test_font_set_prefers_role_faces():
    fs = font_set()
    assert _is(fs.face("fang").ps_name, FANG)
    assert _is(fs.face("title").ps_name, SONG)
    assert _is(fs.face("hei").ps_name, HEI)
    assert _is(fs.face("kai").ps_name, KAI)


def test_licensed_font_wins(tmp_path, monkeypatch):
    """A licensed 仿宋_GB2312 found in a font folder comes before the free faces."""
    import zhongshu.render.fonts as fonts

    f = tmp_path / "FangSong_GB2312.ttf"
    f.write_bytes(b"")
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.setattr(fonts, "_LICENSED", None)
    chain = fonts.FontConfig().chain("fang")
    assert chain[0] == str(f) and chain[1].endswith("FandolFang-Regular.otf")
    own = fonts.FontConfig(fang="/x/mine.ttf").chain("fang")
    assert own[:2] == ("/x/mine.ttf", str(f))
