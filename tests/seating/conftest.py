"""The PDF tests need the free CJK fonts (as tests/render); without them those tests are skipped, saying so."""

import os

import pytest

from zhongshu.render.fonts import DEFAULT_CHAINS, LAST_RESORT


def _available(spec: str) -> bool:
    return os.path.exists(spec.split("#", 1)[0])


FONTS_OK = any(_available(s) for s in DEFAULT_CHAINS["fang"]) and any(_available(s) for s in LAST_RESORT)

needs_fonts = pytest.mark.skipif(
    not FONTS_OK,
    reason="座次图测试已跳过：未找到中文字体（sudo apt-get install texlive-lang-chinese fonts-noto-cjk fonts-arphic-uming）")
