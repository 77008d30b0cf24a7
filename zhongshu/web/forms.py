"""Glue between service errors and Django forms: field messages land next to their fields."""

from zhongshu.core.errors import ServiceError


def apply_errors(form, exc: ServiceError) -> None:
    placed = False
    for field, msgs in exc.fields.items():
        for msg in msgs:
            if field in form.fields:
                form.add_error(field, msg)
                placed = True
    if not placed:
        form.add_error(None, exc.message)
