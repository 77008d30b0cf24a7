"""Input and output of the seating library (座次): validated dataclasses, no Django.

``SeatingInput.from_dict`` accepts the INPUT.json shape of docs/seating.md and rejects bad values with a
Chinese message naming the key (``SeatingError.field``).  ``Chart`` is what every generator returns; its
``to_dict()`` is the JSON output of the CLI, and it always states its viewpoint and rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("podium", "hall", "banquet", "photo", "talks")
KIND_LABELS = {"podium": "主席台", "hall": "会场", "banquet": "宴请", "photo": "合影", "talks": "会谈"}
RULES = ("left", "right")
RULE_LABELS = {"left": "以左为上", "right": "以右为上"}
EVENS = ("pair", "offset")
EVEN_LABELS = {
    "pair": "人数为偶数时1、2号同居中间两座",
    "offset": "人数为偶数时按第二种排法（1号在中线左侧）",
}
VIEWPOINTS = ("audience", "podium")
VIEWPOINT_LABELS = {
    "audience": "观众视角",          # as the audience (or the photographer) sees the row
    "podium": "主席台视角",          # as the seated people themselves see it
    "plan": "俯视图（门在下方）",     # banquets: tables seen from above, the door at the bottom
    "seated": "各方就座者视角",       # talks: each side as its own members see it
}
HALL_METHODS = ("rows", "blocks")
TALKS_TABLES = ("across", "end")

# Per-kind defaults (spec affairs.md §座次, each an organization setting):
#  - government podiums, halls and domestic photos rank left above right (以左为上), judged from the seated
#    person's own view;
#  - banquets use 以右为上 even in government practice; talks are foreign-affairs/business settings → 以右为上.
DEFAULT_RULE = {"podium": "left", "hall": "left", "photo": "left", "banquet": "right", "talks": "right"}

MAX_PEOPLE = 5000
MAX_NAME = 40


class SeatingError(ValueError):
    """Bad input; ``message`` is Chinese and meant for the user, ``field`` names the key."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Unit:
    """A unit (单位) of a 会场 and its people in rank order."""

    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class SeatingInput:
    kind: str
    people: tuple[str, ...]                 # in rank order (for a banquet/talks: the guests)
    rule: str = "left"
    even: str = "pair"
    viewpoint: str = "audience"
    per_row: int | None = None              # podium/photo: seats per row (None: one row)
    hosts: tuple[str, ...] = ()             # banquet/talks (and a foreign-affairs photo): the host side
    seats_per_table: int = 10
    tables_per_row: int = 3
    units: tuple[Unit, ...] = ()            # hall
    blocks: int = 3                         # hall: blocks side by side, separated by aisles
    seats_per_block: tuple[int, ...] = (10,)
    method: str = "rows"                    # hall: rows (横排) or blocks (分区竖排)
    table: str = "across"                   # talks: across (table parallel to the door) or end (end toward door)
    interpreter: str | None = None          # talks: the host side's interpreter
    guest_interpreter: str | None = None
    title: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> SeatingInput:
        if not isinstance(data, dict):
            raise SeatingError("输入应为 JSON 对象，例如 {\"kind\": \"podium\", \"people\": [\"张三\", \"李四\"]}")
        known = {"kind", "rule", "even", "viewpoint", "per_row", "people", "hosts", "seats_per_table",
                 "tables_per_row", "units", "blocks", "seats_per_block", "method", "table", "interpreter",
                 "guest_interpreter", "title", "chart", "paper"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SeatingError(f"不认识的键：{'、'.join(unknown)}", unknown[0])
        kind = data.get("kind")
        if kind not in KINDS:
            raise SeatingError("kind 应为 podium（主席台）、hall（会场）、banquet（宴请）、photo（合影）、talks（会谈）之一",
                               "kind")
        # a foreign-affairs photo (with hosts) follows 以右为上 like other foreign-affairs settings
        default_rule = "right" if kind == "photo" and data.get("hosts") else DEFAULT_RULE[kind]
        rule = _choice(data, "rule", RULES, default_rule, "rule 应为 left（以左为上）或 right（以右为上）")
        even = _choice(data, "even", EVENS, "pair", "even（人数为偶数时的排法）应为 pair（1、2号同居中）或 offset（第二种排法）")
        viewpoint = _choice(data, "viewpoint", VIEWPOINTS, "audience",
                            "viewpoint 应为 audience（观众视角）或 podium（主席台视角）")
        per_row = _int(data, "per_row", None, 1, 200, "每排人数")
        title = data.get("title", "")
        if not isinstance(title, str) or len(title) > 100:
            raise SeatingError("title 应为不超过 100 字的文字", "title")
        kw: dict[str, Any] = {"kind": kind, "rule": rule, "even": even, "viewpoint": viewpoint, "per_row": per_row,
                              "title": title.strip()}
        if kind == "hall":
            units = _units(data)
            kw["units"] = units
            kw["people"] = tuple(p for u in units for p in u.people)
            kw["blocks"] = _int(data, "blocks", 3, 1, 20, "分区数")
            spb = data.get("seats_per_block", 10)
            if isinstance(spb, int) and not isinstance(spb, bool):
                spb = [spb] * kw["blocks"]
            if (not isinstance(spb, list) or len(spb) != kw["blocks"]
                    or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 100 for n in spb)):
                raise SeatingError("seats_per_block 应为 1–100 的整数，或每个分区一个整数的列表（个数与 blocks 相同）",
                                   "seats_per_block")
            kw["seats_per_block"] = tuple(spb)
            kw["method"] = _choice(data, "method", HALL_METHODS, "rows",
                                   "method 应为 rows（横排：前排为上）或 blocks（分区：按区自前向后）")
        else:
            kw["people"] = _names(data.get("people"), "people", "人员名单", allow_empty=kind == "banquet")
        if kind in ("banquet", "talks") or (kind == "photo" and "hosts" in data):
            kw["hosts"] = _names(data.get("hosts"), "hosts", "主方人员名单")
            dup = set(kw["hosts"]) & set(kw["people"])
            if dup:
                raise SeatingError(f"同一人不能既在主方又在客方：{'、'.join(sorted(dup))}", "hosts")
        elif "hosts" in data:
            raise SeatingError(f"{KIND_LABELS[kind]}不区分主客方，不能给 hosts", "hosts")
        if kind == "banquet":
            kw["seats_per_table"] = _int(data, "seats_per_table", 10, 4, 30, "每桌座位数")
            kw["tables_per_row"] = _int(data, "tables_per_row", 3, 1, 12, "每排桌数")
        if kind == "talks":
            kw["table"] = _choice(data, "table", TALKS_TABLES, "across",
                                  "table 应为 across（横桌：桌子与门平行）或 end（竖桌：桌子一端朝门）")
            everyone = set(kw["hosts"]) | set(kw["people"])
            for key in ("interpreter", "guest_interpreter"):
                v = data.get(key)
                if v is None:
                    continue
                if not isinstance(v, str) or not v.strip() or len(v.strip()) > MAX_NAME:
                    raise SeatingError(f"{key}（译员）应为姓名", key)
                if v.strip() in everyone:
                    raise SeatingError(f"译员“{v.strip()}”已在人员名单中", key)
                kw[key] = v.strip()
                everyone.add(v.strip())
            if not kw["people"]:
                raise SeatingError("会谈至少要有一位客方人员", "people")
        elif kind != "hall":
            for key in ("table", "interpreter", "guest_interpreter"):
                if key in data:
                    raise SeatingError(f"{key} 只用于会谈（talks）", key)
        return cls(**kw)


def _choice(data: dict, key: str, allowed: tuple[str, ...], default: str, message: str) -> str:
    v = data.get(key)
    if v is None:
        return default
    if v not in allowed:
        raise SeatingError(message, key)
    return v


def _int(data: dict, key: str, default: int | None, lo: int, hi: int, label: str) -> Any:
    v = data.get(key)
    if v is None:
        return default
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise SeatingError(f"{key}（{label}）应为 {lo}–{hi} 的整数", key)
    return v


def _names(value: Any, key: str, label: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or (not value and not allow_empty):
        raise SeatingError(f"{key}（{label}）应为按职级排好的姓名列表，至少一人", key)
    if len(value) > MAX_PEOPLE:
        raise SeatingError(f"{key}（{label}）超过 {MAX_PEOPLE} 人", key)
    out: list[str] = []
    seen: set[str] = set()
    for i, v in enumerate(value, 1):
        if not isinstance(v, str) or not v.strip():
            raise SeatingError(f"{key}（{label}）第 {i} 项不是姓名", key)
        name = v.strip()
        if len(name) > MAX_NAME:
            raise SeatingError(f"{key}（{label}）第 {i} 项超过 {MAX_NAME} 字", key)
        if name in seen:
            raise SeatingError(f"{label}中有重名：{name}。请加以区分，例如“{name}（单位）”", key)
        seen.add(name)
        out.append(name)
    return tuple(out)


def _units(data: dict) -> tuple[Unit, ...]:
    raw = data.get("units")
    if raw is None and "people" in data:          # one anonymous unit
        return (Unit("", _names(data.get("people"), "people", "人员名单")),)
    if not isinstance(raw, list) or not raw:
        raise SeatingError("units（单位）应为列表，每项形如 {\"name\": \"县财政局\", \"people\": [\"张三\"]}", "units")
    units = []
    seen: set[str] = set()
    for i, u in enumerate(raw, 1):
        if not isinstance(u, dict) or not isinstance(u.get("name"), str) or not u["name"].strip():
            raise SeatingError(f"units 第 {i} 项应有单位名称 name 和人员 people", "units")
        people = _names(u.get("people"), "units", f"{u['name'].strip()}的人员名单")
        dup = seen & set(people)
        if dup:
            raise SeatingError(f"同一人出现在多个单位：{'、'.join(sorted(dup))}", "units")
        seen |= set(people)
        units.append(Unit(u["name"].strip(), people))
    if len(seen) > MAX_PEOPLE:
        raise SeatingError(f"会场人数超过 {MAX_PEOPLE} 人", "units")
    return tuple(units)


@dataclass
class Table:
    """One banquet table: seats clockwise seen from above (door at the bottom), from the 主陪's seat."""

    number: int
    seats: list[str | None]
    row: int = 0            # position in the room plan: row 0 is farthest from the door
    col: int = 0            # column, left to right in the plan


@dataclass
class Block:
    """One block of a 会场: rows front to back, seats left to right from the chart's viewpoint."""

    number: int
    rows: list[list[str | None]]


@dataclass
class Chart:
    """A seating chart.  Positions are always stated from ``viewpoint`` under ``rule``."""

    kind: str
    rule: str
    even: str
    viewpoint: str
    title: str = ""
    rows: list[list[str | None]] = field(default_factory=list)      # podium, photo
    tables: list[Table] = field(default_factory=list)               # banquet
    blocks: list[Block] = field(default_factory=list)               # hall
    guests: list[str | None] = field(default_factory=list)          # talks, seated view of the guests
    hosts: list[str | None] = field(default_factory=list)           # talks, seated view of the hosts
    table: str = ""                                                 # talks: across / end
    roles: dict[str, str] = field(default_factory=dict)             # name → 主陪, 副陪, 主宾, 译员, 单位…
    ranks: dict[str, int] = field(default_factory=dict)             # name → rank (1 = first) on its side
    notes: list[str] = field(default_factory=list)

    @property
    def statement(self) -> str:
        """The line every printed chart carries: viewpoint and rule."""
        view = VIEWPOINT_LABELS[self.viewpoint]
        if self.kind == "photo":        # the "audience" of a photo is the camera
            view += "（面对合影者）" if self.viewpoint == "audience" else "（合影者本人）"
        parts = [view, RULE_LABELS[self.rule]]
        if self.kind in ("podium", "photo", "hall"):
            parts.append(EVEN_LABELS[self.even])
        if self.kind == "banquet":
            parts.append("主陪面门，副陪相对")
        if self.kind == "talks":
            parts.append("横桌：客方面门" if self.table == "across" else "竖桌：进门右侧为客方")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "rule": self.rule, "viewpoint": self.viewpoint,
                             "statement": self.statement}
        if self.kind in ("podium", "photo", "hall"):
            d["even"] = self.even
        if self.title:
            d["title"] = self.title
        if self.kind in ("podium", "photo"):
            d["rows"] = [list(r) for r in self.rows]
        elif self.kind == "banquet":
            d["tables"] = [{"number": t.number, "seats": list(t.seats), "row": t.row, "col": t.col}
                           for t in self.tables]
        elif self.kind == "hall":
            d["blocks"] = [{"number": b.number, "rows": [list(r) for r in b.rows]} for b in self.blocks]
        else:
            d.update(table=self.table, guests=list(self.guests), hosts=list(self.hosts))
        if self.roles:
            d["roles"] = dict(self.roles)
        if self.notes:
            d["notes"] = list(self.notes)
        return d

    def positions(self) -> dict[tuple, str]:
        """Every occupied seat: a position key → name.  Keys are comparable between two charts of one input."""
        out: dict[tuple, str] = {}
        for r, row in enumerate(self.rows):
            for s, n in enumerate(row):
                if n:
                    out[("row", r, s)] = n
        for t in self.tables:
            for s, n in enumerate(t.seats):
                if n:
                    out[("table", t.number, s)] = n
        for b in self.blocks:
            for r, row in enumerate(b.rows):
                for s, n in enumerate(row):
                    if n:
                        out[("block", b.number, r, s)] = n
        for side, seats in (("guests", self.guests), ("hosts", self.hosts)):
            for s, n in enumerate(seats):
                if n:
                    out[(side, s)] = n
        return out


def seat_label(key: tuple) -> str:
    """A position key in words: 第1排第3座 / 2号桌第4座 / 第2区第1排第5座 / 客方第2座."""
    if key[0] == "row":
        return f"第{key[1] + 1}排第{key[2] + 1}座"
    if key[0] == "table":
        return f"{key[1]}号桌第{key[2] + 1}座"
    if key[0] == "block":
        return f"第{key[1]}区第{key[2] + 1}排第{key[3] + 1}座"
    return f"{'客方' if key[0] == 'guests' else '主方'}第{key[1] + 1}座"
