"""Keeping the index current: after a registered model (or an attachment of one) is saved or deleted and
the transaction commits, a job re-indexes the object.

These receivers are infrastructure, like a cache invalidation — they hold no business rule (decision 0006).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from zhongshu.core.jobs import enqueue
from zhongshu.core.signals import changed

from .registry import SOURCES, source_for_model

INDEX_JOB = "zhongshu.search.indexing.index_object"


def _schedule(kind: str, object_id: int) -> None:
    transaction.on_commit(partial(enqueue, INDEX_JOB, kind, object_id), robust=True)


def _on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    source = source_for_model(sender)
    if source is not None and instance.pk is not None:
        _schedule(source.kind, instance.pk)


def _on_attachment(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    source = source_for_model(model) if model is not None else None
    if source is not None:
        _schedule(source.kind, instance.object_id)


def connect() -> None:
    from zhongshu.core.models import Attachment

    for source in SOURCES.values():
        uid = f"search-{source.kind}"
        post_save.connect(_on_change, sender=source.model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_change, sender=source.model, dispatch_uid=uid + "-delete")
    changed.connect(_on_change, dispatch_uid="search-changed")  # QuerySet.update() of a registered object
    post_save.connect(_on_attachment, sender=Attachment, dispatch_uid="search-attachment-save")
    post_delete.connect(_on_attachment, sender=Attachment, dispatch_uid="search-attachment-delete")
