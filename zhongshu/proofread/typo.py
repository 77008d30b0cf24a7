"""Typo checks: the curated confusion list, doubled characters/words, 的/地/得,
and (in :mod:`.stat`) the statistical detector for misspellings not on the list."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import context, stat
from .model import rule
from .text import HAN, Ctx, _rx

R_CONFUSION = rule("confusion", "typo", "常见错别字")
R_DOUBLED_CHAR = rule("doubled-char", "typo", "字符重复")
R_DOUBLED_WORD = rule("doubled-word", "typo", "词语重复")
R_DE = rule("de-di-de", "typo", "“的”“地”“得”误用")
R_STAT = rule("statistical", "typo", "疑似错别字（统计检测）", "warning")
R_CONTEXT = rule("context", "typo", "疑似错别字（语境检测）", "warning")

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Entry:
    wrong: str
    right: str
    a: int  # differing region inside the match: [a, len(wrong) - b)
    b: int
    exceptions: tuple[tuple[str, int], ...]  # (context word, offset of `wrong` in it)
    guarded: bool  # two-character entries check their neighbours (see _guard_ok)


def _diff(w: str, r: str) -> tuple[int, int]:
    a = 0
    while a < min(len(w), len(r)) and w[a] == r[a]:
        a += 1
    b = 0
    while b < min(len(w), len(r)) - a and w[-1 - b] == r[-1 - b]:
        b += 1
    return a, b


def parse_confusions(text: str) -> list[tuple[str, str, list[str], bool]]:
    """Parse the list format: ``wrong right [!exception ...] [*]`` one entry per line."""
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"bad confusion line: {raw!r}")
        wrong, right = parts[0], parts[1]
        exc = [p[1:] for p in parts[2:] if p.startswith("!")]
        sure = "*" in parts[2:]
        out.append((wrong, right, exc, sure))
    return out


@lru_cache(maxsize=1)
def raw_confusions() -> list[tuple[str, str, list[str], bool]]:
    data = resources.files(__package__).joinpath("data/confusions.txt").read_text(encoding="utf-8")
    return parse_confusions(data)


class ConfusionMatcher:
    """Dictionary lookup keyed by the first two characters of each wrong form."""

    def __init__(self, entries, auto_exceptions: dict[str, list[str]]):
        index: dict[str, list[Entry]] = {}
        for wrong, right, exc, sure in entries:
            excs = []
            for e in list(exc) + auto_exceptions.get(wrong, []):
                k = e.find(wrong)
                if k >= 0:
                    excs.append((e, k))
            a, b = _diff(wrong, right)
            ent = Entry(wrong, right, a, b, tuple(excs), len(wrong) == 2 and not sure)
            index.setdefault(wrong[:2], []).append(ent)
        for lst in index.values():
            lst.sort(key=lambda e: -len(e.wrong))
        self.index = index

    def find(self, t: str, words: dict[str, int]):
        """Yield (start, end, entry) for each confusion found in ``t``."""
        index = self.index
        get = index.get
        last_end = -1
        # One slice and one dict probe per position: faster than a 1,000-way regex alternation.
        for i in range(len(t) - 1):
            lst = get(t[i:i + 2])
            if lst is None or i < last_end:
                continue
            for e in lst:
                w = e.wrong
                if not t.startswith(w, i):
                    continue
                if e.exceptions and any(t.startswith(ctxw, i - k) for ctxw, k in e.exceptions if i - k >= 0):
                    continue
                if e.guarded and not _guard_ok(t, i, w, words):
                    continue
                last_end = i + len(w)
                yield i, i + len(w), e
                break


def _guard_ok(t: str, i: int, w: str, words: dict[str, int]) -> bool:
    # A two-character wrong form can arise across a word boundary ("以经济" = 以 + 经济):
    # skip it when either character forms a common word with its outer neighbour.
    if i > 0 and words.get(t[i - 1] + w[0], 0) >= 200:
        return False
    j = i + len(w)
    return not (j < len(t) and words.get(w[1] + t[j], 0) >= 200)


@lru_cache(maxsize=1)
def matcher() -> ConfusionMatcher:
    with _LOCK:
        entries = raw_confusions()
        lex = stat.detector()
        return ConfusionMatcher(entries, lex.auto_exceptions)


def check_confusions(ctx: Ctx) -> None:
    t = ctx.text
    words = stat.detector().words
    for i, j, e in matcher().find(t, words):
        a = i + e.a
        b = j - e.b
        sug = e.right[e.a:len(e.right) - e.b]
        ctx.add(R_CONFUSION, a, b, f"疑为错别字，应为“{e.right}”", sug)


# Characters that never legitimately repeat inside a word in official prose.
_DOUBLE_OK = {"了了", "是是", "的的", "对对", "在在", "和和", "有有", "要要"}
_DBL_CHAR_RE = _rx(r"([" + HAN + r"])\1")
_DBL_WORD_RE = _rx(r"([" + HAN + r"]{2,4})\1")
# Verbs whose ABAB reduplication is normal ("研究研究"), and ABAB idioms.
_ABAB_OK = frozenset(["研究", "讨论", "商量", "考虑", "学习", "休息", "检查", "活动", "锻炼", "比较", "打扫", "整理", "收拾", "了解", "交流", "体验", "清理", "琢磨", "分析", "总结", "思考", "认识", "介绍", "说明", "调查", "沟通", "议论", "表扬", "批评", "研讨", "分享", "热闹", "高兴", "快乐", "轻松", "溜达", "走走", "看看", "说说", "多少", "一点", "一些",
                      "恭喜", "欢迎", "加油", "拜托", "谢谢", "再见"])
_CN_NUM = frozenset("〇一二三四五六七八九十百千万亿两几")


def check_doubled(ctx: Ctx) -> None:
    t = ctx.text
    words = stat.detector().words
    seen: set[int] = set()
    for m in _DBL_WORD_RE.finditer(t):
        u = m.group(1)
        if u in _ABAB_OK or u[0] in _CN_NUM or words.get(u, 0) < 50 or u[0] == u[1]:
            continue
        i, j = m.start(), m.end()
        # "……要求要求……" only when the pair is not explained by the neighbours.
        if i > 0 and words.get(t[i - 1] + u[0], 0) >= 100 and words.get(u, 0) < 1000:
            continue
        seen.update(range(i, j))
        ctx.add(R_DOUBLED_WORD, m.start() + len(u), m.end(), f"词语“{u}”重复", "")
    for m in _DBL_CHAR_RE.finditer(t):
        i = m.start()
        if i in seen:
            continue
        c = m.group(1)
        pair = c + c
        if words.get(pair, 0) > 0 or c in _CN_NUM:
            continue  # 人人, 天天, 常常 ... are words
        j = i + 2
        # Part of a longer word (的的确确, 是是非非, 不了了之)?
        if words.get(t[i:i + 4], 0) or (i > 0 and words.get(t[i - 1:i + 3], 0)) or (
            i > 1 and words.get(t[i - 2:i + 2], 0)) or (i > 0 and words.get(t[i - 1:i + 2], 0)):
            continue
        # Boundary doubling: 目的的 (目的 + 的), 对对方 (对 + 对方).
        if i > 0 and words.get(t[i - 1] + c, 0) >= 20:
            continue
        if j < len(t) and words.get(c + t[j], 0) >= 20:
            continue
        if pair not in _DOUBLE_OK and c not in _FUNCTION_CHARS:
            continue
        ctx.add(R_DOUBLED_CHAR, i + 1, j, f"“{c}”字重复", "")


_FUNCTION_CHARS = frozenset("的了在是和与及将把被对从向于为以地得也都就而且并或但其之所该此各本")

_ADV = ("认真|积极|切实|坚决|扎实|深入|不断|稳步|大力|主动|及时|依法|妥善|迅速|尽快|进一步|逐步|持续|"
        "全力|努力|严格|有序|有力|高效|统筹|精准|科学|广泛|充分|全面|密切")
_VERB = ("推进|开展|落实|做好|抓好|贯彻|执行|解决|处理|完成|推动|加强|提高|提升|实施|整改|防范|化解|应对|"
         "查处|纠正|履行|配合|回应|抓紧|做实|推广|整治|排查|部署|宣传|组织开展|贯彻落实|完善|健全|维护|保障")
def _build_de_rules():
    """(regex anchored on 的/地, allowed preceding words or None, replacement, message)."""
    adv = tuple(_ADV.split("|"))
    nouns = ("机制|作用|工作|效果|情况|方案|措施|过程|阶段|力度|成果|成效|能力|水平|任务|要求|责任|主体|重点|"
             "难点|经验|办法|制度|体系|对象")
    degree = "很|非常|十分|特别|比较|更加|越来越|不够|不太|不很|还不够|相当|较为"
    return [
        # Adverbial use: [adverb]的[verb] -> 地.
        (_rx(r"的(?=(?:" + _VERB + r"))(?!(?:" + _VERB + r")(?:" + nouns + r"))"), adv, "地",
         "状语与中心语（动词）之间应用“地”"),
        # Complement: [verb]的[degree] -> 得.
        (_rx(r"的(?=(?:" + degree + r")(?!多))"), tuple("做干办搞抓写讲说学跑建管") + (
            "落实", "完成", "推进", "执行", "开展", "贯彻", "发展", "进展", "恢复", "整改", "处理", "建设"),
         "得", "动词与补语之间应用“得”"),
        (_rx(r"的(?=了|显著|明显|积极|良好|重大|新的|实效|成效|成绩|进展|突破|胜利|阶段性|较好|圆满)"), ("取", "获"),
         "得", "“取得”“获得”应用“得”"),
        (_rx(r"的(?=注意|关注|学习|推广|肯定|借鉴|一提|信赖|期待|称赞|重视|警惕|深思)"), ("值",), "得", "“值得”应用“得”"),
        (_rx(r"的(?=[很十更格尤特非较])"), ("显",), "得", "“显得”应用“得”"),
        # Attributive use: [adjective]地[noun] -> 的.
        (_rx(r"地(?=(?:作用|问题|任务|意义|成效|措施|情况|内容|方面|环节|举措|环境|基础|影响|进展|成绩|变化|贡献|条件|保障|风险|隐患))"),
         ("重要", "主要", "基本", "根本", "具体", "有关", "相关", "必要", "良好", "显著", "明显", "突出", "积极", "深远",
          "巨大", "严重", "广泛"), "的", "定语与中心语（名词）之间应用“的”"),
        (_rx(r"地(?=很|非常|十分|特别|比较|更加|越来越)"), tuple("做干办搞抓写讲说学"), "得", "动词与补语之间应用“得”"),
    ]


_DE_RULES = _build_de_rules()


def check_de(ctx: Ctx) -> None:
    t = ctx.text
    if "的" not in t and "地" not in t:
        return
    for rx, before, rep, msg in _DE_RULES:
        for m in rx.finditer(t):
            i = m.start()
            if t[max(0, i - 3):i].endswith(before):
                ctx.add(R_DE, i, m.end(), msg, rep)


def check(ctx: Ctx) -> None:
    """All typo checks, including the statistical detector."""
    check_confusions(ctx)
    check_doubled(ctx)
    check_de(ctx)
    taken = [(f.start, f.end) for f in ctx.out if f.category == "typo"]
    # Organ codes of 发文字号 (江政办发) are abbreviations, not words.
    skip = [(m.start(), m.end("org")) for m in ctx.docnos]
    for a, b, word, sug, _pos in stat.detector().scan(ctx.text, skip):
        if any(x < b and a < y for x, y in taken):
            continue
        taken.append((a, b))
        ctx.add(R_STAT, a, b, f"疑为“{word}”的误写", sug)
    t = ctx.text
    for i, sug, _gain in context.model().scan(t, skip):
        if any(x - 1 <= i < y + 1 for x, y in taken):
            continue  # next to another typo finding: one fix at a time
        if not ctx.is_prose_line_at(i):
            continue  # tables, name lists, date lines: too little context
        ctx.add(R_CONTEXT, i, i + 1, f"疑为错别字，应为“{sug}”（语境检测）", sug)


__all__ = ["check"]
