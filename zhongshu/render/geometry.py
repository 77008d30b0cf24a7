"""GB/T 9704-2012 page geometry, in PostScript points measured from the top-left corner.

Values marked (unconf) in /work/shared/spec/gongwen-format.md are fields of ``Geometry`` so that
an organisation can change them; the confirmed ones are constants.
"""
from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4

PAGE_W = 210 * MM
PAGE_H = 297 * MM
TOP = 37 * MM            # 天头 (conf)
LEFT = 28 * MM           # 订口 (conf)
AREA_W = 156 * MM        # 版心 width (conf)
AREA_H = 225 * MM        # 版心 height (conf)
BOTTOM = TOP + AREA_H    # bottom edge of the type area, from the page top
RIGHT = LEFT + AREA_W
LINES = 22               # lines per page (conf)
CHARS = 28               # characters per line (conf)
PITCH = AREA_H / LINES   # ≈ 28.95 pt line pitch (calc)
CELL = AREA_W / CHARS    # ≈ 15.79 pt character grid (calc)

# Chinese type sizes in pt.
SIZE = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
        "四号": 14, "小四": 12, "五号": 10.5}
BODY_PT = 16.0           # 3号
TITLE_PT = 22.0          # 2号
SMALL_PT = 14.0          # 4号: 版记, 页码

RED = (1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Geometry:
    """Settings the standard leaves open (unconf in the spec): change per organisation."""

    # 发文机关标志: size and horizontal scale are the organ's choice (GB/T 9704 7.2.4: 醒目、美观、庄重).
    mark_pt: float = 60.0                 # (unconf)
    mark_hscale: float = 0.75             # (unconf) tall, narrow characters as in printed red heads
    order_mark_pt: float = 60.0           # (unconf) 命令（令）标志
    minutes_mark_pt: float = 52.0         # (unconf) 纪要标志
    letter_mark_pt: float = 40.0          # (unconf) 信函标志
    red_rule_mm: float = 0.5              # (unconf) red separator thickness, 0.35–0.5 mm common
    colophon_thick_mm: float = 0.35       # 版记 first/last lines (recommended value)
    colophon_thin_mm: float = 0.25        # 版记 middle lines (recommended value)
    letter_thick_mm: float = 0.8          # (unconf) 信函 double line, thick part
    letter_thin_mm: float = 0.3           # (unconf) 信函 double line, thin part
    letter_gap_mm: float = 0.8            # (unconf) gap between the two lines of a 信函 double line
    seal_mm: float = 42.0                 # (unconf) seal diameter: set by the organ's seal, 42 mm common
    # Blank pages before the 版记 page and the 版记 page itself carry no number (unconf).
    number_colophon_page: bool = True     # (unconf) True: number the 版记 page unless a blank page precedes it
    colophon_on_even_page: bool = False   # (unconf) True: add a blank page so the 版记 is on a back page


DEFAULT_GEOMETRY = Geometry()


def line_top(i: float) -> float:
    """Top of grid line ``i`` (0-based) of the type area."""
    return TOP + i * PITCH


def baseline(i: float, size: float = BODY_PT, ascent: float = 0.88, descent: float = 0.12) -> float:
    """Baseline of grid line ``i`` for a font of ``size``: the em box centred in the line."""
    return line_top(i) + (PITCH - size * (ascent + descent)) / 2 + size * ascent
