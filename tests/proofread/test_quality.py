"""Quality targets from the issue, measured on the labelled set and the clean corpus.

Targets: recall >= 0.95 for punct/number/width/space/format, >= 0.75 for typo;
precision >= 0.95; at most 1 false alarm per 10,000 clean characters.
"""
import re
from collections import Counter

import pytest

from zhongshu.proofread import proofread

from .evalset import DATA, evaluate, load_clean, load_labelled


@pytest.fixture(scope="module")
def score():
    s = evaluate()
    print("\n" + s.report())
    return s


def test_eval_set_sizes():
    labels = [lab for c in load_labelled() for lab in c.labels]
    assert len(labels) >= 400
    cats = Counter(lab[2] for lab in labels)
    assert set(cats) == {"punct", "number", "width", "space", "format", "typo", "usage"}
    assert sum(len(t) for _, t, _ in load_clean()) >= 20000


@pytest.mark.parametrize("cat", ["punct", "number", "width", "space", "format"])
def test_recall_rule_categories(score, cat):
    assert score.recall(cat) >= 0.95, score.report()


def test_recall_typo(score):
    assert score.recall("typo") >= 0.75, score.report()


def test_recall_usage(score):
    assert score.recall("usage") >= 0.95, score.report()


def test_precision(score):
    assert score.precision >= 0.95, score.report()


def test_false_alarms(score):
    assert score.false_alarms_per_10k <= 1.0, [(n, f.rule, c) for n, f, c in score.clean_fp]


def test_real_world_style_text():
    """A long notice pasted from a web page: every ASCII comma in Chinese text is found."""
    text = (DATA / "realworld.txt").read_text(encoding="utf-8")
    fs = proofread(text)
    by_rule = Counter(f"{f.category}/{f.rule}" for f in fs)
    print("\nreal-world-style text:", len(text), "characters;", dict(by_rule))
    commas = [m.start() for m in re.finditer(",", text)]
    flagged = {f.start for f in fs if f.rule == "ascii-punct"}
    assert commas and all(c in flagged for c in commas)
    # Nothing but punctuation is wrong in it: no false alarms from the other categories.
    assert set(by_rule) == {"punct/ascii-punct"}
