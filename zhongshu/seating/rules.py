"""The seating rules (spec affairs.md §座次) and the five generators.

Conventions used throughout:
- *seated view*: left to right as the seated people themselves see it (主席台视角 for a podium);
  *audience view*: as the audience or the photographer sees them, i.e. the seated view reversed.
- 以左为上 (rule ``left``) is judged from the seated person's own view: rank 2 sits at rank 1's left.
  以右为上 (rule ``right``) mirrors every arrangement.
- Podium, one row, odd N: 1 in the centre, 2 at 1's left, 3 at 1's right, alternating outward.  Even N,
  ``pair`` (the default): 1 and 2 take the two centre seats, 2 at 1's left.  Seen from the audience:
  5 → 5 3 1 2 4; 6 → 5 3 1 2 4 6; 8 → 7 5 3 1 2 4 6 8.  ``offset`` (the second variant, 1 left of centre):
  6 → 6 4 2 1 3 5.  With 以右为上: 5 → 4 2 1 3 5 (spec, sec).
"""
from __future__ import annotations

import math

from .model import Block, Chart, SeatingError, SeatingInput, Table


def row_order(n: int, rule: str = "left", even: str = "pair", viewpoint: str = "audience") -> list[int]:
    """Ranks (1 = first) of one row of ``n`` seats, left to right as seen from ``viewpoint``."""
    odds = list(range(1, n + 1, 2))
    evens = list(range(2, n + 1, 2))
    if n % 2 == 1 or even == "pair":
        seq = odds[::-1] + evens            # audience view under 以左为上: 5 3 1 2 4 (6)
    else:
        seq = evens[::-1] + odds            # the second even variant: 6 4 2 1 3 5
    if rule == "right":
        seq.reverse()
    if viewpoint == "podium":
        seq.reverse()
    return seq


def _rows(names: tuple[str, ...] | list[str], per_row: int | None, inp: SeatingInput) -> list[list[str | None]]:
    """Ranks fill the front row first; each row is laid out by the same rule (its own count)."""
    per = per_row or max(len(names), 1)
    rows: list[list[str | None]] = []
    for start in range(0, len(names), per):
        chunk = names[start:start + per]
        rows.append([chunk[k - 1] for k in row_order(len(chunk), inp.rule, inp.even, inp.viewpoint)])
    return rows


def podium(inp: SeatingInput) -> Chart:
    chart = Chart("podium", inp.rule, inp.even, inp.viewpoint, inp.title, rows=_rows(inp.people, inp.per_row, inp))
    chart.ranks = {n: i for i, n in enumerate(inp.people, 1)}
    return chart


def photo(inp: SeatingInput) -> Chart:
    """Group photo: like the podium, front row first, centre out.

    Domestic practice wants an odd front row so that 1 is centred — an even front row gets a note.  With
    ``hosts`` (a foreign-affairs photo): the host's principal in the centre, the guests by rank alternating
    from the principal's higher side (his right under 以右为上), and host-side people at both ends; the rest in
    the back rows by rank (guests first).  The ends rule is secondary-source practice (sec), hence the option.
    """
    chart = Chart("photo", inp.rule, inp.even, inp.viewpoint, inp.title)
    if not inp.hosts:
        chart.rows = _rows(inp.people, inp.per_row, inp)
        chart.ranks = {n: i for i, n in enumerate(inp.people, 1)}
    else:
        total = len(inp.people) + len(inp.hosts)
        cap = min(inp.per_row or total, total)
        n_ends = min(2, len(inp.hosts) - 1, max(0, cap - 2))
        ends = list(inp.hosts[1:1 + n_ends])
        middle_pool = [inp.hosts[0], *inp.people, *inp.hosts[1 + n_ends:]]
        middle = middle_pool[:cap - n_ends]
        rest = middle_pool[cap - n_ends:]
        seated = [middle[k - 1] for k in row_order(len(middle), inp.rule, inp.even, "podium")]
        # the higher end in the seated view: the right end under 以右为上, the left end under 以左为上
        hi_first = inp.rule == "left"
        front: list[str | None] = list(seated)
        for i, h in enumerate(ends):
            if (i == 0) == hi_first:
                front.insert(0, h)
            else:
                front.append(h)
        if inp.viewpoint == "audience":
            front.reverse()
        chart.rows = [front, *_rows(rest, inp.per_row, inp)]
        chart.ranks = {n: i for i, n in enumerate(inp.people, 1)} | {n: i for i, n in enumerate(inp.hosts, 1)}
        chart.roles = {h: "主方" for h in inp.hosts} | {inp.hosts[0]: "主方主要领导"}
    front_row = chart.rows[0] if chart.rows else []
    if len(front_row) % 2 == 0 and front_row:
        chart.notes.append(f"前排为偶数（{len(front_row)}人），1号无法居中；合影前排宜为奇数，可调整每排人数（per_row）")
    return chart


def hall(inp: SeatingInput) -> Chart:
    """会场: blocks side by side (aisles between), units in rank order take seats by seat priority.

    Seat priority: ``rows`` (横排, default) — front row first, in each row the blocks by priority (centre block
    first, then alternating by the rule), in a block the seats in the order a podium row as long as the whole
    hall row would rank them (so the centre block is laid out like the podium, side blocks from the aisle out);
    ``blocks`` (分区) — block by block, each front to back.  Secondary sources (sec) describe the 横排 and 竖排
    methods and rank a hall row "from the centre of the hall or podium, alternating left and right, the same as
    the podium" — so a hall row is ranked like a podium row (the higher side is where the podium's No. 2 sits).
    Ranking whole blocks the same way is this library's reading, not confirmed (unconf): ``method``, ``rule`` and
    ``even`` are options.  Each unit's people sit in its own rank order on consecutive priority seats.
    """
    widths = list(inp.seats_per_block)
    nb = inp.blocks
    per_row = sum(widths)
    total = len(inp.people)
    n_rows = max(1, math.ceil(total / per_row))
    block_rank = {pos: r for pos, r in enumerate(row_order(nb, inp.rule, inp.even, "audience"))}
    # every seat of a row, left to right in audience view, ranked like a podium row of the same length
    xs = [(b, s) for b, w in enumerate(widths) for s in range(w)]
    seat_rank = {pos: r for pos, r in enumerate(row_order(per_row, inp.rule, inp.even, "audience"))}

    def key(r: int, b: int, x: int) -> tuple:
        return (r, block_rank[b], seat_rank[x]) if inp.method == "rows" else (block_rank[b], r, seat_rank[x])

    seats = sorted(((r, b, s, x) for r in range(n_rows) for x, (b, s) in enumerate(xs)),
                   key=lambda t: key(t[0], t[1], t[3]))
    grid: list[list[list[str | None]]] = [[[None] * w for _ in range(n_rows)] for w in widths]
    for name, (r, b, s, _) in zip(inp.people, seats, strict=False):
        grid[b][r][s] = name
    blocks = []
    order = range(nb) if inp.viewpoint == "audience" else range(nb - 1, -1, -1)
    for num, b in enumerate(order, 1):
        rows = grid[b] if inp.viewpoint == "audience" else [row[::-1] for row in grid[b]]
        blocks.append(Block(num, rows))
    chart = Chart("hall", inp.rule, inp.even, inp.viewpoint, inp.title, blocks=blocks)
    for u in inp.units:
        for i, p in enumerate(u.people, 1):
            chart.ranks[p] = i
            if u.name:
                chart.roles[p] = u.name
    return chart


def _table_seats(size: int, hosts: list[str], guests: list[str], rule: str) -> list[str | None]:
    """One round table, seats clockwise from above (door at the bottom) starting at the 主陪's seat.

    A person facing the table's centre has his right counter-clockwise (seen from above).  主陪 at seat 0
    (facing the door), 副陪 opposite; guests by rank: 主陪's right, his left, 副陪's right, his left, then the
    next seats outward in the same order; further hosts take the seats left over.  以左为上 swaps right/left.
    """
    seats: list[str | None] = [None] * size
    opp = size // 2
    hi = -1 if rule == "right" else 1            # the higher side's direction around the table
    ring: list[int] = []
    for d in range(1, size):
        for base in (0, opp):
            for sgn in (hi, -hi):
                i = (base + sgn * d) % size
                if i not in (0, opp) and i not in ring:
                    ring.append(i)
    people_hosts = list(hosts)
    people_guests = list(guests)
    if people_hosts:
        seats[0] = people_hosts.pop(0)
    elif people_guests:
        seats[0] = people_guests.pop(0)
    if people_hosts:
        seats[opp] = people_hosts.pop(0)
    else:
        ring.append(opp)                          # no 副陪: the opposite seat is the last one
    for name in people_guests + people_hosts:
        seats[ring.pop(0)] = name
    return seats


def banquet(inp: SeatingInput) -> Chart:
    """宴请: round tables numbered from the main one (1); 以右为上 by default even in government practice."""
    size = inp.seats_per_table
    hosts, guests = list(inp.hosts), list(inp.people)
    n_tables = max(1, math.ceil((len(hosts) + len(guests)) / size))
    per_hosts: list[list[str]] = [[] for _ in range(n_tables)]
    queue = list(hosts)
    # table 1: 主陪 and 副陪; then a 主陪 for every other table, then their 副陪, then round robin
    order = [0, 0, *range(1, n_tables), *range(1, n_tables)]
    k = 0
    while queue:
        t = order[k] if k < len(order) else (k - len(order)) % n_tables
        k += 1
        if len(per_hosts[t]) < size:
            per_hosts[t].append(queue.pop(0))
    per_guests: list[list[str]] = []
    gi = 0
    for t in range(n_tables):
        free = size - len(per_hosts[t])
        per_guests.append(guests[gi:gi + free])
        gi += free
    if gi < len(guests):                          # cannot happen with n_tables as computed; keep it honest
        raise SeatingError("座位不足", "seats_per_table")
    tables = [Table(t + 1, _table_seats(size, per_hosts[t], per_guests[t], inp.rule)) for t in range(n_tables)]
    # room plan: rows of tables_per_row, row 0 farthest from the door, the main table in its middle.  The other
    # tables rank by nearness to the main table, then right above left as the main host (facing the door) sees
    # them — his right is the plan's left.  Each row takes the columns nearest the main table's column.
    width = min(inp.tables_per_row, n_tables)
    main_col = width // 2 if inp.rule == "right" else (width - 1) // 2
    hi_side = -1 if inp.rule == "right" else 1
    cols = sorted(range(width), key=lambda c: (abs(c - main_col), 0 if (c - main_col) * hi_side > 0 else 1))
    for start in range(0, n_tables, width):
        for k, t in enumerate(tables[start:start + width]):
            t.row, t.col = start // width, cols[k]
    chart = Chart("banquet", inp.rule, inp.even, "plan", inp.title, tables=tables)
    chart.ranks = {n: i for i, n in enumerate(guests, 1)} | {n: i for i, n in enumerate(hosts, 1)}
    for t, hs in zip(tables, per_hosts, strict=True):
        if hs:
            chart.roles[hs[0]] = "主陪" if t.number == 1 else f"{t.number}号桌主陪"
        if len(hs) > 1:
            chart.roles[hs[1]] = "副陪" if t.number == 1 else f"{t.number}号桌副陪"
    if guests:
        chart.roles[guests[0]] = "主宾"
    if len(guests) > 1:
        chart.roles[guests[1]] = "副主宾"
    return chart


def _side(members: tuple[str, ...], interpreter: str | None, rule: str) -> dict[int, str]:
    """Offsets from the principal (+ = the seated principal's right): principal mid-side, the interpreter at
    his right, the others by rank alternating from the higher side outward."""
    out = {0: members[0]}
    hi = 1 if rule == "right" else -1
    seq = [o for d in range(1, len(members) + 3) for o in (hi * d, -hi * d)]
    if interpreter:
        out[1] = interpreter
    for name in members[1:]:
        o = next(o for o in seq if o not in out)
        out[o] = name
    return out


def talks(inp: SeatingInput) -> Chart:
    """会谈 across a long table: the guests face the door (table parallel to the door) or take the right side as
    one walks in (table end toward the door); principals mid-side; the interpreter at his principal's right."""
    g = _side(inp.people, inp.guest_interpreter, inp.rule)
    h = _side(inp.hosts, inp.interpreter, inp.rule)
    m = max(abs(o) for o in (*g, *h))

    def row(side: dict[int, str]) -> list[str | None]:
        return [side.get(o) for o in range(-m, m + 1)]

    chart = Chart("talks", inp.rule, inp.even, "seated", inp.title, guests=row(g), hosts=row(h), table=inp.table)
    chart.ranks = {n: i for i, n in enumerate(inp.people, 1)} | {n: i for i, n in enumerate(inp.hosts, 1)}
    chart.roles = {inp.people[0]: "客方主谈", inp.hosts[0]: "主方主谈"}
    if inp.interpreter:
        chart.roles[inp.interpreter] = "主方译员"
    if inp.guest_interpreter:
        chart.roles[inp.guest_interpreter] = "客方译员"
    return chart


GENERATORS = {"podium": podium, "photo": photo, "hall": hall, "banquet": banquet, "talks": talks}


def generate(inp: SeatingInput) -> Chart:
    return GENERATORS[inp.kind](inp)
