from django.urls import reverse

from zhongshu.web.registry import (
    NavItem,
    SearchHit,
    SearchProvider,
    register_nav,
    register_search,
)

register_nav(
    NavItem("incoming", "收文", "incoming:list", section="work", perm="incoming.register", order=20),
    NavItem("incoming-mine", "收文承办与传阅", "incoming:mine", section="work", perm="incoming.view", order=21),
    NavItem("incoming-stats", "收文统计", "incoming:stats", section="work", perm="incoming.stats", order=22),
)


# 待签收, 承办 and 传阅 are in the one inbox (zhongshu/incoming/tasks.py): the 工作台's 待办/待阅 cards count them
# per kind, so 收文 has no card of its own.


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import incoming_for

    qs = incoming_for(user).filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(sender_name__icontains=q)).order_by("-created_at")[:limit]
    return [SearchHit(title=d.title, url=reverse("incoming:detail", args=[d.pk]), snippet=f"{d.sender_name} {d.doc_number}",
                      meta=f"收文 · {d.get_status_display()}", classification=d.classification) for d in qs]


register_search(SearchProvider("incoming", "收文", _search, perm="incoming.register"))
