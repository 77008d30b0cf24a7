"""Edit locks: another mechanism may hold an object (e.g. the flow engine while it is under review).

Modules ask `edit_lock(obj)` before changing an object; mechanisms register a checker that returns the
Chinese reason when they hold it. No module needs to import the mechanism that holds its objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LOCK_CHECKERS: list[Callable[[Any], str | None]] = []


def register_edit_lock(fn: Callable[[Any], str | None]) -> None:
    if fn not in LOCK_CHECKERS:
        LOCK_CHECKERS.append(fn)


def edit_lock(obj: Any) -> str | None:
    for fn in LOCK_CHECKERS:
        reason = fn(obj)
        if reason:
            return reason
    return None
