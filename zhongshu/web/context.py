"""Template context for the shell: navigation, unread notifications, the user's organization."""

from .registry import nav_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from zhongshu.notify.selectors import unread_count

    return {"nav_sections": nav_for(user, request.path), "unread_notifications": unread_count(user)}
