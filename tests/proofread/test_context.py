"""The context check (zhongshu/proofread/context.py): a character that forms no word with its
neighbours is replaced by a confusable one when a word model over the window says so.

Most tests use a small hand-made model, so they are exact and fast; the last ones run the real
model (jieba + wordfreq) through the engine."""
import pytest

from zhongshu.proofread import apply_fixes, context, proofread

FREQS = {
    # single characters
    "我": 50000, "们": 40000, "的": 300000, "很": 30000, "好": 30000, "朋": 200, "友": 3000, "唷": 5,
    "跟": 20000, "去": 40000, "看": 30000, "同": 20000, "时": 60000, "市": 30000, "数": 10000, "据": 5000,
    "局": 8000, "会": 60000, "林": 3000, "静": 2000, "宁": 2000, "业": 5000, "请": 20000, "示": 3000,
    "联": 3000, "系": 5000, "人": 80000, "逐": 500, "间": 8000, "渐": 1000, "层": 3000, "栋": 300,
    # words
    "朋友": 30000, "我们": 90000, "同时": 40000, "会同": 3000, "数据": 20000, "数据局": 1500,
    "宁静": 2000, "林业": 3000, "林业局": 3000, "请示": 5000, "联系": 20000, "联系人": 5000, "逐渐": 8000,
    "看看": 3000,
}
CANDS = {"唷": "友", "市": "时", "林": "宁", "间": "渐", "门": "们"}
STRONG = {"门": "们"}


@pytest.fixture
def small():
    return context.ContextModel(dict(FREQS), CANDS, STRONG)


def fixes(model, text):
    return [(i, c) for i, c, _gain in model.scan(text)]


def test_a_character_alone_is_replaced_by_the_word_it_completes(small):
    assert fixes(small, "我跟我的朋唷去看看") == [(5, "友")]


def test_a_character_that_forms_a_word_with_a_neighbour_is_left_alone(small):
    assert fixes(small, "我跟我的朋友去看看") == []


def test_the_gain_must_reach_the_margin(small, monkeypatch):
    gain = next(small.scan("我跟我的朋唷去看看"))[2]
    monkeypatch.setattr(context, "MARGIN", gain + 0.01 - context.WEAK_EXTRA)  # 唷/友 is a weak (pinyin) pair
    assert fixes(small, "我跟我的朋唷去看看") == []


def test_a_replacement_may_not_take_a_character_from_another_word(small):
    # 会同市数据局: 同时 would take 同 from 会同
    assert fixes(small, "会同市数据局看看") == []


def test_an_administrative_level_before_an_organ_is_not_a_typo(small):
    assert fixes(small, "请市林业局去看看") == []


def test_a_name_after_the_contact_label_is_not_a_typo(small):
    assert fixes(small, "联系人林静我们去看看") == []


def test_too_short_a_run_gives_no_context(small):
    assert fixes(small, "，朋唷，") == []


def test_an_enumeration_sharing_its_first_character_is_not_a_typo(small):
    assert fixes(small, "我们逐栋、逐层、逐间去看看") == []


def test_official_phrases_count_as_words():
    freqs = context._with_phrases({})
    assert freqs["风清气正"] == context.PHRASE_COUNT
    assert freqs["清气"] >= context.GATE_FREQ  # its pieces explain their characters
    assert "四不两直" in context._official_phrases()


# ---- the on-disk cache ---------------------------------------------------------------------

@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHONGSHU_CACHE_DIR", str(tmp_path))
    builds = []

    def fake_parts():
        builds.append(1)
        return dict(FREQS), dict(CANDS), dict(STRONG)

    monkeypatch.setattr(context, "build_parts", fake_parts)
    context.model.cache_clear()
    yield tmp_path, builds
    context.model.cache_clear()  # the next test gets the real model back


def test_built_once_then_loaded_from_disk(cache):
    tmp, builds = cache
    m = context.model()
    (f,) = [p for p in tmp.iterdir() if p.name.startswith("proofread-context-")]
    context.model.cache_clear()
    again = context.model()
    assert builds == [1]
    assert again.freqs == m.freqs and again.cands == m.cands and again.bigrams == m.bigrams
    f.write_bytes(b"\x00garbage")
    context.model.cache_clear()
    assert context.model().freqs == FREQS  # a corrupt file is rebuilt silently
    assert builds == [1, 1]


# ---- the real model through the engine -----------------------------------------------------

@pytest.mark.parametrize("text,fixed", [
    ("周末我们一起去公园散步，天起非常好。", "周末我们一起去公园散步，天气非常好。"),
    ("这次活动办得很成功，大家玩得很开兴。", "这次活动办得很成功，大家玩得很开心。"),
    ("他工作非常幸苦，经常加班到很晚。", "他工作非常辛苦，经常加班到很晚。"),
    ("我很喜欢这个地放，风景特别美。", "我很喜欢这个地方，风景特别美。"),
])
def test_engine_reports_context_findings(text, fixed):
    fs = [f for f in proofread(text) if f.category == "typo"]
    assert [f.rule for f in fs] == ["context"]
    assert fs[0].severity == "warning"
    assert apply_fixes(text, fs) == fixed


@pytest.mark.parametrize("text", [
    "市政府办公室会同市数据局定期开展督促检查。",
    "（三）请市林业局于2月28日前报送名单。",
    "联系人：林静，联系电话：0871-1234567。",
    "坚持建管并重，推动设施提质增效，营造风清气正的良好氛围。",
    "各单位逐栋、逐层、逐间进行核查，做到不留死角。",
])
def test_engine_leaves_official_phrasing_alone(text):
    assert [f for f in proofread(text) if f.rule == "context"] == []
