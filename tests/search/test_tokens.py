"""The pure tokenizer: normalisation, runs, document tokens, query plans."""

from zhongshu.search.tokens import canonical, document_tokens, plan, runs


def test_widths_and_case_are_normalised():
    assert runs("ＡＢＣ１２３ Hello") == [("abc123", False), ("hello", False)]
    assert canonical("某政办发（２０２６）１５号") == canonical("某政办发〔2026〕15号") == " 某政办发 2026 15 号 "


def test_document_numbers_in_every_bracket_form_plan_alike():
    forms = ["某政办发〔2026〕15号", "某政办发[2026]15号", "某政办发(2026)15号", "某政办发（2026）15号", "某政办发【2026】15号"]
    plans = {plan(f) for f in forms}
    assert len(plans) == 1
    (p,) = plans
    assert p.tokens == ("某政", "政办", "办发", "2026", "15", "号", "发\ue0012026", "2026\ue00115", "15\ue001号")
    assert p.pattern == "某政办发 2026 15 号"


def test_document_tokens_have_unigrams_bigrams_and_words():
    toks = set(document_tokens("安全生产，2026年 ABC").split())
    assert {"安", "全", "生", "产", "安全", "全生", "生产", "2026", "年", "abc", "产\ue0012026", "2026\ue001年", "年\ue001abc"} == toks
    assert "产2" not in toks and "产年" not in toks  # no bigram across runs, only the marked boundary tokens


def test_query_plans():
    assert plan("  ，。 ") is None
    assert plan("安").tokens == ("安",)
    assert plan("安全生产").tokens == ("安全", "全生", "生产")
    assert plan("15号").pattern == " 15 号"  # a leading word matches whole words only
    assert plan("x\x00y").parts == ("xy",)
