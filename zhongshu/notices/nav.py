from django.urls import reverse

from zhongshu.web.registry import (
    Card,
    NavItem,
    SearchHit,
    SearchProvider,
    register_card,
    register_nav,
    register_search,
)

register_nav(NavItem("notices", "通知公告", "notices:list", section="info", perm="notices.view", order=10))


def _card(request):
    from .selectors import notices_for, unread_notices

    unread = unread_notices(request.user).order_by()[:100].count()  # a badge says “99+”, not 60,000
    return {
        "unread": "99+" if unread > 99 else unread,
        "latest": list(notices_for(request.user).filter(status="published").order_by("-pinned", "-published_at")[:6]),
    }


register_card(Card("notices", "通知公告", "notices/_card.html", _card, perm="notices.view", order=50, url_name="notices:list"))


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import notices_for

    qs = notices_for(user).filter(Q(title__icontains=q) | Q(body__icontains=q)).order_by("-published_at")[:limit]
    return [
        SearchHit(
            title=n.title, url=reverse("notices:detail", args=[n.pk]), snippet=_snippet(n.body, q),
            meta=f"{n.get_status_display()} · {n.classification_label}", classification=n.classification,
        )
        for n in qs
    ]


def _snippet(text: str, q: str, width: int = 40) -> str:
    i = text.find(q)
    if i < 0:
        return text[: width * 2]
    start = max(0, i - width)
    return ("…" if start else "") + text[start : i + len(q) + width]


register_search(SearchProvider("notices", "通知公告", _search, perm="notices.view"))
