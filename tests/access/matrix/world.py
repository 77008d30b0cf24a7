"""The access matrix's world: every module's objects, built through the real services, each titled with a marker
(矩阵0007号) so that a response, an export, a PDF or a notification can be searched for it.

A marker is *visible* to a persona when the persona may read at least one object bearing it (a 发文 and the 收文
copy it became share a title: reading the copy is reading the marker). Every other marker is *forbidden* for that
persona, and must never appear in anything the platform gives them.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models

MARKER = re.compile(r"矩阵\d{4}号")
PERSONAS = ("clerk", "director", "leader", "deputy", "archivist", "liaison", "bureau", "u009", "admin", "secadmin", "auditor")


@dataclass
class World:
    people: Any
    serial: int = 0
    markers: dict[str, str] = field(default_factory=dict)  # marker -> kind, for messages

    def title(self, kind: str) -> str:
        """A unique title carrying a marker, e.g. “关于矩阵0007号事项的通知”."""
        self.serial += 1
        marker = f"矩阵{self.serial:04d}号"
        self.markers[marker] = kind
        return f"关于{marker}{kind}工作的通知"

    def body(self, title: str) -> str:
        marker = MARKER.search(title)
        return f"{marker.group(0) if marker else ''}的正文。各单位要高度重视，认真抓好落实。"


def builders() -> list[tuple[str, Any]]:
    """Every module's builder: tests/access/matrix/build_<module>.py defines build(world)."""
    from tests.access import matrix

    found = []
    for info in pkgutil.iter_modules(matrix.__path__):
        if info.name.startswith("build_"):
            module = importlib.import_module(f"tests.access.matrix.{info.name}")
            found.append((info.name.removeprefix("build_"), module.build))
    return sorted(found)


def policy_rows() -> list[tuple[type[models.Model], models.Model, set[str]]]:
    """(model, row, markers in its title) of every row of every model with a registered policy."""
    from zhongshu.access.policy import registered

    out = []
    for model, policy in registered().items():
        for row in model._default_manager.all():
            # the title, and the body a reader sees with it (which keeps a renamed document's earlier title)
            found = set(MARKER.findall(policy.title_of(row) + str(getattr(row, "body", "") or "")))
            if found:
                out.append((model, row, found))
    return out


def visible_markers(user, rows) -> set[str]:
    """Markers of the rows `user` may read, asked of restrict() — the policy under test decides."""
    by_model: dict[type[models.Model], list] = {}
    for model, row, found in rows:
        by_model.setdefault(model, []).append((row, found))
    seen: set[str] = set()
    for model, items in by_model.items():
        ids = set(model._default_manager.filter(pk__in=[r.pk for r, _ in items]).restrict(user).values_list("pk", flat=True))
        for row, found in items:
            if row.pk in ids:
                seen |= found
    return seen
