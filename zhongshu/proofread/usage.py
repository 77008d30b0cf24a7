"""Usage checks: preferred forms in official text, redundant phrasing, banned terms."""
from __future__ import annotations

import re
from functools import lru_cache

from .model import rule
from .text import HAN, Ctx, _rx

R_PREFERRED = rule("preferred-form", "usage", "公文规范用词")
R_REDUNDANT = rule("redundant", "usage", "语义重复", "warning")
R_BANNED = rule("banned-term", "usage", "敏感或禁用表述")

_ZUOCHU_OBJ = (
    "决定|决策|部署|规定|安排|贡献|批示|指示|判断|评价|解释|答复|回答|承诺|努力|处理|处分|调整|选择|"
    "让步|结论|论断|说明|保证|规划|修改|修订|反应|回应|回复|表态|结论|鉴定|裁决|裁定|决议|指导|检讨|牺牲"
)
# (regex, message, replacement for the whole match or a callable, rule)
_PREFERRED = [
    (r"做出(?=(?:了|过)?(?:重大|重要|新的|积极|突出|明确|具体|科学|正确|相应|有关|全面)?(?:" + _ZUOCHU_OBJ + "))",
     "“作出”用于决定、部署、贡献等抽象事物，公文中应写作“作出”", "作出"),
    (r"截止(?:到)?(?=(?:19|20)\d{2}年|\d{1,2}月|目前|今年|去年|本月|上月|本年|当前|发稿|年底|年末|上半年|一季度|二季度|三季度|前三季度)",
     "表示时间点应用“截至”", "截至"),
    (r"其它", "公文中应统一使用“其他”", "其他"),
    (r"(?<=(?<![应相理正每])当)做(?=头等|重要|一项|一种|一个|自己的|是|为)|(?<=看)做(?=一项|一种|一个|是|为)",
     "“当作”“看作”宜用“作”", "作"),
    (r"启用(?=印章)|起用(?=印章|新印章)", None, None),
]
_REDUNDANT = [
    (r"凯旋归来", "“凯旋”即胜利归来，“归来”多余", "凯旋"),
    (r"悬殊很大|悬殊较大", "“悬殊”本义即相差很大", "悬殊"),
    (r"免费赠送", "“赠送”即不收费", "赠送"),
    (r"涉及到", "“涉及”后不必加“到”", "涉及"),
    (r"截至到", "“截至”后不必加“到”", "截至"),
    (r"亲眼目睹", "“目睹”即亲眼看到", "目睹"),
    (r"再次重申", "“重申”即再次申述", "重申"),
    (r"最后结束", "“结束”即最后", "结束"),
    (r"首先第一", "语义重复", "首先"),
    (r"(?<=[\d一二三四五六七八九十百千万])余多(?=[" + HAN + r"])", "“余”“多”语义重复，保留其一", "余"),
    (r"(?<=[大约])约?(?=[\d一二三四五六七八九十百千万.]+[" + HAN + r"]{0,3}左右)", None, None),
    (r"至今为止", "“至今”即“到现在为止”，可写作“迄今为止”或“至今”", "迄今为止"),
    (r"过分溺爱", "“溺爱”即过分宠爱", "溺爱"),
    (r"忍俊不禁地笑", "“忍俊不禁”即忍不住笑", "忍俊不禁"),
    (r"互相交流|相互交流", None, None),
    (r"独自一人", "语义重复", "独自"),
    (r"共同协商", None, None),
    (r"广泛普及", None, None),
    (r"目前现在|现在目前", "语义重复", "目前"),
    (r"必须要(?!求)", "“必须”后不必加“要”", "必须"),
    (r"(?<=超过)[\d.]+[" + HAN + r"]{0,4}以上", None, None),
]
_APPROX_LEFT = _rx(r"(?:大约|约|近|接近)([\d.一二三四五六七八九十两半百千]+(?:万|亿)?[" + HAN + r"]{0,3}?)左右")
_OVER_ABOVE = _rx(r"超过([\d.]+(?:万|亿)?[" + HAN + r"]{0,3}?)以上")


def _compile(table):
    items = [(_rx(p), msg, rep) for p, msg, rep in table if msg]
    return items


_PREF_C = _compile(_PREFERRED)
_RED_C = _compile(_REDUNDANT)
_PREF_TRIGGERS = ("做", "截止", "其它")
_RED_TRIGGERS = ("凯旋", "悬殊", "赠送", "涉及到", "截至到", "目睹", "重申", "结束", "首先", "余多",
                 "为止", "溺爱", "忍俊", "独自", "目前", "现在", "必须要", "大约")


@lru_cache(maxsize=64)
def _banned_re(terms: tuple[tuple[str, str | None], ...]):
    if not terms:
        return None, {}
    mapping = {t: r for t, r in terms if t}
    pat = _rx("|".join(re.escape(t) for t in sorted(mapping, key=len, reverse=True)))
    return pat, mapping


def check(ctx: Ctx) -> None:
    """Preferred forms, redundant phrasing, and the organisation's banned terms."""
    t = ctx.text
    if any(x in t for x in _PREF_TRIGGERS):
        for rx, msg, rep in _PREF_C:
            for m in rx.finditer(t):
                ctx.add(R_PREFERRED, m.start(), m.end(), msg, rep)
    if any(x in t for x in _RED_TRIGGERS):
        for rx, msg, rep in _RED_C:
            for m in rx.finditer(t):
                ctx.add(R_REDUNDANT, m.start(), m.end(), msg, rep)
    if "左右" in t:
        for m in _APPROX_LEFT.finditer(t):
            a = m.end(1)
            ctx.add(R_REDUNDANT, a, m.end(), "表示约数时“约”“近”与“左右”不宜同时使用，保留其一", "")
    if "以上" in t and "超过" in t:
        for m in _OVER_ABOVE.finditer(t):
            a = m.end(1)
            ctx.add(R_REDUNDANT, a, m.end(), "“超过”与“以上”语义重复，保留其一", "")
    pat, mapping = _banned_re(ctx.banned)
    if pat is not None:
        for m in pat.finditer(t):
            rep = mapping[m.group()]
            msg = f"“{m.group()}”属于本单位设定的敏感或禁用表述" + (f"，建议改为“{rep}”" if rep else "")
            ctx.add(R_BANNED, m.start(), m.end(), msg, rep)
