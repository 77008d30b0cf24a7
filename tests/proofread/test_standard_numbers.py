"""Standard numbers (标准编号) such as GB/T 9704-2012 are names, not number ranges: no finding inside them."""
import pytest

from zhongshu.proofread import proofread
from zhongshu.proofread.model import CATEGORIES, CATEGORY_LABELS
from zhongshu.proofread.text import standard_spans

STANDARDS = [
    "GB/T 9704-2012",
    "GB/T 15834—2011",
    "GB/T 15835－2011",
    "GB/T9704-2012",
    "DA/T 22-2015",
    "GB 32100-2015",
    "GB/T 7714-2015",
    "ISO 8601",
    "ISO 8601:2019",
    "ISO/IEC 27001:2022",
    "GB/T 22239-2019",
    "DB11/T 1234-2020",
    "JGJ 79-2012",
    "GB/T 1.1-2020",
]


@pytest.mark.parametrize("std", STANDARDS)
@pytest.mark.parametrize("frame", ["按照{}规定执行。", "依据《党政机关公文格式》（{}）排版。", "{}和{}", "参照{}要求，做好工作。"])
def test_standard_number_not_flagged(std, frame):
    text = frame.format(std, std)
    spans = standard_spans(text)
    inside = [f for f in proofread(text, typo=False)
              if any(a <= f.start < b or (f.start == f.end == b) for a, b in spans) and f.category != "usage"]
    assert spans and all(text[a:b] == std for a, b in spans), spans
    assert inside == [], [(f.rule, text[f.start:f.end], f.message) for f in inside]


@pytest.mark.parametrize("text, bad", [
    ("第3-5条规定的事项。", "-"),
    ("2019-2021年，增长明显。", "-"),
    ("增长5%-8%左右。", "-"),
    ("完成3-5个项目。", "-"),
])
def test_real_ranges_still_flagged(text, bad):
    assert any(f.rule == "connector" and text[f.start:f.end] == bad for f in proofread(text, typo=False))


def test_no_standard_without_a_code():
    assert standard_spans("第3-5条和2019-2021年，PM2.5浓度") == []


def test_categories_have_chinese_labels():
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert CATEGORY_LABELS["punct"].startswith("标点") and CATEGORY_LABELS["number"].startswith("数字")
    assert CATEGORY_LABELS["format"].endswith("格式")
