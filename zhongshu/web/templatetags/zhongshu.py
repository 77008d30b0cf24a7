from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, q):
    """Escape, then wrap each occurrence of q in <mark>."""
    text = escape(str(text or ""))
    q = escape(str(q or "").strip())
    if not q:
        return mark_safe(text)  # noqa: S308 (escaped above)
    return mark_safe(text.replace(q, f"<mark>{q}</mark>"))  # noqa: S308 (both parts escaped)
