"""Re-validation of a hand-edited chart: which seats break the rule.

The office drags a person to another seat; the edited chart is compared with the chart the rule gives for
the same input.  Every seat whose occupant is not the one the rule puts there is reported, with who sits there
and who should; people missing from the chart, unknown names and duplicates are reported too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import RULE_LABELS, Block, Chart, SeatingError, SeatingInput, Table, seat_label
from .rules import generate


@dataclass(frozen=True)
class Violation:
    seat: str                 # 第1排第3座 / 2号桌第4座 …
    name: str | None          # who sits there in the edited chart
    expected: str | None      # who the rule puts there
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"seat": self.seat, "name": self.name, "expected": self.expected, "message": self.message}


def chart_from_dict(inp: SeatingInput, data: Any) -> Chart:
    """The edited chart in the output shape of ``Chart.to_dict()`` (only the seat lists are read)."""
    if not isinstance(data, dict):
        raise SeatingError("chart 应为座次图对象（与输出的 JSON 同样的形状）", "chart")
    chart = Chart(inp.kind, inp.rule, inp.even, inp.viewpoint)

    def seats(v: Any, where: str) -> list[str | None]:
        if not isinstance(v, list) or not all(x is None or isinstance(x, str) for x in v):
            raise SeatingError(f"chart 的{where}应为姓名列表（空座位写 null）", "chart")
        return [x.strip() if isinstance(x, str) and x.strip() else None for x in v]

    try:
        if inp.kind in ("podium", "photo"):
            chart.rows = [seats(r, f"第{i}排") for i, r in enumerate(data["rows"], 1)]
        elif inp.kind == "banquet":
            chart.tables = [Table(int(t["number"]), seats(t["seats"], f"{t['number']}号桌")) for t in data["tables"]]
        elif inp.kind == "hall":
            chart.blocks = [Block(int(b["number"]), [seats(r, f"第{b['number']}区") for r in b["rows"]])
                            for b in data["blocks"]]
        else:
            chart.guests = seats(data["guests"], "客方")
            chart.hosts = seats(data["hosts"], "主方")
    except (KeyError, TypeError, ValueError):
        want = {"podium": "rows", "photo": "rows", "banquet": "tables", "hall": "blocks", "talks": "guests、hosts"}
        raise SeatingError(f"chart 缺少或写错了 {want[inp.kind]}（形状同输出的 JSON）", "chart")
    return chart


def validate(inp: SeatingInput, edited: Chart | dict) -> list[Violation]:
    """Seats of ``edited`` that break the rule for ``inp`` (empty: the chart follows the rule)."""
    chart = edited if isinstance(edited, Chart) else chart_from_dict(inp, edited)
    expected = generate(inp)
    want = expected.positions()
    got = chart.positions()
    listed = set(expected.positions().values())
    out: list[Violation] = []
    seen: dict[str, tuple] = {}
    rule = RULE_LABELS[inp.rule]

    def who(name: str) -> str:
        role = expected.roles.get(name)
        rank = expected.ranks.get(name)
        return f"{name}（{role + '，' if role else ''}第{rank}位）" if rank else name

    for key in sorted(set(want) | set(got), key=lambda k: tuple(str(x).zfill(6) for x in k)):
        name, should = got.get(key), want.get(key)
        label = seat_label(key)
        if name and name not in listed:
            out.append(Violation(label, name, should, f"{label}：{name} 不在名单中"))
            continue
        if name and name in seen:
            out.append(Violation(label, name, should, f"{label}：{name} 重复出现（另见{seat_label(seen[name])}）"))
            continue
        if name:
            seen[name] = key
        if name == should:
            continue
        if should is None:
            msg = f"{label}：按{rule}此座应空着，{who(name or '')}应坐{seat_label(_where(want, name))}"
        elif name is None:
            msg = f"{label}：按{rule}此座应为{who(should)}，现为空座"
        else:
            msg = f"{label}：{who(name)}坐错了位置，按{rule}此座应为{who(should)}"
        out.append(Violation(label, name, should, msg))
    for name in sorted(listed - set(got.values()), key=lambda n: expected.ranks.get(n, 0)):
        out.append(Violation("", None, name, f"{who(name)}没有安排座位"))
    return out


def _where(positions: dict[tuple, str], name: str | None) -> tuple:
    return next((k for k, v in positions.items() if v == name), ("row", -1, -1))
