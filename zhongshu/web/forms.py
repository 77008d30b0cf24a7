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


def act(request, obj, fn, success: str):
    """The POST-action pattern of every detail page: run the service, say how it went, back to the object."""
    from django.contrib import messages
    from django.shortcuts import redirect

    try:
        result = fn(obj)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(obj.get_absolute_url())
