"""Re-validation of a hand-edited chart: the seats that break the rule are named, with who should sit there."""
from __future__ import annotations

import copy

import pytest

from zhongshu.seating import SeatingError, SeatingInput, generate, validate


def inp(**kw) -> SeatingInput:
    return SeatingInput.from_dict(kw)


PODIUM = inp(kind="podium", people=["王书记", "李县长", "张副县长", "刘副县长", "陈部长"])


def test_the_generated_chart_is_valid_for_every_kind():
    cases = [
        PODIUM,
        inp(kind="photo", people=[f"p{i}" for i in range(9)], per_row=5),
        inp(kind="banquet", hosts=["h1", "h2", "h3"], people=[f"g{i}" for i in range(15)]),
        inp(kind="hall", units=[{"name": "A", "people": ["a1", "a2"]}, {"name": "B", "people": ["b1"]}]),
        inp(kind="talks", hosts=["h1", "h2"], people=["g1", "g2", "g3"], interpreter="i"),
    ]
    for case in cases:
        chart = generate(case)
        assert validate(case, chart) == []
        assert validate(case, chart.to_dict()) == []          # the JSON shape round-trips


def test_dragging_one_person_marks_both_seats():
    chart = generate(PODIUM).to_dict()             # 陈部长 张副县长 王书记 李县长 刘副县长
    row = chart["rows"][0]
    row[2], row[3] = row[3], row[2]                # 李县长 dragged to the centre
    v = validate(PODIUM, chart)
    assert [x.seat for x in v] == ["第1排第3座", "第1排第4座"]
    assert (v[0].name, v[0].expected) == ("李县长", "王书记")
    assert "李县长（第2位）坐错了位置" in v[0].message and "以左为上" in v[0].message


def test_moving_to_an_empty_seat_and_leaving_one_empty():
    case = inp(kind="banquet", hosts=["h1", "h2", "h3"], people=[f"g{i}" for i in range(1, 16)])
    chart = generate(case).to_dict()
    t2 = chart["tables"][1]["seats"]
    assert t2[5] is None
    t2[5], t2[9] = t2[9], None                     # g9 moves to the empty seat opposite table 2's 主陪
    v = validate(case, chart)
    assert {(x.seat, x.name, x.expected) for x in v} == {("2号桌第6座", "g9", None), ("2号桌第10座", None, "g9")}
    assert any("此座应空着" in x.message for x in v) and any("现为空座" in x.message for x in v)


def test_unknown_duplicate_and_missing_people():
    chart = generate(PODIUM).to_dict()
    row = chart["rows"][0]
    row[0] = "赵某"                                  # not on the list: 陈部长 is now missing
    row[4] = row[3]                                # 李县长 twice: 刘副县长 missing
    v = validate(PODIUM, chart)
    msgs = " ".join(x.message for x in v)
    assert "赵某 不在名单中" in msgs and "李县长 重复出现" in msgs
    assert "陈部长（第5位）没有安排座位" in msgs and "刘副县长（第4位）没有安排座位" in msgs


def test_hall_and_talks_violations_name_their_seats():
    hall = inp(kind="hall", units=[{"name": "县财政局", "people": ["a1", "a2", "a3"]}], blocks=1, seats_per_block=3)
    chart = generate(hall).to_dict()
    seats = chart["blocks"][0]["rows"][0]          # a3 a1 a2
    seats[0], seats[1] = seats[1], seats[0]
    v = validate(hall, chart)
    assert [x.seat for x in v] == ["第1区第1排第1座", "第1区第1排第2座"]
    assert "县财政局" in v[0].message
    talks = inp(kind="talks", hosts=["h1", "h2"], people=["g1", "g2"])
    tc = generate(talks).to_dict()
    tc["guests"], tc["hosts"] = tc["hosts"], tc["guests"]
    assert {x.seat for x in validate(talks, tc)} == {"客方第2座", "客方第3座", "主方第2座", "主方第3座"}


@pytest.mark.parametrize("bad", [[], {"rows": "甲乙"}, {"rows": [[1, 2]]}, {"tables": []}])
def test_a_malformed_chart_is_refused_in_chinese(bad):
    with pytest.raises(SeatingError) as e:
        validate(PODIUM, copy.deepcopy(bad))
    assert e.value.field == "chart" and "chart" in e.value.message
