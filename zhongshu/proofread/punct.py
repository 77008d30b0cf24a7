"""Punctuation checks (GB/T 15834-2011) for Chinese official text."""
from __future__ import annotations

from .model import rule
from .text import HAN, ZH_CHAR_SET, Ctx, _rx

R_ASCII = rule("ascii-punct", "punct", "中文语境中使用了半角标点")
R_ELLIPSIS = rule("ellipsis", "punct", "省略号形式错误")
R_ELLIPSIS_DENG = rule("ellipsis-deng", "punct", "省略号与“等”连用")
R_DASH = rule("dash", "punct", "破折号形式错误")
R_CONNECTOR = rule("connector", "punct", "连接号用法错误")
R_DUNHAO_APPROX = rule("dunhao-approx", "punct", "概数的相邻数字间误用顿号")
R_DUNHAO_DENG = rule("dunhao-deng", "punct", "“等”前误用顿号")
R_DUNHAO_QUOTED = rule("dunhao-quoted", "punct", "引号、书名号并列成分间一般不用顿号", "warning")
R_QUOTE_STRAIGHT = rule("quote-straight", "punct", "使用了直引号")
R_QUOTE_UNMATCHED = rule("quote-unmatched", "punct", "引号不配对")
R_BOOKTITLE = rule("booktitle-quote", "punct", "法规、文件名称应使用书名号")
R_DOUBLED = rule("doubled-punct", "punct", "标点重复")
R_TITLE_END = rule("title-end-punct", "punct", "标题末尾不加标点")
R_BRACKET = rule("bracket-unbalanced", "punct", "括号不配对")
R_DOCNO_BRACKET = rule("docno-bracket", "punct", "发文字号年份应使用六角括号〔〕")
R_QUOTE_FORM = rule("quote-form", "punct", "引号形式错误")
R_BRACKET_FORM = rule("bracket-form", "punct", "括号形式错误")
R_BOOKTITLE_FORM = rule("booktitle-form", "punct", "书名号形式错误")
R_MIDDLE_DOT = rule("middle-dot", "punct", "间隔号形式错误")
R_WAVE = rule("wave-dash", "punct", "浪纹线形式错误")
R_MARK_FORM = rule("mark-form", "punct", "标点符号形式错误")

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_ASCII_RE = _rx(r"[,;:?!()]|(?<!\.)\.(?!\.)")
_DATE_AFTER_RE = _rx(r"\d{1,4}[年月日号时]")
_LATIN_NUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ZH_CLOSERS = frozenset("”’）》】〕」")


def _zh_left(t: str, i: int) -> bool:
    return i > 0 and (t[i - 1] in ZH_CHAR_SET or t[i - 1] in _ZH_CLOSERS)


def _zh_right(t: str, j: int) -> bool:
    # Skip spaces after the mark: "工作, 要求" still is Chinese on the right.
    n = len(t)
    while j < n and t[j] == " ":
        j += 1
    return j < n and (t[j] in ZH_CHAR_SET or t[j] in "“‘（《")


def _check_ascii(ctx: Ctx) -> None:
    t = ctx.text
    if not any(c in t for c in ",;:?!()."):
        return
    skip = _docno_ranges(ctx)
    n = len(t)
    for m in _ASCII_RE.finditer(t):
        i = m.start()
        c = t[i]
        left = t[i - 1] if i else ""
        right = t[i + 1] if i + 1 < n else ""
        if c == ".":
            # Sentence-final ASCII period after Chinese: "完成." but not "1." ordinals or decimals.
            if not (left in ZH_CHAR_SET or left in _ZH_CLOSERS or left == "%"):
                continue
            if right in _LATIN_NUM and not (right.isdigit() and _DATE_AFTER_RE.match(t, i + 1)):
                continue  # "占比.5%" is a decimal (number/decimal-zero), "阶段.7月1日" a sentence end
            if right and right not in "\n \r" and right not in ZH_CHAR_SET and not right.isdigit():
                continue
        elif c in "()":
            if skip and any(a <= i < b for a, b in skip):
                continue
            if not _paren_is_zh(t, i, c):
                continue
        else:
            if left in _LATIN_NUM and right in _LATIN_NUM:
                continue  # 1,000  14:30  a?b
            if not (_zh_left(t, i) or _zh_right(t, i + 1)):
                continue
            if c == ":" and right == "/":
                continue  # URL scheme
        j = i + 1
        if c in ",;:?!." and j < n and t[j] == " ":
            # "工作, 要求" -> "工作，要求": the space after the mark goes too.
            while j < n and t[j] == " ":
                j += 1
            if j >= n or t[j] == "\n":
                j = i + 1
        ctx.add(R_ASCII, i, j, f"中文语境中应使用全角标点“{_FULL[c]}”", _FULL[c])


_PAREN_PAIR_RE = _rx(r"\(([^()\n]{0,60})\)")


def _paren_is_zh(t: str, i: int, c: str) -> bool:
    """An ASCII parenthesis belongs to Chinese text when it abuts or encloses Chinese."""
    if c == "(":
        if _zh_left(t, i) or (i + 1 < len(t) and t[i + 1] in ZH_CHAR_SET):
            return True
        m = _PAREN_PAIR_RE.match(t, i)
        return bool(m and any(ch in ZH_CHAR_SET for ch in m.group(1)))
    if (i > 0 and t[i - 1] in ZH_CHAR_SET) or (i + 1 < len(t) and t[i + 1] in ZH_CHAR_SET):
        return True
    k = t.rfind("(", max(0, i - 61), i)
    return k >= 0 and any(ch in ZH_CHAR_SET for ch in t[k + 1:i]) and "\n" not in t[k:i]


def _docno_ranges(ctx: Ctx) -> list[tuple[int, int]]:
    return [(m.start("open"), m.end("close")) for m in ctx.docnos]


_ELLIPSIS_RE = _rx(r"\.{3,}|。{3,}|…+|·{3,}|、{3,}|，{3,}|．{2,}|⋯+|・{3,}|‧{3,}")
_ELLIPSIS_ANY_RE = _rx(r"…|\.\.\.|。。。|···|、、、|，，，|．．|⋯|・・・|‧‧‧")
_ELLIPSIS_DENG_RE = _rx(r"(?:…{2}|\.{3,6}|。{3})(?:等等|等)(?!级|次|奖|于|同|待|候|额|量|高|分|值|效)|等等?(?:…{2}|\.{3,6})")


def _check_ellipsis(ctx: Ctx) -> None:
    t = ctx.text
    if not _ELLIPSIS_ANY_RE.search(t):
        return
    deng = [(m.start(), m.end()) for m in _ELLIPSIS_DENG_RE.finditer(t)]
    for a, b in deng:
        seg = t[a:b]
        if seg.startswith("等"):
            k = seg.find("…") if "…" in seg else seg.find(".")
            ctx.add(R_ELLIPSIS_DENG, a + k, b, "省略号不与“等”“等等”连用，应删去省略号", "")
        else:
            k = seg.find("等")
            ctx.add(R_ELLIPSIS_DENG, a, a + k, "省略号不与“等”“等等”连用，应删去省略号", "")
    for m in _ELLIPSIS_RE.finditer(t):
        s = m.group()
        if s[0] == "…" and len(s) in (2, 4):
            continue  # "……", and "…………" for a whole omitted paragraph
        if any(a <= m.start() < b for a, b in deng):
            continue
        ctx.add(R_ELLIPSIS, m.start(), m.end(), "省略号应为两个“…”（……）", "……")


_DASH_RE = _rx(r"(?<![\w\-])-{2,}(?![\w\-])|(?<=[" + HAN + r"，。])-{2,}|－{2,}|—{3,}|[─━]{1,2}(?=[" + HAN + r"“])|— —")


def _check_dash(ctx: Ctx) -> None:
    t = ctx.text
    if not any(s in t for s in ("--", "－－", "———", "─", "━", "— —")):
        return
    for m in _DASH_RE.finditer(t):
        a, b = m.span()
        if m.group().startswith("-") and not (
            (a > 0 and t[a - 1] in ZH_CHAR_SET) or (b < len(t) and t[b] in ZH_CHAR_SET)
        ):
            continue
        ctx.add(R_DASH, a, b, "破折号应为两个“—”（——）", "——")


_YEAR_RANGE_RE = _rx(r"(?<![\d\w])((?:19|20)\d{2})(\s*[-－~]\s*)((?:19|20)\d{2})(?=年)")
_NUM_RANGE_RE = _rx(
    r"(?<![\w\-/.:：])(第?)((?:[1-9]\d{0,3}|0)(?:\.\d+)?%?)([-－~])((?:[1-9]\d{0,3}|0)(?:\.\d+)?)(?=%|[" + HAN + r"])"
)
_HAN_HYPHEN_RE = _rx(r"(?<=[" + HAN + r"])[-－](?=[" + HAN + r"])")


def _check_connector(ctx: Ctx) -> None:
    t = ctx.text
    if "-" not in t and "~" not in t and "－" not in t:
        return
    year_spans = []
    for m in _YEAR_RANGE_RE.finditer(t):
        a, b = m.span(2)
        year_spans.append(a)
        ctx.add(R_CONNECTOR, a, b, "表示时间起止应使用一字线“—”", "—")
    for m in _NUM_RANGE_RE.finditer(t):
        a, b = m.span(3)
        if a in year_spans:
            continue
        if m.group(1):
            ctx.add(R_CONNECTOR, a, b, "表示序次起止应使用一字线“—”", "—")
        else:
            ctx.add(R_CONNECTOR, a, b, "表示数值范围应使用浪纹线“～”", "～")
    for m in _HAN_HYPHEN_RE.finditer(t):
        ctx.add(R_CONNECTOR, m.start(), m.end(), "汉字之间的连接号应使用一字线“—”（破折号用“——”）", "—")


_APPROX_RE = _rx(
    r"([一二三四五六七八九])、([二三四五六七八九十])"
    r"(?=[十百千万亿]?(?:个|名|天|月|日|次|人|家|项|条|件|位|所|倍|岁|公里|里|米|吨|斤|元|户|遍|本|只|台|辆|周|小时|分钟|年(?!级|度)))"
)
_CN = "一二三四五六七八九十"
_DUNHAO_DENG_RE = _rx(r"、(?=等)")
_DUNHAO_QUOTED_RE = _rx(r"(?<=[”》])、(?=[“《])")


def _check_dunhao(ctx: Ctx) -> None:
    t = ctx.text
    if "、" not in t:
        return
    for m in _APPROX_RE.finditer(t):
        if m.start() and t[m.start() - 1] in "第〇一二三四五六七八九十":
            continue
        a, b = m.group(1), m.group(2)
        if _CN.index(b) == _CN.index(a) + 1 or (a == "九" and b == "十"):
            ctx.add(R_DUNHAO_APPROX, m.start() + 1, m.start() + 2,
                    "相邻数字连用表示概数，中间不用顿号", "")
    for m in _DUNHAO_DENG_RE.finditer(t):
        ctx.add(R_DUNHAO_DENG, m.start(), m.end(), "“等”前不用顿号", "")
    for m in _DUNHAO_QUOTED_RE.finditer(t):
        ctx.add(R_DUNHAO_QUOTED, m.start(), m.end(), "标有引号或书名号的并列成分之间通常不用顿号", "")


def _check_quotes(ctx: Ctx) -> None:
    t = ctx.text
    has_straight = '"' in t or "'" in t or "＂" in t or "＇" in t
    if not has_straight and "“" not in t and "”" not in t:
        return
    for off, line in ctx.lines:
        if has_straight and any(q in line for q in "\"'＂＇") and any(c in ZH_CHAR_SET for c in line):
            _straight(ctx, off, line)
        if "“" in line or "”" in line:
            _curly(ctx, off, line)


def _straight(ctx: Ctx, off: int, line: str) -> None:
    tex = "``" in line  # ``TeX-style'' quotes: reported by _check_lookalikes
    for q, (o, c) in (('"＂', ("“", "”")), ("'＇", ("‘", "’"))):
        if not any(x in line for x in q):
            continue
        pos = [i for i, ch in enumerate(line) if ch in q]
        if q[0] == "'":
            # Apostrophes in English words stay; only quotes touching Chinese count.
            pos = [i for i in pos if line[i] == "＇" or (i > 0 and line[i - 1] in ZH_CHAR_SET)
                   or (i + 1 < len(line) and line[i + 1] in ZH_CHAR_SET)]
            if tex:
                pos = [i for i in pos if line[i:i + 2] != "''" and line[i - 1:i + 1] != "''"]
        for k, i in enumerate(pos):
            sug = o if k % 2 == 0 else c
            ctx.add(R_QUOTE_STRAIGHT, off + i, off + i + 1, f"中文应使用弯引号“{sug}”", sug)


_CURLY_RE = _rx("[“”]")


def _curly(ctx: Ctx, off: int, line: str) -> None:
    open_at = -1
    for mm in _CURLY_RE.finditer(line):
        i = mm.start()
        ch = line[i]
        if ch == "“":
            if open_at >= 0:
                # Two openers in a row: the second should close (“……“ -> “……”).
                ctx.add(R_QUOTE_UNMATCHED, off + i, off + i + 1, "引号不配对，此处应为后引号“””", "”")
                open_at = -1
            else:
                open_at = i
        elif ch == "”":
            if open_at < 0:
                ctx.add(R_QUOTE_UNMATCHED, off + i, off + i + 1, "引号不配对，此处应为前引号“““", "“")
                open_at = i  # it opened a pair: the next ” closes it
            else:
                open_at = -1
    if open_at >= 0 and line[open_at] == "“":
        ctx.add(R_QUOTE_UNMATCHED, off + open_at, off + open_at + 1, "引号未闭合", None)


_LAW_SUFFIX = ("条例", "办法", "规定", "细则", "规则", "准则", "章程", "纲要", "守则")
_QUOTED_RE = _rx(r"“([^“”\n]{3,60}?)”")
_NOT_LAW_FA = frozenset("方做说想看用写手语算兵书佛魔戏立执司宪违合非守依")


def _is_document_name(s: str) -> bool:
    if s.startswith("关于") and s.endswith(("通知", "意见", "决定", "办法", "规定", "方案", "规划", "报告", "请示", "批复", "通报", "纪要")):
        return True
    if any(s.endswith(x) for x in _LAW_SUFFIX) and len(s) >= 5:
        return True
    # "安全生产法", "中华人民共和国档案法", "民法典"; not "工作方法", "依法", "“四议两公开”工作法".
    return (s.endswith("法") and len(s) >= 4 and s[-2] not in _NOT_LAW_FA and not s.endswith("工作法")) or (
        s.endswith("法典") and len(s) >= 3)


def _check_booktitle(ctx: Ctx) -> None:
    t = ctx.text
    if "“" not in t:
        return
    for m in _QUOTED_RE.finditer(t):
        body = m.group(1)
        if any(c in body for c in "，。；：？！") or not _is_document_name(body):
            continue
        a, b = m.span()
        ctx.add(R_BOOKTITLE, a, a + 1, "法律法规、文件名称应使用书名号《》", "《")
        ctx.add(R_BOOKTITLE, b - 1, b, "法律法规、文件名称应使用书名号《》", "》")


_DOUBLED_RE = _rx(r"[，。；：、！？][，。；：、！？]+")
_DUNHAO_BEFORE_CLOSE_RE = _rx(r"、(?=[）)》”])")
_ENDERS = "。！？"


def _check_doubled(ctx: Ctx) -> None:
    t = ctx.text
    for m in _DOUBLED_RE.finditer(t):
        s = m.group()
        if s in ("？！", "！？", "？？？", "！！！"):
            continue
        if len(set(s)) == 1:
            sug = s[0]
        else:
            ends = [c for c in s if c in _ENDERS]
            sug = ends[-1] if ends else s[-1] if s[-1] in "：；" else s[0]
        ctx.add(R_DOUBLED, m.start(), m.end(), "标点符号重复使用", sug)
    if "、" in t:
        for m in _DUNHAO_BEFORE_CLOSE_RE.finditer(t):
            ctx.add(R_DOUBLED, m.start(), m.end(), "后括号、后引号前不用顿号", "")


def _check_title(ctx: Ctx) -> None:
    tl = ctx.title
    if not tl:
        return
    off, m = tl
    if m.group("punct"):
        ctx.add(R_TITLE_END, off + m.start("punct"), off + m.end("punct"), "公文标题末尾不加标点符号", "")


_PAIRS = {"）": "（", ")": "(", "》": "《", "〉": "〈", "】": "【", "〕": "〔", "]": "[", "］": "［", "」": "「"}
_FAMILY = {"(": "（", "[": "［"}
_OPENERS = frozenset(_PAIRS.values())
_BRACKET_RE = _rx(r"[（）()《》〈〉【】〔〕\[\]［］「」]")
_ORDINAL_CLOSER_RE = _rx(r"^[ \t\u3000]*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[a-zA-Z])[）)]")


def _check_brackets(ctx: Ctx, fixes: dict[int, str] | None = None) -> None:
    t = ctx.text
    if not any(c in t for c in "（）()《》〈〉【】〔〕[]［］「」"):
        return
    for off, line in ctx.lines:
        if not any(c in line for c in "（）()《》〈〉【】〔〕[]［］「」"):
            continue
        if fixes:
            chars = list(line)
            for p, ch in fixes.items():
                if off <= p < off + len(line):
                    chars[p - off] = ch
            line = "".join(chars)
        skip_to = -1
        m = _ORDINAL_CLOSER_RE.match(line)
        if m:
            skip_to = m.end()  # "1）" ordinal: reported by the format checks
        stack: list[tuple[str, int]] = []
        for mm in _BRACKET_RE.finditer(line):
            i = mm.start()
            ch = line[i]
            if ch in _OPENERS:
                stack.append((_FAMILY.get(ch, ch), i))
            elif ch in _PAIRS:
                if i < skip_to:
                    continue
                want = _FAMILY.get(_PAIRS[ch], _PAIRS[ch])
                if stack and stack[-1][0] == want:
                    stack.pop()
                elif any(s[0] == want for s in stack):
                    while stack[-1][0] != want:
                        c0, i0 = stack.pop()
                        ctx.add(R_BRACKET, off + i0, off + i0 + 1, f"括号“{line[i0]}”没有对应的后括号", None)
                    stack.pop()
                else:
                    ctx.add(R_BRACKET, off + i, off + i + 1, f"括号“{ch}”没有对应的前括号", None)
        for _, i0 in stack:
            ctx.add(R_BRACKET, off + i0, off + i0 + 1, f"括号“{line[i0]}”没有对应的后括号", None)


def _check_docno_brackets(ctx: Ctx) -> None:
    for m in ctx.docnos:
        if m.group("open") != "〔" or m.group("close") != "〕":
            year = m.group("year")
            ctx.add(R_DOCNO_BRACKET, m.start("open"), m.end("close"),
                    "发文字号中的年份应使用六角括号“〔〕”", f"〔{year}〕" if len(year) == 4 else None)


_LOOK_ANY_RE = _rx(
    r"[＂＇`〝〞〟„「」『』\[\]{}｛｝<>＜＞≪≫〈〉〈〉《》«»‹›⟨⟩⟪⟫﹙﹚•‧・･∙⋅·．―‒–﹣〜~～—"
    r"﹐﹑､｡﹔﹕﹖﹗﹝﹞﹁﹂﹃﹄ー]"
)
# Small-form (U+FE50…), half-width (U+FF61…) and vertical-presentation variants of the Chinese marks.
_FORM_MAP = {"﹐": "，", "﹑": "、", "､": "、", "｡": "。", "﹔": "；", "﹕": "：", "﹖": "？", "﹗": "！",
             "﹝": "〔", "﹞": "〕", "﹁": "“", "﹂": "”", "﹃": "‘", "﹄": "’"}
_FORM_RE = _rx("[" + "".join(_FORM_MAP) + "]")
# The katakana prolonged-sound mark ー (U+30FC), typed by a Japanese input method, beside Chinese.
_CHOON_DOUBLE_RE = _rx(r"ー{2}")
_CHOON_SINGLE_RE = _rx(r"(?<!ー)ー(?!ー)")
_QUOTE_MAP = {"〝": "“", "〞": "”", "〟": "”", "„": "“", "「": "“", "」": "”", "『": "‘", "』": "’"}
_QUOTE_FORM_RE = _rx(r"[〝〞〟„「」『』]")
_TEX_QUOTE_RE = _rx(r"``([^`'\n]{1,200}?)''")
_SQUARE_RE = _rx(r"\[([^\[\]\n]{1,60})\]")
_BRACE_RE = _rx(r"[{｛]([^{}｛｝\n]{1,60})[}｝]")
_SMALL_PAREN_RE = _rx(r"[﹙﹚]")
_TITLE_OPEN = r"<<|[《<＜≪〈〈«‹⟨⟪]"
_TITLE_CLOSE = r">>|[》>＞≫〉〉»›⟩⟫]"
_TITLE_PAIR_RE = _rx(
    r"(?P<o>" + _TITLE_OPEN + r")(?P<body>[^《》<>＜＞≪≫〈〉〈〉«»‹›⟨⟩⟪⟫\n]{1,80}?)(?P<c>" + _TITLE_CLOSE + r")"
)
_DOT_RE = _rx(r"(?<=[" + HAN + r"”》])[•‧・･∙⋅·](?=[" + HAN + r"“《])")
_FW_STOP_RE = _rx(r"(?<=[" + HAN + r"”）》])．(?![．０-９\d])")
_DASH_DOUBLE_RE = _rx(r"[―‒–﹣]{2}|—[―‒–﹣]|[―‒–﹣]—")
_DASH_SINGLE_RE = _rx(r"(?<=[" + HAN + r"])(?<![—―‒–﹣])[—―‒–﹣](?![—―‒–﹣])(?=[" + HAN + r"“])")
_YEAR_ENDASH_RE = _rx(r"(?<![\d\w])((?:19|20)\d{2})([―‒–﹣])((?:19|20)\d{2})(?=年)")
_WAVE_NUM_RE = _rx(r"(?<=\d)〜(?=\d)|(?<=%)〜(?=\d)")
_WAVE_HAN_RE = _rx(r"(?<=[" + HAN + r"])[~〜～](?=[" + HAN + r"])")
_RUN_STOP = frozenset("，。；：？！、“”‘’（）《》〈〉【】〔〕 \t\n\u3000—―‒–﹣－-~～〜")
# A place or organ name before a single dash makes it the 一字线 of a range (新疆维吾尔自治区—西藏).
_PLACE_END = frozenset("省市县区州盟旗镇乡村港站路街岛湾江河湖山口城关岸线段局厅部委")


def _han_run_left(t: str, i: int) -> int:
    k = i
    while k > 0 and t[k - 1] not in _RUN_STOP and i - k < 40:
        k -= 1
    return i - k


def _han_run_right(t: str, j: int) -> int:
    k = j
    n = len(t)
    while k < n and t[k] not in _RUN_STOP and k - j < 40:
        k += 1
    return k - j


def _has_zh(s: str) -> bool:
    return any(c in ZH_CHAR_SET for c in s)


def _check_lookalikes(ctx: Ctx) -> dict[int, str]:
    """Wrong-width or look-alike forms of the Chinese marks (quotes, brackets, book-title
    marks, dashes, wave dash, middle dot) with the GB/T 15834-2011 form as the fix.

    Returns the book-title marks it corrected (offset -> right mark) so that the
    bracket-balance check counts them as corrected and does not report them again."""
    t = ctx.text
    fixes: dict[int, str] = {}
    if not _LOOK_ANY_RE.search(t):
        return fixes
    skip = _docno_ranges(ctx)

    def in_docno(i: int) -> bool:
        return bool(skip) and any(a <= i < b for a, b in skip)

    # Quotes: corner brackets, double prime quotes, TeX quotes.
    for m in _QUOTE_FORM_RE.finditer(t):
        i = m.start()
        if in_docno(i):
            continue
        ch = t[i]
        sug = _QUOTE_MAP[ch]
        ctx.add(R_QUOTE_FORM, i, i + 1, f"中文引号应使用“{sug}”", sug)
    if "``" in t:
        for m in _TEX_QUOTE_RE.finditer(t):
            if not _has_zh(m.group(1)):
                continue
            a, b = m.span()
            ctx.add(R_QUOTE_FORM, a, a + 2, "中文引号应使用“““", "“")
            ctx.add(R_QUOTE_FORM, b - 2, b, "中文引号应使用“””", "”")
    # Brackets.
    if "[" in t:
        for m in _SQUARE_RE.finditer(t):
            a, b = m.span()
            if in_docno(a) or not _has_zh(m.group(1)):
                continue
            ctx.add(R_BRACKET_FORM, a, a + 1, "中文方括号应使用全角“［”", "［")
            ctx.add(R_BRACKET_FORM, b - 1, b, "中文方括号应使用全角“］”", "］")
    for m in _BRACE_RE.finditer(t):
        a, b = m.span()
        if not _has_zh(m.group(1)):
            continue
        ctx.add(R_BRACKET_FORM, a, a + 1, "中文行文中不用花括号，应使用“（”", "（")
        ctx.add(R_BRACKET_FORM, b - 1, b, "中文行文中不用花括号，应使用“）”", "）")
    for m in _SMALL_PAREN_RE.finditer(t):
        i = m.start()
        sug = "（" if t[i] == "﹙" else "）"
        ctx.add(R_BRACKET_FORM, i, i + 1, f"括号应使用全角“{sug}”", sug)
    # Book-title marks: << >>, < >, ＜＞, ≪≫, a lone 〈〉 and 《》 inside 《》.
    for m in _TITLE_PAIR_RE.finditer(t):
        o, c, body = m.group("o"), m.group("c"), m.group("body")
        a = m.start()
        if not _has_zh(body):
            continue
        if o[0] in "<＜" and ((a > 0 and t[a - 1].isascii() and t[a - 1].isalnum()) or (
                m.end() < len(t) and t[m.end()].isascii() and t[m.end()].isalnum())):
            continue  # "a<b且c>d" is a comparison
        line_start = t.rfind("\n", 0, a) + 1
        before = t[line_start:a]
        depth = before.count("《") - before.count("》")
        want_o, want_c = ("〈", "〉") if depth > 0 else ("《", "》")
        if o != want_o:
            fixes[a] = want_o
            ctx.add(R_BOOKTITLE_FORM, a, a + len(o),
                    f"书名号应使用“{want_o}”" + ("（书名号内再用书名号时用单书名号）" if depth > 0 else ""), want_o)
        if c != want_c:
            cs = m.end() - len(c)
            fixes[cs] = want_c
            ctx.add(R_BOOKTITLE_FORM, cs, m.end(),
                    f"书名号应使用“{want_c}”" + ("（书名号内再用书名号时用单书名号）" if depth > 0 else ""), want_c)
    # Small, half-width and vertical forms of the comma, stop, colon … and of 〔〕 and the quotes.
    for m in _FORM_RE.finditer(t):
        i = m.start()
        sug = _FORM_MAP[t[i]]
        ctx.add(R_MARK_FORM, i, i + 1, f"标点符号应使用全角“{sug}”", sug)
    # ー (katakana) beside Chinese: doubled it is the dash, alone the numeral 一 (第ー次).
    if "ー" in t:
        for m in _CHOON_DOUBLE_RE.finditer(t):
            a, b = m.span()
            if _has_zh(t[max(0, a - 1):b + 1]):
                ctx.add(R_DASH, a, b, "破折号应为两个“—”（——），不用日文长音符“ー”", "——")
        for m in _CHOON_SINGLE_RE.finditer(t):
            i = m.start()
            if (i > 0 and t[i - 1] in ZH_CHAR_SET) or (i + 1 < len(t) and t[i + 1] in ZH_CHAR_SET):
                ctx.add(R_MARK_FORM, i, i + 1, "日文长音符“ー”，疑为数字“一”", "一")
    # Dashes: doubled look-alikes and a single dash-like mark inside a sentence.
    for m in _DASH_DOUBLE_RE.finditer(t):
        ctx.add(R_DASH, m.start(), m.end(), "破折号应为两个“—”（——）", "——")
    for m in _DASH_SINGLE_RE.finditer(t):
        i = m.start()
        left, right = _han_run_left(t, i), _han_run_right(t, i + 1)
        if left >= 4 and right >= 4 and left + right >= 10 and t[i - 1] not in _PLACE_END:
            ctx.add(R_DASH, i, i + 1, "破折号应为两个“—”（——）", "——")
        elif t[i] != "—":
            ctx.add(R_CONNECTOR, i, i + 1, "连接号应使用一字线“—”", "—")
    for m in _YEAR_ENDASH_RE.finditer(t):
        a, b = m.span(2)
        ctx.add(R_CONNECTOR, a, b, "表示时间起止应使用一字线“—”", "—")
    # Wave dash: 〜 (U+301C) between numbers is the full-width ～; a range of places or
    # times written in words takes the 一字线.
    for m in _WAVE_NUM_RE.finditer(t):
        ctx.add(R_WAVE, m.start(), m.end(), "浪纹线应使用全角“～”", "～")
    for m in _WAVE_HAN_RE.finditer(t):
        ctx.add(R_WAVE, m.start(), m.end(), "地点、时间的起止用一字线“—”", "—")
    # Middle dot (间隔号).
    for m in _DOT_RE.finditer(t):
        if t[m.start()] == "·":
            continue
        ctx.add(R_MIDDLE_DOT, m.start(), m.end(), "间隔号应使用“·”", "·")
    for m in _FW_STOP_RE.finditer(t):
        i = m.start()
        if i + 1 < len(t) and t[i + 1] in ZH_CHAR_SET and _han_run_left(t, i) <= 5 and _han_run_right(t, i + 1) <= 5:
            ctx.add(R_MIDDLE_DOT, i, i + 1, "间隔号应使用“·”", "·")
        else:
            ctx.add(R_ASCII, i, i + 1, "句号应使用“。”", "。")
    return fixes


def check(ctx: Ctx) -> None:
    """Run every punctuation check over ``ctx``."""
    _check_ascii(ctx)
    _check_ellipsis(ctx)
    _check_dash(ctx)
    _check_connector(ctx)
    _check_dunhao(ctx)
    _check_quotes(ctx)
    _check_booktitle(ctx)
    _check_doubled(ctx)
    _check_title(ctx)
    fixes = _check_lookalikes(ctx)
    _check_brackets(ctx, fixes)
    _check_docno_brackets(ctx)


__all__ = ["check"]
