"""Signals of the shared core.

`changed`: a business object was changed with `QuerySet.update()` (a compare-and-set such as "back to 拟稿 if still
审核中"), which sends no post_save.  Derived data — the full-text index — listens to it as it listens to post_save;
business rules never hang on it (they belong in services).
"""

from __future__ import annotations

from django.dispatch import Signal

changed = Signal()  # sender: the model class; instance: the object (its pk is what counts)


def updated(obj) -> None:
    """Call after changing `obj` with `QuerySet.update()`, so that derived data follows as after `save()`."""
    changed.send(sender=type(obj), instance=obj)
