"""A wrong heading mark is one format/heading-ordinal finding with the right fix — never also
a punctuation or space finding that would suggest a different (wrong) replacement."""
import pytest

from zhongshu.proofread import Config, apply_fixes, proofread

BODY = "\n要加强学习。"


@pytest.mark.parametrize(
    ("heading", "span", "suggestion", "fixed"),
    [
        ("一. 提高思想认识", ". ", "、", "一、提高思想认识"),
        ("一.提高思想认识", ".", "、", "一、提高思想认识"),
        ("一．提高思想认识", "．", "、", "一、提高思想认识"),
        ("一, 提高思想认识", ", ", "、", "一、提高思想认识"),
        ("一: 提高思想认识", ": ", "、", "一、提高思想认识"),
        ("1、提高思想认识", "、", ".", "1.提高思想认识"),
        ("1、 提高思想认识", "、 ", ".", "1.提高思想认识"),
        ("1, 提高思想认识", ", ", ".", "1.提高思想认识"),
        ("（一）、提高思想认识", "、", "", "（一）提高思想认识"),
        ("（一）. 提高思想认识", ". ", "", "（一）提高思想认识"),
        ("（一）， 提高思想认识", "， ", "", "（一）提高思想认识"),
    ],
)
def test_exactly_one_heading_finding(heading, span, suggestion, fixed):
    text = heading + BODY
    for typo in (True, False):
        fs = proofread(text, typo=typo)
        assert [(f.category, f.rule, text[f.start:f.end], f.suggestion) for f in fs] == [
            ("format", "heading-ordinal", span, suggestion)
        ], fs
        assert apply_fixes(text, fs) == fixed + BODY


def test_correct_heading_marks_are_quiet():
    text = "一、总体要求\n（一）指导思想\n1.提高认识\n（1）加强学习。\n要加强学习。"
    assert proofread(text) == []


def test_ignoring_the_heading_finding_does_not_bring_back_the_punct_one():
    text = "一. 提高思想认识" + BODY
    (f,) = proofread(text)
    assert proofread(text, config=Config(ignored_spans=frozenset({(f.rule, f.start, f.end)}))) == []
    assert proofread(text, config=Config(disabled_rules=frozenset({"heading-ordinal"}))) == []


def test_numbers_are_not_headings():
    assert not any(f.rule == "heading-ordinal" for f in proofread("1, 2两项要加强。"))
    # Outside a heading the ASCII full stop is still reported as punctuation.
    fs = proofread("会议决定.要加强学习。")
    assert [(f.rule, f.suggestion) for f in fs] == [("ascii-punct", "。")]
