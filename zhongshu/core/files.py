"""Stored files that no row refers to (孤儿文件).

A file is written to storage inside the business transaction (attachment_add, filing an 档案 item); when that
transaction rolls back later — a failed step after the upload, a conflict — the row disappears but the file stays.
The daily job removes such files once they are a day old (no transaction lasts that long, so a file of a
transaction still running is never touched).  Only the platform's own upload folders are swept.
"""

from __future__ import annotations

import logging
import time

from django.apps import apps
from django.db import models

log = logging.getLogger(__name__)
FOLDERS = ("attachments", "archives")  # what core.models.attachment_path and archives.models.archive_file_path write
MIN_AGE = 24 * 3600.0


def referenced_names() -> set[str]:
    """Every file name held by a FileField of any installed model."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                names.update(n for n in model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True) if n)
    return names


def _stored_names(storage, folder: str) -> list[str]:
    """Every file name under `folder` in the media store, walked through the storage API (a local or shared folder,
    or an S3-compatible bucket alike)."""
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{folder}/{f}" for f in files]
    for d in dirs:
        names += _stored_names(storage, f"{folder}/{d}")
    return names


def sweep_orphans(min_age: float = MIN_AGE) -> str:
    from django.core.files.storage import default_storage

    candidates = [name for folder in FOLDERS for name in _stored_names(default_storage, folder)]
    if not candidates:
        return "无孤儿文件"
    keep = referenced_names()
    cutoff = time.time() - min_age
    removed = 0
    for name in candidates:
        if name in keep:
            continue
        try:
            if default_storage.get_modified_time(name).timestamp() > cutoff:
                continue
            default_storage.delete(name)
            removed += 1
        except Exception:  # a disk or object-store error: logged, tried again tomorrow
            log.exception("cannot remove orphan file %s", name)
    if removed:
        log.warning("removed %d orphan file(s) from the media store", removed)
    return f"删除孤儿文件 {removed} 个"


def shorten_filename(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, keeping its extension (“很长的标题.docx” → “很长….docx”)."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16 or len(ext) + 1 >= limit:
        return name[:limit]
    return stem[: limit - len(ext) - 1].rstrip() + "." + ext
