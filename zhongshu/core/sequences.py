"""Gapless counters (发文字号, 收文编号): one row per key, locked while it is incremented.

SELECT … FOR UPDATE serialises concurrent callers on PostgreSQL; on SQLite the IMMEDIATE write transaction
already does. Call inside the transaction that also writes what the number is for, so a rollback returns it.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def next_serial(model: type[models.Model], **key: Any) -> int:
    """Increment `last_serial` of the `model` row identified by `key` (created at 0 if missing)."""
    manager: Any = model._default_manager
    row, _ = manager.get_or_create(**key)
    row = manager.select_for_update().get(pk=row.pk)
    row.last_serial += 1
    row.save(update_fields=["last_serial"])
    return row.last_serial
