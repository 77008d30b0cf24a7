"""Number and date checks (GB/T 15835-2011, GB/T 9704-2012 for 成文日期)."""
from __future__ import annotations

from .model import rule
from .text import HAN, Ctx, _rx

R_DATE_ZERO = rule("date-leading-zero", "number", "日期中的月、日不加前导零")
R_DATE_HAO = rule("date-hao", "number", "公文中日期用“日”不用“号”")
R_YEAR_SHORT = rule("year-short", "number", "年份不能简写")
R_DATE_NUMERIC = rule("date-numeric", "number", "正文中的日期应写作“××××年×月×日”")
R_DATE_SIGNING = rule("date-signing", "number", "成文日期应使用阿拉伯数字")
R_YEAR_ZERO = rule("year-zero-char", "number", "汉字数字年份中的零应写作“〇”")
R_QIAN_BAI = rule("qian-bai-unit", "number", "阿拉伯数字后不用“千”“百”作单位")
R_PERCENT_CN = rule("percent-chinese", "number", "百分数不应汉字与阿拉伯数字混用")
R_WAN_YI = rule("wan-yi-split", "number", "“万”“亿”不能拆开使用")
R_DECIMAL_ZERO = rule("decimal-zero", "number", "小数点前缺少“0”")
R_PERCENT_RANGE = rule("percent-range", "number", "百分数范围前后的“%”都不能省略")
R_MIXED_DATE = rule("mixed-date-style", "number", "同一段落中日期的数字形式不统一", "warning")

_DATE_RE = _rx(r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})[日号])?")
_MD_RE = _rx(r"(0[1-9])月(?=\d{1,2}[日号])|月(0[1-9])[日号]")
_HAO_RE = _rx(
    r"月(\d{1,2})号(?!楼|院|馆|线|门|台|机|文|令|公告|厅|车|码|字|店|库|位|房|馆|室|场|桩|井|口|窗|组)"
)
_YEAR_SHORT_RE = _rx(r"(\d{2})年(?=\d{1,2}月|[上下]半年|度|底|初)")
_DURATION_BEFORE = ("近", "连续", "满", "达", "历时", "长达", "超过", "每", "用", "约", "逾")
# At the start of a sentence "24年以来" / "26年全市……" is a year, not a duration.
_YEAR_SHORT_START_RE = _rx(r"(\d{2})年(?![来间多前后内里的时半月度底初])")
_SENTENCE_START = frozenset("\n。；！？")
_YEAR_SHORT_CN_RE = _rx(r"([〇一二三四五六七八九零○])([〇一二三四五六七八九零○])年(?![级龄代])")
_CN_NUM_BEFORE = frozenset("〇一二三四五六七八九十百千万零○第几")
_DOTTED_RE = _rx(
    r"((?:19|20)\d{2})([./])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?![\d.])"
)
_ISO_RE = _rx(r"((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d\-])")
_CN_DATE_LINE_RE = _rx(
    r"^[ \t\u3000]*((二[〇○零O0][〇○零O0一二三四五六七八九]{2})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日)(印发)?[ \t\u3000]*$"
)
_CN_YEAR_RE = _rx(r"[一二][〇○零O0一二三四五六七八九]{3}年")
_ARABIC_LINE_DATE_RE = _rx(r"^[ \t\u3000]*((?:19|20)\d{2})-(\d{2})-(\d{2})[ \t\u3000]*$")
_ORG_END = tuple("局委办府会厅部院司署处所站队室中心公司校行社团")


def _cn_to_int(s: str) -> int:
    d = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" in s:
        a, _, b = s.partition("十")
        return (d[a] if a else 1) * 10 + (d[b] if b else 0)
    v = 0
    for c in s:
        v = v * 10 + d[c]
    return v


def _check_dates(ctx: Ctx) -> None:
    t = ctx.text
    if "月0" in t or "年0" in t:
        for m in _DATE_RE.finditer(t):
            for g in (2, 3):
                v = m.group(g)
                if v and v.startswith("0"):
                    ctx.add(R_DATE_ZERO, m.start(g), m.end(g), "日期中的月、日不加“0”", v.lstrip("0"))
        for m in _MD_RE.finditer(t):
            g = 1 if m.group(1) else 2
            if g == 1 and m.start() > 0 and (t[m.start() - 1] == "年" or t[m.start() - 1].isdigit()):
                continue
            if g == 2 and not (m.start() > 0 and t[m.start() - 1].isdigit()):
                continue
            if g == 2 and _DATE_RE.search(t, max(0, m.start() - 10), m.end()):
                continue  # already reported with its year
            ctx.add(R_DATE_ZERO, m.start(g), m.end(g), "日期中的月、日不加“0”", m.group(g).lstrip("0"))
    if "号" in t:
        for m in _HAO_RE.finditer(t):
            if not (m.start() > 0 and "0" <= t[m.start() - 1] <= "9"):
                continue
            ctx.add(R_DATE_HAO, m.end(1), m.end(), "公文中日期应使用“日”，不用“号”", "日")
    if "年" in t:
        for m in _YEAR_SHORT_RE.finditer(t):
            a = m.start()
            if a and (t[a - 1] in "0123456789〔[［【(（.-/" or t[max(0, a - 2):a].endswith(_DURATION_BEFORE)):
                continue
            if a and t[a - 1] in "'’‘":
                a -= 1
            y = m.group(1)
            ctx.add(R_YEAR_SHORT, a, m.end(1), "年份应写全称，不能简写", "20" + y)
        for m in _YEAR_SHORT_START_RE.finditer(t):
            k = m.start()
            while k > 0 and t[k - 1] in " \t\u3000":
                k -= 1
            if k > 0 and t[k - 1] not in _SENTENCE_START:
                continue
            ctx.add(R_YEAR_SHORT, m.start(1), m.end(1), "年份应写全称，不能简写", "20" + m.group(1))
        for m in _YEAR_SHORT_CN_RE.finditer(t):
            if m.start() and t[m.start() - 1] in _CN_NUM_BEFORE:
                continue
            ya, yb = m.group(1), m.group(2)
            da, db = "〇一二三四五六七八九零○".find(ya) % 10, "〇一二三四五六七八九零○".find(yb) % 10
            if db == da + 1:
                continue  # 三四年: an approximate number, not a year
            ctx.add(R_YEAR_SHORT, m.start(), m.end(2), "年份应写全称，不能简写", None)
    if "." in t or "/" in t:
        for m in _DOTTED_RE.finditer(t):
            if m.start() and t[m.start() - 1] in "0123456789.":
                continue
            if not ctx.is_prose_line_at(m.start()):
                continue
            y, _, mo, d = m.groups()
            ctx.add(R_DATE_NUMERIC, m.start(), m.end(), "正文中的日期应写作“××××年×月×日”",
                    f"{y}年{int(mo)}月{int(d)}日")
    if "-" in t:
        for m in _ISO_RE.finditer(t):
            if m.start() and t[m.start() - 1] in "0123456789-":
                continue
            # All-numeric dates are fine in tables; in running text they are not.
            if not ctx.is_prose_line_at(m.start()):
                continue
            y, mo, d = m.groups()
            ctx.add(R_DATE_NUMERIC, m.start(), m.end(), "全数字日期只用于表格等，正文中应写作“××××年×月×日”",
                    f"{y}年{int(mo)}月{int(d)}日")
    _check_signing_dates(ctx)


def _prev_nonblank(ctx: Ctx, idx: int) -> str:
    for k in range(idx - 1, max(-1, idx - 4), -1):
        s = ctx.lines[k][1].strip(" \t\u3000")
        if s:
            return s
    return ""


def _check_signing_dates(ctx: Ctx) -> None:
    t = ctx.text
    has_cn = "年" in t and any(c in t for c in "〇○零")
    has_iso = "-" in t
    if not has_cn and not has_iso:
        return
    for idx, (off, line) in enumerate(ctx.lines):
        if has_cn and "日" in line:
            m = _CN_DATE_LINE_RE.match(line)
            if m:
                try:
                    sug = f"{_cn_to_int(m.group(2).translate(_ZERO_TR))}年{_cn_to_int(m.group(3))}月{_cn_to_int(m.group(4))}日"
                except (KeyError, ValueError):
                    sug = None
                ctx.add(R_DATE_SIGNING, off + m.start(1), off + m.end(1),
                        "成文日期、印发日期应使用阿拉伯数字，如“2026年11月23日”", sug)
                continue
        if has_iso and "-" in line:
            m = _ARABIC_LINE_DATE_RE.match(line)
            if m and _prev_nonblank(ctx, idx).endswith(_ORG_END):
                y, mo, d = m.groups()
                ctx.add(R_DATE_SIGNING, off + m.start(1), off + m.end(3),
                        "成文日期应写作“××××年×月×日”", f"{y}年{int(mo)}月{int(d)}日")
    if has_cn and any(c in t for c in "○零O0"):
        for m in _CN_YEAR_RE.finditer(t):
            s = m.group()
            if not any(c in s for c in "○零O0"):
                continue
            _, line = ctx.line_of(m.start())
            if _CN_DATE_LINE_RE.match(line):
                continue
            for k, c in enumerate(s):
                if c in "○零O0":
                    ctx.add(R_YEAR_ZERO, m.start() + k, m.start() + k + 1, "汉字数字年份中的“零”应写作“〇”", "〇")


_ZERO_TR = str.maketrans({"○": "〇", "零": "〇", "O": "〇", "0": "〇"})

_QB_RE = _rx(r"(?<![\d.])(\d+(?:\.\d+)?)([千百])(?![米克瓦伏帕卡赫兆分年])")
_PCT_CN_RE = _rx(r"百分之(\d+(?:\.\d+)?)")
_WAN_YI_RE = _rx(r"(?<![\d.])(\d+)(亿|万)(\d+)(万|千)(?![\d.])")
_DECIMAL_RE = _rx(r"(?<![\w.．])\.(\d+)(?![年月日号时])(?=%|[" + HAN + r"])")
_PCT_RANGE_RE = _rx(r"(?<![\d.%])(\d+(?:\.\d+)?)([～~—－\-至到])(\d+(?:\.\d+)?)[%％]")


def _fmt(v: float) -> str:
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return s


def _check_amounts(ctx: Ctx) -> None:
    t = ctx.text
    if "千" in t or "百" in t:
        for m in _QB_RE.finditer(t):
            if m.group(2) == "百" and t.startswith("分", m.end()):
                continue
            mult = 1000 if m.group(2) == "千" else 100
            v = float(m.group(1)) * mult
            sug = _fmt(v) if abs(v - round(v)) < 1e-9 else None
            ctx.add(R_QIAN_BAI, m.start(), m.end(), f"阿拉伯数字后不用“{m.group(2)}”作单位，应写作阿拉伯数字或全用汉字", sug)
    if "百分之" in t:
        for m in _PCT_CN_RE.finditer(t):
            ctx.add(R_PERCENT_CN, m.start(), m.end(), "百分数应写作阿拉伯数字加“%”", m.group(1) + "%")
    if "亿" in t or "万" in t:
        for m in _WAN_YI_RE.finditer(t):
            a, u1, b, u2 = m.groups()
            if (u1, u2) == ("亿", "万"):
                sug = _fmt(int(a) + int(b) / 10000) + "亿" if len(b) <= 4 else None
            elif (u1, u2) == ("万", "千"):
                sug = _fmt(int(a) + int(b) / 10) + "万" if len(b) == 1 else None
            else:
                continue
            ctx.add(R_WAN_YI, m.start(), m.end(), "“万”“亿”不能拆开使用，应写作一个数", sug)
    if "." in t:
        for m in _DECIMAL_RE.finditer(t):
            ctx.add(R_DECIMAL_ZERO, m.start(), m.end(1), "小数点前应加“0”", "0." + m.group(1))
    if "%" in t or "％" in t:
        for m in _PCT_RANGE_RE.finditer(t):
            if m.group(2) in "-－" and not ctx.is_prose_line_at(m.start()):
                pass
            ctx.add(R_PERCENT_RANGE, m.start(1), m.end(1), "表示百分数范围时，前后两个“%”都不能省略", m.group(1) + "%")


_AR_DATE_RE = _rx(r"(?:19|20)\d{2}年\d{1,2}月")
_CN_FULL_DATE_RE = _rx(r"[一二][〇○零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月")


def _check_mixed(ctx: Ctx) -> None:
    t = ctx.text
    if "年" not in t or not _CN_FULL_DATE_RE.search(t):
        return
    for off, line in ctx.lines:
        ar = list(_AR_DATE_RE.finditer(line))
        cn = list(_CN_FULL_DATE_RE.finditer(line))
        if not ar or not cn:
            continue
        minority = cn if len(cn) <= len(ar) else ar
        for m in minority:
            ctx.add(R_MIXED_DATE, off + m.start(), off + m.end(),
                    "同一段落中日期应统一使用阿拉伯数字或汉字数字", None)


def check(ctx: Ctx) -> None:
    """Run every number/date check over ``ctx``."""
    _check_dates(ctx)
    _check_amounts(ctx)
    _check_mixed(ctx)


__all__ = ["check"]
