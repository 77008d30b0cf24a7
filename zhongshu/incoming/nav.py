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

register_nav(
    NavItem("incoming", "收文", "incoming:list", section="work", perm="incoming.register", order=20),
    NavItem("incoming-mine", "收文承办与传阅", "incoming:mine", section="work", perm="incoming.view", order=21),
    NavItem("incoming-stats", "收文统计", "incoming:stats", section="work", perm="incoming.stats", order=22),
)


def _card(request):
    from .selectors import incoming_for

    pending = incoming_for(request.user).filter(status="pending")
    return {"pending": pending.order_by()[:100].count(), "latest": list(pending.order_by("-created_at")[:6])}


register_card(Card("incoming", "待签收", "incoming/_card.html", _card, perm="incoming.register", order=30, url_name="incoming:list"))


def _mine_card(request):
    from .models import Undertaking
    from .selectors import reading_for, undertakings_for

    tasks = undertakings_for(request.user).filter(status=Undertaking.Status.OPEN)
    return {"tasks": tasks.order_by()[:100].count(), "reading": reading_for(request.user).order_by()[:100].count(),
            "latest": list(tasks[:5])}


register_card(Card("incoming-mine", "收文承办与传阅", "incoming/_mine_card.html", _mine_card, perm="incoming.view", order=31, url_name="incoming:mine"))


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import incoming_for

    qs = incoming_for(user).filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(sender_name__icontains=q)).order_by("-created_at")[:limit]
    return [SearchHit(title=d.title, url=reverse("incoming:detail", args=[d.pk]), snippet=f"{d.sender_name} {d.doc_number}",
                      meta=f"收文 · {d.get_status_display()}", classification=d.classification) for d in qs]


register_search(SearchProvider("incoming", "收文", _search, perm="incoming.register"))
