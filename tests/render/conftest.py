"""Renderer tests need the free CJK fonts from Debian (see README); without them they are skipped, saying so."""

import os

import pytest

from zhongshu.render.fonts import DEFAULT_CHAINS, LAST_RESORT


def _available(spec: str) -> bool:
    return os.path.exists(spec.split("#", 1)[0])


FONTS_OK = any(_available(s) for s in DEFAULT_CHAINS["fang"]) and any(_available(s) for s in LAST_RESORT)


def pytest_collection_modifyitems(config, items):
    if FONTS_OK:
        return
    skip = pytest.mark.skip(
        reason="排版测试已跳过：未找到中文字体（sudo apt-get install texlive-lang-chinese fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei）"
    )
    for item in items:
        if str(item.fspath).startswith(os.path.dirname(__file__)):
            item.add_marker(skip)
