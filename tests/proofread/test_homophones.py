"""Pronunciation candidates (data/homophones.txt, generated from pypinyin) for the statistical
typo detector, and the guards that keep them off correct official text."""
import pytest

from zhongshu.proofread import apply_fixes, proofread


def typo_fixed(text):
    return apply_fixes(text, [f for f in proofread(text) if f.category == "typo"])


@pytest.mark.parametrize("bad,good", [
    ("请及时高诉各位同事。", "请及时告诉各位同事。"),
    ("节日期间要注意修息。", "节日期间要注意休息。"),
    ("祝你生体健康。", "祝你身体健康。"),
])
def test_homophone_typos_found(bad, good):
    assert typo_fixed(bad) == good


def test_enumeration_with_shared_first_character_is_not_a_typo():
    text = "各单位逐栋、逐层、逐间进行核查，做到不留死角。"
    assert [f for f in proofread(text) if f.category == "typo"] == []


def test_homophone_data_file_is_well_formed():
    from importlib import resources

    lines = resources.files("zhongshu.proofread").joinpath("data/homophones.txt").read_text(encoding="utf-8")
    groups = [ln.split("\t") for ln in lines.splitlines() if ln and not ln.startswith("#")]
    assert len(groups) > 200
    assert all(len(g) == 2 and len(g[1]) > 1 for g in groups)
