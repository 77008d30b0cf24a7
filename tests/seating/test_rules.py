"""Hand-made expected charts (spec affairs.md §座次): every kind, odd and even, both rules, both viewpoints.

Names are the ranks themselves ("1" is the first), so a row reads as the spec writes it: 5 → "5 3 1 2 4" seen
from the audience under 以左为上.
"""
from __future__ import annotations

import pytest

from zhongshu.seating import SeatingInput, chart_for, generate, row_order


def ranks(n: int) -> list[str]:
    return [str(i) for i in range(1, n + 1)]


def rows(*lines: str) -> list[list[str]]:
    return [line.split() for line in lines]


ROW_CASES = [
    # kind, n, rules, expected rows (front row first, each left to right from the viewpoint)
    ("podium", 1, {}, rows("1")),
    ("podium", 2, {}, rows("1 2")),
    ("podium", 3, {}, rows("3 1 2")),
    ("podium", 5, {}, rows("5 3 1 2 4")),                                  # spec example
    ("podium", 6, {}, rows("5 3 1 2 4 6")),                                # spec example
    ("podium", 8, {}, rows("7 5 3 1 2 4 6 8")),                            # spec example
    ("podium", 6, {"even": "offset"}, rows("6 4 2 1 3 5")),                # spec: second variant
    ("podium", 4, {"even": "offset"}, rows("4 2 1 3")),
    ("podium", 7, {"even": "offset"}, rows("7 5 3 1 2 4 6")),              # odd: the variant does not apply
    ("podium", 5, {"rule": "right"}, rows("4 2 1 3 5")),                   # spec: international practice
    ("podium", 2, {"rule": "right"}, rows("2 1")),
    ("podium", 6, {"rule": "right"}, rows("6 4 2 1 3 5")),
    ("podium", 6, {"rule": "right", "even": "offset"}, rows("5 3 1 2 4 6")),
    ("podium", 5, {"viewpoint": "podium"}, rows("4 2 1 3 5")),             # 2 at 1's left, as 1 sees it
    ("podium", 6, {"viewpoint": "podium"}, rows("6 4 2 1 3 5")),
    ("podium", 5, {"rule": "right", "viewpoint": "podium"}, rows("5 3 1 2 4")),
    ("podium", 11, {"per_row": 7}, rows("7 5 3 1 2 4 6", "10 8 9 11")),   # front row first, each row alike
    ("podium", 15, {"per_row": 5}, rows("5 3 1 2 4", "10 8 6 7 9", "15 13 11 12 14")),
    ("podium", 9, {"per_row": 5, "rule": "right", "viewpoint": "podium"}, rows("5 3 1 2 4", "8 6 7 9")),
    ("photo", 7, {}, rows("7 5 3 1 2 4 6")),
    ("photo", 10, {"per_row": 5}, rows("5 3 1 2 4", "10 8 6 7 9")),
    ("photo", 6, {}, rows("5 3 1 2 4 6")),
    ("photo", 8, {"per_row": 4, "rule": "right", "viewpoint": "podium"}, rows("3 1 2 4", "7 5 6 8")),
]


@pytest.mark.parametrize(("kind", "n", "rules", "expected"), ROW_CASES)
def test_rows(kind, n, rules, expected):
    chart = chart_for(kind, ranks(n), **rules)
    assert chart.rows == expected
    d = chart.to_dict()
    assert d["rows"] == expected
    assert d["viewpoint"] == rules.get("viewpoint", "audience") and d["rule"] == rules.get("rule", "left")
    assert ("观众视角" if d["viewpoint"] == "audience" else "主席台视角") in d["statement"]
    assert ("以左为上" if d["rule"] == "left" else "以右为上") in d["statement"]


def test_photo_even_front_row_gets_a_note_odd_does_not():
    assert any("前排为偶数" in n for n in chart_for("photo", ranks(6)).notes)
    assert chart_for("photo", ranks(7)).notes == []
    assert chart_for("podium", ranks(6)).notes == []


def test_foreign_affairs_photo_host_centred_guest_at_his_right_hosts_at_both_ends():
    chart = chart_for("photo", ["g1", "g2", "g3", "g4"], hosts=["h1", "h2", "h3", "h4"], per_row=7)
    assert chart.rule == "right"                                    # foreign affairs: 以右为上 by default
    # audience view: the host's right is the audience's left
    assert chart.rows == [["h2", "g3", "g1", "h1", "g2", "g4", "h3"], ["h4"]]


def t(*names: str | None) -> list[str | None]:
    return list(names)


BANQUET_CASES = [
    # hosts, guests, rules, expected tables: (number, seats clockwise from the 主陪 seen from above, row, col)
    (["h1", "h2"], [f"g{i}" for i in range(1, 9)], {},
     [(1, t("h1", "g2", "g6", "g7", "g3", "h2", "g4", "g8", "g5", "g1"), 0, 0)]),
    (["h1", "h2"], [f"g{i}" for i in range(1, 9)], {"rule": "left"},
     [(1, t("h1", "g1", "g5", "g8", "g4", "h2", "g3", "g7", "g6", "g2"), 0, 0)]),
    (["h1", "h2", "h3", "h4"], ["g1", "g2", "g3", "g4"], {"seats_per_table": 8},
     [(1, t("h1", "g2", "h4", "g3", "h2", "g4", "h3", "g1"), 0, 0)]),
    (["h1"], ["g1", "g2", "g3"], {"seats_per_table": 6},       # no 副陪: the opposite seat is the last one
     [(1, t("h1", "g2", "g3", None, None, "g1"), 0, 0)]),
    (["h1", "h2", "h3"], [f"g{i}" for i in range(1, 16)], {},   # table 2 to the main host's right
     [(1, t("h1", "g2", "g6", "g7", "g3", "h2", "g4", "g8", "g5", "g1"), 0, 1),
      (2, t("h3", "g10", "g14", "g15", "g11", None, "g12", None, "g13", "g9"), 0, 0)]),
    (["h1", "h2", "h3"], [f"g{i}" for i in range(1, 16)], {"rule": "left"},
     [(1, t("h1", "g1", "g5", "g8", "g4", "h2", "g3", "g7", "g6", "g2"), 0, 0),
      (2, t("h3", "g9", "g13", None, "g12", None, "g11", "g15", "g14", "g10"), 0, 1)]),
]


@pytest.mark.parametrize(("hosts", "guests", "rules", "expected"), BANQUET_CASES)
def test_banquet(hosts, guests, rules, expected):
    chart = chart_for("banquet", guests, hosts=hosts, **rules)
    assert [(x.number, x.seats, x.row, x.col) for x in chart.tables] == expected
    d = chart.to_dict()
    assert d["tables"][0]["seats"][0] == hosts[0] and chart.roles[hosts[0]] == "主陪"
    assert d["viewpoint"] == "plan" and "俯视图" in d["statement"]


def test_banquet_tables_rank_from_the_centre_right_above_left_as_the_main_host_sees_them():
    chart = chart_for("banquet", [f"g{i}" for i in range(1, 23)], hosts=["h1", "h2", "h3", "h4"])
    plan = {(x.row, x.col): x.number for x in chart.tables}
    assert plan == {(0, 0): 2, (0, 1): 1, (0, 2): 3}                 # the plan's left is the host's right
    assert [x.seats[0] for x in chart.tables] == ["h1", "h3", "h4"]    # every table has a 主陪
    chart5 = chart_for("banquet", [f"g{i}" for i in range(1, 45)], hosts=["h1", "h2", "h3", "h4", "h5", "h6"],
                       tables_per_row=3)
    # the second row: table 4 right behind the main table, table 5 at the main host's right
    assert [(x.number, x.row, x.col) for x in chart5.tables] == [(1, 0, 1), (2, 0, 0), (3, 0, 2), (4, 1, 1),
                                                                    (5, 1, 0)]
    four = chart_for("banquet", [f"g{i}" for i in range(1, 35)], hosts=["h1", "h2", "h3", "h4", "h5", "h6"],
                     tables_per_row=4, rule="left")
    assert [(x.number, x.col) for x in four.tables] == [(1, 1), (2, 2), (3, 0), (4, 3)]


TALKS_CASES = [
    # guests, hosts, rules, expected (guests, hosts) left to right as each side sees it
    (["g1", "g2", "g3"], ["h1", "h2", "h3"], {}, (t("g3", "g1", "g2"), t("h3", "h1", "h2"))),
    (["g1", "g2", "g3", "g4", "g5"], ["h1", "h2", "h3", "h4"], {"interpreter": "i"},
     (t("g5", "g3", "g1", "g2", "g4"), t("h4", "h2", "h1", "i", "h3"))),
    (["g1", "g2", "g3"], ["h1", "h2"], {"rule": "left", "interpreter": "i"},
     (t("g2", "g1", "g3"), t("h2", "h1", "i"))),
    (["g1", "g2"], ["h1"], {"table": "end", "guest_interpreter": "j"}, (t("g2", "g1", "j"), t(None, "h1", None))),
]


@pytest.mark.parametrize(("guests", "hosts", "rules", "expected"), TALKS_CASES)
def test_talks(guests, hosts, rules, expected):
    chart = chart_for("talks", guests, hosts=hosts, **rules)
    assert (chart.guests, chart.hosts) == expected
    assert chart.table == rules.get("table", "across") and chart.viewpoint == "seated"
    assert ("客方面门" if chart.table == "across" else "进门右侧为客方") in chart.statement


def g(unit: str, n: int) -> list[str]:
    return [f"{unit}{i}" for i in range(1, n + 1)]


UNITS = [{"name": "县财政局", "people": g("a", 5)}, {"name": "县教育局", "people": g("b", 8)}]

HALL_CASES = [
    # rules, expected blocks (left to right from the viewpoint; rows front to back)
    ({}, [[["b3", "b2"], [None, None]],
          [["a3", "a1", "a2", "a4"], ["b6", "b4", "b5", "b7"]],
          [["a5", "b1"], ["b8", None]]]),
    ({"method": "blocks"}, [[[None, "b8"], [None, None]],
                            [["a3", "a1", "a2", "a4"], ["b2", "a5", "b1", "b3"]],
                            [["b4", "b5"], ["b6", "b7"]]]),
    ({"viewpoint": "podium"}, [[["b1", "a5"], [None, "b8"]],
                               [["a4", "a2", "a1", "a3"], ["b7", "b5", "b4", "b6"]],
                               [["b2", "b3"], [None, None]]]),
    ({"rule": "right"}, [[["b1", "a5"], [None, "b8"]],
                         [["a4", "a2", "a1", "a3"], ["b7", "b5", "b4", "b6"]],
                         [["b2", "b3"], [None, None]]]),
]


@pytest.mark.parametrize(("rules", "expected"), HALL_CASES)
def test_hall(rules, expected):
    chart = chart_for("hall", [], units=UNITS, blocks=3, seats_per_block=[2, 4, 2], **rules)
    assert [b.rows for b in chart.blocks] == expected
    assert chart.roles["a1"] == "县财政局" and chart.roles["b8"] == "县教育局"


def test_hall_one_unit_one_block_is_laid_out_like_a_podium_row():
    chart = chart_for("hall", g("p", 6), blocks=1, seats_per_block=6, rule="right")
    assert chart.blocks[0].rows == [["p6", "p4", "p2", "p1", "p3", "p5"]]


def test_row_order_is_a_permutation_and_mirrors():
    for n in range(1, 30):
        for even in ("pair", "offset"):
            left = row_order(n, "left", even)
            assert sorted(left) == list(range(1, n + 1))
            assert row_order(n, "right", even) == left[::-1]
            assert row_order(n, "left", even, "podium") == left[::-1]


def test_generate_from_dict_defaults_per_kind():
    assert generate(SeatingInput.from_dict({"kind": "banquet", "hosts": ["h"], "people": ["g"]})).rule == "right"
    assert generate(SeatingInput.from_dict({"kind": "talks", "hosts": ["h"], "people": ["g"]})).rule == "right"
    assert generate(SeatingInput.from_dict({"kind": "podium", "people": ["a"]})).rule == "left"


def test_a_banquet_of_hosts_only_and_the_roles():
    chart = chart_for("banquet", [], hosts=["h1", "h2", "h3"], seats_per_table=6)
    assert chart.tables[0].seats == ["h1", None, None, "h2", None, "h3"]     # 三陪 at the 主陪's right
    assert chart.roles == {"h1": "主陪", "h2": "副陪"}
