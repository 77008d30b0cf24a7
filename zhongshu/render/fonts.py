"""Fonts for the PDF: configurable files, free Debian fallbacks, per-character fallback.

reportlab embeds TrueType (``glyf``) fonts only.  CFF-based OpenType fonts (Noto CJK, Fandol) are
converted once with fontTools (cubic → quadratic outlines, ``cu2qu``) into a cache directory
(``$ZHONGSHU_FONT_DIR`` or ``./var/fonts``), restricted to the GB 2312 repertoire plus ASCII so
that the conversion takes seconds, not minutes.  A character outside every font of a role's chain
falls back, in order, to the other installed fonts and finally to a small on-demand conversion of
the Noto CJK glyphs the document needs; if no installed font has it at all it is replaced by the
geta mark 〓 (and reported in ``FontSet.missing``) — it never renders as an empty box.

Faces by role (GB/T 9704-2012 and the 条例 practice): body 仿宋 (``fang``), title 小标宋 (``title``,
a bold Song), 一级标题 and 密级/紧急程度 黑体 (``hei``), 二级标题 and 签发人 names 楷体 (``kai``), page
numbers 宋体 (``song``).  Order of preference for each role: the file given in ``FontConfig``;
licensed 方正/中易 fonts installed on the machine (``LICENSED`` file names under the usual font
folders); the free Debian faces of that style (Fandol from texlive-lang-chinese first: FandolFang,
FandolSong-Bold, FandolHei, FandolKai; then AR PL UKai, WenQuanYi Zen Hei); Noto CJK last.
Converted fonts keep their own family and PostScript names, so the PDF names the face it uses.

Debian packages used by the defaults: texlive-lang-chinese (Fandol), fonts-noto-cjk,
fonts-arphic-uming, fonts-arphic-ukai, fonts-wqy-zenhei.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .model import RenderError

ROLES = ("title", "fang", "hei", "kai", "song")
# Font names written into the DOCX (the user's Word/WPS has them).
DOCX_NAMES = {"title": "方正小标宋简体", "fang": "仿宋_GB2312", "hei": "黑体", "kai": "楷体_GB2312", "song": "宋体"}

_NOTO = "/usr/share/fonts/opentype/noto/"
_FANDOL = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/"
_UMING = "/usr/share/fonts/truetype/arphic/uming.ttc#0"
_UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc#0"
_WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0"
_NOTO_SERIF = _NOTO + "NotoSerifCJK-Regular.ttc#SC"
_NOTO_SERIF_BOLD = _NOTO + "NotoSerifCJK-Bold.ttc#SC"
_NOTO_SANS = _NOTO + "NotoSansCJK-Regular.ttc#SC"

DEFAULT_CHAINS: dict[str, tuple[str, ...]] = {
    "title": (_FANDOL + "FandolSong-Bold.otf", _NOTO_SERIF_BOLD, _UMING),
    "fang": (_FANDOL + "FandolFang-Regular.otf", _NOTO_SERIF, _UMING),
    "hei": (_FANDOL + "FandolHei-Regular.otf", _WQY, _NOTO_SANS),
    "kai": (_FANDOL + "FandolKai-Regular.otf", _UKAI, _NOTO_SERIF),
    "song": (_FANDOL + "FandolSong-Regular.otf", _NOTO_SERIF, _UMING),
}
# Licensed faces (方正, 中易) by file name, lower case; the first one found wins over the free ones.
LICENSED: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体.ttf", "方正小标宋_gbk.ttf", "fzxbsjw.ttf", "fzxbsjw--gb1-0.ttf", "fzxbsk.ttf"),
    "fang": ("仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "fzfsjw.ttf", "方正仿宋简体.ttf", "simfang.ttf", "仿宋.ttf"),
    "hei": ("黑体.ttf", "simhei.ttf", "fzhtjw.ttf", "方正黑体简体.ttf"),
    "kai": ("楷体_gb2312.ttf", "kaiti_gb2312.ttf", "fzktjw.ttf", "方正楷体简体.ttf", "simkai.ttf", "楷体.ttf"),
    "song": ("宋体.ttc", "simsun.ttc", "fzssjw.ttf", "方正书宋简体.ttf"),
}
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
LAST_RESORT = (_UMING, _WQY, _UKAI)
ON_DEMAND = (_NOTO_SERIF, _NOTO_SANS)
MISSING_MARK = "〓"
CACHE_VERSION = 2      # bump when the converted files change (2: the source's own names)


@dataclass(frozen=True)
class FontConfig:
    """Font files per role; ``None`` uses the free defaults.

    Each value is a path to a .ttf/.otf/.ttc file, optionally ``path#N`` for the N-th font of a
    collection.  Point them at licensed 方正小标宋简体 (title), 仿宋_GB2312 (fang), 黑体 (hei),
    楷体_GB2312 (kai), 宋体 (song, page numbers) files.
    """

    title: str | None = None
    fang: str | None = None
    hei: str | None = None
    kai: str | None = None
    song: str | None = None
    cache_dir: str | None = None

    def chain(self, role: str) -> tuple[str, ...]:
        own = getattr(self, role)
        return ((own,) if own else ()) + licensed_fonts().get(role, ()) + DEFAULT_CHAINS[role]


_LICENSED: dict[str, tuple[str, ...]] | None = None


def licensed_fonts() -> dict[str, tuple[str, ...]]:
    """Installed licensed font files per role, in ``LICENSED`` order (scanned once)."""
    global _LICENSED
    if _LICENSED is None:
        found: dict[str, str] = {}
        for d in FONT_DIRS:
            root = os.path.expanduser(d)
            for dirpath, _, files in os.walk(root):
                for f in files:
                    found.setdefault(f.lower(), os.path.join(dirpath, f))
        _LICENSED = {role: tuple(found[n] for n in names if n in found) for role, names in LICENSED.items()}
    return _LICENSED


def cache_dir(cfg: FontConfig) -> Path:
    return Path(cfg.cache_dir or os.environ.get("ZHONGSHU_FONT_DIR") or "var/fonts")


def _split(spec: str) -> tuple[str, str]:
    path, _, idx = spec.partition("#")
    return path, idx or "0"


def _gb2312() -> set[int]:
    s = set(range(0x20, 0x7F))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                s.add(ord(bytes([hi, lo]).decode("gb2312")))
    s.update(map(ord, "〔〕—…“”‘’·★●○～％（）《》〈〉【】"))
    return s


def _open_ft(path: str, idx: str):
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        coll = TTCollection(path, lazy=True)
        if idx.isdigit():
            return coll.fonts[int(idx)], int(idx)
        for i, f in enumerate(coll.fonts):
            if f["name"].getDebugName(4).endswith(f" {idx}") or f" {idx} " in f["name"].getDebugName(4) + " ":
                return f, i
        return coll.fonts[0], 0
    return TTFont(path, lazy=True), 0


def _is_truetype(path: str, idx: str) -> bool:
    f, _ = _open_ft(path, idx)
    return "glyf" in f


def convert_to_ttf(path: str, idx: str, unicodes: set[int], out: Path, family: str | None = None) -> Path:
    """Convert the CFF outlines of ``unicodes`` in font ``path`` to a TrueType file ``out``.

    The result keeps the source's family, style and PostScript names (``family`` overrides the
    family), so the PDF names the real face (e.g. FandolFang-Regular).
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    src, _ = _open_ft(path, idx)
    cmap = src.getBestCmap()
    gs = src.getGlyphSet()
    hmtx = src["hmtx"]
    cmap_out = {u: cmap[u] for u in unicodes if u in cmap}
    names = [".notdef"] + sorted(set(cmap_out.values()) - {".notdef"})
    glyphs, metrics = {}, {}
    for n in names:
        pen = TTGlyphPen(None)
        gs[n].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[n] = pen.glyph()
        metrics[n] = hmtx[n]
    upm = src["head"].unitsPerEm
    fb = FontBuilder(upm, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(cmap_out)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=src["hhea"].ascent, descent=src["hhea"].descent)
    names_src = src["name"]
    fam = family or names_src.getDebugName(1) or Path(path).stem
    style = names_src.getDebugName(2) or "Regular"
    ps = (names_src.getDebugName(6) or f"{fam}-{style}").replace(" ", "")
    if family:
        ps = f"{family}-{ps}"
    fb.setupNameTable({"familyName": fam, "styleName": style, "psName": ps,
                       "fullName": names_src.getDebugName(4) or f"{fam} {style}"})
    os2 = src["OS/2"]
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent, fsType=0)
    fb.setupPost()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    fb.save(str(tmp))
    tmp.replace(out)
    return out


@dataclass
class _Face:
    name: str          # reportlab font name
    cmap: dict
    widths: dict
    default_width: float
    ascent: float      # fraction of the em
    descent: float     # fraction of the em, positive
    file: str = ""     # the font file spec it draws from
    ps_name: str = ""  # the PostScript name the PDF shows


@dataclass
class FontSet:
    """The fonts of one FontConfig, registered with reportlab."""

    config: FontConfig
    chains: dict[str, list[_Face]] = field(default_factory=dict)
    fallback: list[_Face] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    _extra: dict[str, _Face | None] = field(default_factory=dict)

    def face(self, role: str) -> _Face:
        return self.chains[role][0]

    def runs(self, text: str, role: str) -> list[tuple[_Face, str]]:
        """Split ``text`` into runs of one face each, falling back per character."""
        out: list[tuple[_Face, str]] = []
        chain = self.chains[role]
        primary = chain[0].cmap
        for ch in text:
            o = ord(ch)
            if o in primary:
                f = chain[0]
            else:
                found = self._find(ch, chain)
                if found is None:
                    self.missing.add(ch)
                    ch = MISSING_MARK
                    found = self._find(ch, chain) or chain[0]
                f = found
            if out and out[-1][0] is f:
                out[-1] = (f, out[-1][1] + ch)
            else:
                out.append((f, ch))
        return out

    def width(self, ch: str, role: str) -> float:
        """Advance of ``ch`` in ems in the face that will draw it."""
        chain = self.chains[role]
        o = ord(ch)
        w = chain[0].widths.get(o)
        if w is not None:
            return w / 1000
        f = self._find(ch, chain)
        if f is None:
            return 1.0
        return f.widths.get(o, f.default_width) / 1000

    def _find(self, ch: str, chain: list[_Face]) -> _Face | None:
        o = ord(ch)
        for f in chain:
            if o in f.cmap:
                return f
        for f in self.fallback:
            if o in f.cmap:
                return f
        if ch not in self._extra:
            self._extra[ch] = _on_demand(self.config, ch)
        return self._extra[ch]


_LOCK = threading.Lock()
_SETS: dict[FontConfig, FontSet] = {}
_FACES: dict[str, _Face] = {}


def font_set(cfg: FontConfig | None = None) -> FontSet:
    """The (cached) FontSet of ``cfg``; builds converted fonts on first use."""
    cfg = cfg or FontConfig()
    with _LOCK:
        fs = _SETS.get(cfg)
        if fs is None:
            fs = FontSet(cfg)
            for role in ROLES:
                faces = [f for spec in cfg.chain(role) if (f := _load(spec, cfg, required=spec == getattr(cfg, role)))]
                if not faces:
                    raise RenderError(f"找不到“{role}”字体：请安装 fonts-noto-cjk、fonts-arphic-uming 等字体包，"
                                      f"或在 FontConfig 中指定字体文件", "fonts")
                fs.chains[role] = faces
            fs.fallback = [f for spec in LAST_RESORT if (f := _load(spec, cfg))]
            _SETS[cfg] = fs
        return fs


def _load(spec: str, cfg: FontConfig, *, required: bool = False) -> _Face | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if spec in _FACES:
        return _FACES[spec]
    path, idx = _split(spec)
    if not os.path.exists(path):
        if required:
            raise RenderError(f"字体文件不存在：{path}", "fonts")
        return None
    try:
        if _is_truetype(path, idx):
            f, sub = _open_ft(path, idx)
            file, sub_index = Path(path), sub
        else:
            key = f"{os.path.abspath(path)}#{idx}#{os.path.getmtime(path)}#{CACHE_VERSION}"
            digest = hashlib.sha256(key.encode()).hexdigest()[:10]
            file = cache_dir(cfg) / f"{Path(path).stem}-{idx}-gb2312-{digest}.ttf"
            if not file.exists():
                convert_to_ttf(path, idx, _gb2312(), file)
            sub_index = 0
        name = "ZS" + hashlib.sha256(spec.encode()).hexdigest()[:8]
        tt = TTFont(name, str(file), subfontIndex=sub_index)
    except RenderError:
        raise
    except Exception as e:
        if required:
            raise RenderError(f"无法读取字体文件 {path}：{e}", "fonts")
        return None
    pdfmetrics.registerFont(tt)
    face = tt.face
    ps = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    out = _Face(name=name, file=spec, ps_name=ps, cmap=face.charToGlyph, widths=face.charWidths,
                default_width=face.defaultWidth, ascent=face.ascent / 1000, descent=-face.descent / 1000)
    _FACES[spec] = out
    return out


def _on_demand(cfg: FontConfig, ch: str) -> _Face | None:
    """A one-glyph TrueType converted from Noto CJK for a rare character (cached on disk)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for spec in ON_DEMAND:
        path, idx = _split(spec)
        if not os.path.exists(path):
            continue
        try:
            src, _ = _open_ft(path, idx)
            if ord(ch) not in src.getBestCmap():
                continue
            key = f"{Path(path).stem}-u{ord(ch):X}"
            file = cache_dir(cfg) / "extra" / f"{key}.ttf"
            if not file.exists():
                convert_to_ttf(path, idx, {ord(ch)}, file, "ZSExtra")
            tt = TTFont("ZSX" + key, str(file))
        except Exception as e:  # a broken system font must not stop the render; try the next one
            logging.getLogger(__name__).warning("on-demand glyph from %s failed: %s", path, e)
            continue
        pdfmetrics.registerFont(tt)
        face = tt.face
        return _Face(name=tt.fontName, cmap=face.charToGlyph, widths=face.charWidths,
                     default_width=face.defaultWidth, ascent=face.ascent / 1000, descent=-face.descent / 1000)
    return None
