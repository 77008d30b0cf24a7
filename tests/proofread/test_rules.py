"""Unit tests per rule: positive and negative examples, including the tricky cases of the spec."""
import pytest

from zhongshu.proofread import RULES, Config, Finding, apply_fixes, proofread


def rules_of(text, **kw):
    return [(f.rule, text[f.start:f.end], f.suggestion) for f in proofread(text, **kw)]


def has(text, rule, span=None, **kw):
    return any(r == rule and (span is None or s == span) for r, s, _ in rules_of(text, **kw))


# ---- API shape ---------------------------------------------------------------------------

def test_finding_to_dict_keys():
    f = proofread("经研究,决定召开会议。")[0]
    assert isinstance(f, Finding)
    assert set(f.to_dict()) == {"start", "end", "category", "category_label", "rule", "message", "suggestion", "severity"}
    assert f.to_dict()["category_label"] == "标点符号"
    assert f.severity in ("error", "warning")


def test_rules_registry_covers_all_categories():
    cats = {r.category for r in RULES.values()}
    assert cats == {"punct", "number", "width", "space", "format", "typo", "usage"}
    for name, info in RULES.items():
        assert info.name == name and info.title_zh


def test_sorted_by_start():
    fs = proofread("各单位要认真的贯彻落实,确保１２项任务完成。。")
    assert [f.start for f in fs] == sorted(f.start for f in fs)


def test_disable_and_ignore():
    text = "经研究,决定召开会议,请准时参加。"
    assert has(text, "ascii-punct")
    assert not proofread(text, config=Config(disabled_rules=frozenset({"ascii-punct"})))
    assert not proofread(text, config=Config(disabled_rules=frozenset({"punct"})))
    first = proofread(text)[0]
    once = proofread(text, config=Config(ignored_spans=frozenset({("ascii-punct", first.start, first.end)})))
    assert len(once) == 1
    whole = proofread(text, config=Config(ignored=frozenset({("ascii-punct", ",")})))
    assert whole == []


def test_banned_terms():
    cfg = Config(banned_terms=(("老百姓", "群众"), ("内部消息", None)))
    fs = proofread("要倾听老百姓呼声，不得传播内部消息。", config=cfg)
    assert [(f.rule, f.suggestion) for f in fs] == [("banned-term", "群众"), ("banned-term", None)]


def test_apply_fixes():
    text = "经研究,决定于2026年06月05号召开会议."
    fixed = apply_fixes(text, proofread(text))
    assert fixed == "经研究，决定于2026年6月5日召开会议。"


def test_crlf_offsets_refer_to_original_text():
    text = "第一行。\r\n经研究,决定召开。"
    f = proofread(text)[0]
    assert text[f.start:f.end] == ","


# ---- punct -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,span,sug", [
    ("经研究,决定召开会议。", ",", "，"),
    ("工作, 要求", ", ", "，"),
    ("现通知如下:", ":", "："),
    ("已完成任务.", ".", "。"),
    ("国内生产总值(GDP)增长", "(", "（"),
])
def test_ascii_punct(text, span, sug):
    assert ("ascii-punct", span, sug) in rules_of(text)


@pytest.mark.parametrize("text", ["人口1,000万", "会议于14:30开始", "详见https://www.gov.cn", "增长5.2%", "1.加强领导", "GB/T 9704-2012"])
def test_ascii_punct_negative(text):
    assert not has(text, "ascii-punct")


def test_ellipsis_and_dash():
    assert has("各地要因地制宜...", "ellipsis")
    assert has("各地要因地制宜…", "ellipsis")
    assert not has("各地要因地制宜……", "ellipsis")
    assert has("开展培训、演练……等工作", "ellipsis-deng")
    assert has("这是我们的责任--必须完成", "dash")
    assert not has("这是我们的责任——必须完成", "dash")


def test_connectors():
    assert ("connector", "-", "—") in rules_of("编制2016-2020年规划")
    assert ("connector", "-", "～") in rules_of("每次3-5人")
    assert not has("日期：2026-06-01", "connector")
    assert not has("电话0571-88886666", "connector")
    assert not has("2016—2020年", "connector")


def test_dunhao():
    assert has("培训三、四个月", "dunhao-approx")
    assert not has("一、二年级学生", "dunhao-approx")  # two grades listed, not an approximation
    assert not has("一、二季度", "dunhao-approx")
    assert has("会议、接待、等经费", "dunhao-deng")


def test_quotes_and_book_titles():
    assert has('开展"安全生产月"活动', "quote-straight")
    assert has("推进“放管服“改革", "quote-unmatched")
    assert has("贯彻“安全生产法”规定", "booktitle-quote")
    assert has("执行“政府信息公开条例”", "booktitle-quote")
    assert not has("坚持“三个区分开来”", "booktitle-quote")
    assert not has("改进“工作方法”", "booktitle-quote")


def test_doubled_and_brackets():
    assert ("doubled-punct", "，，", "，") in rules_of("会议强调，，要压实责任。")
    assert has("由市应急管理局（市安委会办公室牵头", "bracket-unbalanced")
    assert not has("各区县（市）要加强指导。", "bracket-unbalanced")


def test_title_and_docno_brackets():
    assert has("江川市人民政府关于加强森林防火工作的通知。\n各区县：", "title-end-punct")
    assert ("docno-bracket", "[2026]", "〔2026〕") in rules_of("江政发[2026]12号")
    assert not has("江政发〔2026〕12号", "docno-bracket")


# ---- number ------------------------------------------------------------------------------

def test_dates():
    assert ("date-leading-zero", "06", "6") in rules_of("定于2026年06月5日召开")
    assert ("date-hao", "号", "日") in rules_of("定于6月8号召开")
    assert not has("国办发〔2012〕14号", "date-hao")
    assert not has("6月8号楼", "date-hao")
    assert has("26年3月启动", "year-short")
    assert not has("近20年来", "year-short")
    assert not has("三四年时间", "year-short")
    assert ("date-numeric", "2026.6.15", "2026年6月15日") in rules_of("会议定于2026.6.15召开。")
    assert has("活动于2026-05-20启动，为期一个月。", "date-numeric")


def test_iso_date_fine_in_tables():
    assert not has("期次\t报到日期\n第一期\t2026-06-01", "date-numeric")
    assert not has("报到日期：2026-06-01", "date-numeric")


def test_signing_date():
    assert ("date-signing", "二〇二六年五月八日", "2026年5月8日") in rules_of("江川市人民政府\n二〇二六年五月八日")
    assert not has("江川市人民政府\n2026年5月8日", "date-signing")
    assert has("回顾二○二五年的工作", "year-zero-char")


def test_amounts():
    assert ("qian-bai-unit", "3千", "3000") in rules_of("投资3千万元")
    assert not has("全长3千米", "qian-bai-unit")
    assert ("percent-chinese", "百分之95", "95%") in rules_of("达到百分之95")
    assert not has("百分之九十五", "percent-chinese")
    assert ("wan-yi-split", "3亿4500万", "3.45亿") in rules_of("共3亿4500万元")
    assert ("decimal-zero", ".5", "0.5") in rules_of("下降.5个百分点")
    assert ("percent-range", "63", "63%") in rules_of("稳定在63～68%之间")
    assert not has("稳定在63%～68%之间", "percent-range")


def test_mixed_date_style():
    assert has("二〇二六年三月召开大会；2026年4月全面铺开。", "mixed-date-style")


# ---- width and space ---------------------------------------------------------------------

def test_width():
    assert ("fullwidth-digit", "１２６", "126") in rules_of("共有１２６家")
    assert ("fullwidth-latin", "ＧＤＰ", "GDP") in rules_of("全县ＧＤＰ增长")


def test_space():
    assert has("各单位要 高度重视。", "space-in-chinese")
    assert has("请按时报送 。", "space-around-punct")
    assert has("全县 GDP 增长5.2%。", "space-zh-latin")


def test_space_never_suggests_inserting_spaces():
    text = "全县GDP同比增长5.2%，城乡居民人均可支配收入达到3.6万元，开通5G基站1200个。"
    assert proofread(text) == []
    for f in proofread("全县 GDP 同比增长 5.2%，各 单位要按时报送 。"):
        assert f.suggestion in ("", None) or " " not in f.suggestion


def test_layout_spaces_are_fine():
    assert not any(f.category == "space" for f in proofread("江教发〔2026〕7号                签发人：李文华"))
    assert not any(f.category == "space" for f in proofread("出席：赵立新  孙文斌  周海涛"))


# ---- format ------------------------------------------------------------------------------

def test_docno():
    assert has("江政发〔2026〕第12号", "docno-di")
    assert ("docno-zero", "008", "8") in rules_of("江政办发〔2026〕008号")
    assert ("docno-year", "26", "2026") in rules_of("江应急发〔26〕5号")


def test_headings():
    assert ("heading-ordinal", ".", "、") in rules_of("一.总体要求\n二、重点任务")
    assert has("（一）、加强领导", "heading-ordinal")
    assert has("1、严禁违规招生。", "heading-ordinal")
    assert has("一、强化责任\n1.落实制度。", "heading-skip")
    assert not has("一、强化责任\n（一）落实制度\n1.细化分工。", "heading-skip")
    assert has("一、甲\n二、乙\n四、丁", "heading-sequence")


def test_attachments():
    assert has("附件：1、实施方案\n2.分工表", "attachment-numbering")
    assert has("附件：1.工作方案", "attachment-numbering")
    assert not has("附件：1.方案\n2.分工表", "attachment-numbering")
    assert has("附件：1.报名表\n2.日程安排。", "attachment-punct")


def test_doctype_checks():
    assert has("江川市林业局关于申请资金的请示报告\n市人民政府：", "invalid-doctype")
    doc = "江卫发〔2026〕8号\n江川市卫生健康委员会关于建设医疗中心的请示\n市人民政府：\n妥否，请批示。"
    assert has(doc, "signer-missing", doc_type="请示")
    assert not has(doc, "signer-missing", doc_type="通知")
    multi = "江教发〔2026〕9号    签发人：李文华\n江川市教育局关于新建学校的请示\n市人民政府、市财政局：\n妥否，请批示。"
    assert has(multi, "multiple-recipients", doc_type="请示")
    report = "江川市水务局关于水利建设情况的报告\n市人民政府：\n建议追加资金，妥否，请批示。"
    assert has(report, "report-no-request", doc_type="报告")
    assert not has(report, "report-no-request", doc_type="请示")
    assert has(report, "title-type", "报告", doc_type="请示")
    assert has("江川市人民政府\n此页无正文", "no-text-page")


# ---- typo --------------------------------------------------------------------------------

def test_confusion_list_size():
    from zhongshu.proofread.typo import raw_confusions

    assert len(raw_confusions()) >= 1000


@pytest.mark.parametrize("text,span,sug", [
    ("要一股作气完成任务", "股", "鼓"),
    ("定于明天招开会议", "招", "召"),
    ("帮助企业度过难关", "度", "渡"),
    ("及时反应情况", "应", "映"),
    ("建立资金台帐", "帐", "账"),
])
def test_confusion(text, span, sug):
    assert ("confusion", span, sug) in rules_of(text)


@pytest.mark.parametrize("text", [
    "让群众平安度过时光", "开展化学反应实验", "坚持以经济建设为中心", "告知已经办结的事项",
    "降低制度性交易成本", "实行逐部门审核",
])
def test_confusion_context_negative(text):
    assert not any(f.category == "typo" for f in proofread(text))


def test_doubled():
    assert ("doubled-char", "的", "") in rules_of("认真学习的的有关精神")
    assert not has("目的的实现", "doubled-char")
    assert not has("要对对方负责", "doubled-char")
    assert not has("人人参与，天天坚持", "doubled-char")
    assert ("doubled-word", "推进", "") in rules_of("全面推进推进乡村振兴")
    assert not has("大家研究研究", "doubled-word")


def test_de_di_de():
    assert ("de-di-de", "的", "地") in rules_of("要认真的贯彻落实")
    assert ("de-di-de", "的", "得") in rules_of("工作做的很扎实")
    assert ("de-di-de", "地", "的") in rules_of("发挥了重要地作用")
    assert not has("认真的态度", "de-di-de")


def test_statistical_detector():
    assert ("statistical", "相", "想") in rules_of("坚持以人民为中心的发展思相")
    assert ("statistical", "律", "率") in rules_of("提高服务质量和效律")
    assert not any(f.category == "typo" for f in proofread("落实市人大常委会决议"))


def test_typo_flag_skips_typo_category():
    assert not any(f.category == "typo" for f in proofread("要一股作气完成任务", typo=False))


# ---- usage -------------------------------------------------------------------------------

def test_usage():
    assert ("preferred-form", "做出", "作出") in rules_of("市政府做出重要部署")
    assert not has("做出成绩", "preferred-form")
    assert ("preferred-form", "截止", "截至") in rules_of("截止2026年3月底")
    assert not has("报名截止日期", "preferred-form")
    assert has("本次检查涉及到12个行业", "redundant")
    assert has("约200人左右", "redundant")
