"""Template context for the shell: navigation, unread notifications, the user's organization."""

from .registry import nav_for


def shell(request):
    """Computed once per request: the 工作台 renders each card with `render_to_string(..., request=request)`, which
    runs the context processors again for every card (five cards were five more nav builds and unread counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "_shell_context", None)
    if cached is None:
        from zhongshu.notify.selectors import unread_count

        cached = request._shell_context = {"nav_sections": nav_for(user, request.path), "unread_notifications": unread_count(user)}
    return cached
