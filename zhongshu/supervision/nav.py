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
    NavItem("supervision", "督办台账", "supervision:ledger", section="work", perm="supervision.view", order=40),
    NavItem("supervision_tasks", "督办任务", "supervision:tasks", section="work", perm="supervision.report", order=41),
    NavItem("supervision_board", "督办看板", "supervision:dashboard", section="work", perm="supervision.view", order=42),
)


def _card(request):
    from zhongshu.inbox.selectors import summary_for_request

    from .models import SupervisionItem
    from .selectors import items_for, leader_items

    user = request.user
    open_items = items_for(user).filter(status__in=SupervisionItem.OPEN).order_by()
    # open and red in one capped query: the lights of at most 1000 open items (a red count beyond that asks again)
    lights = list(open_items.values_list("light", flat=True)[:1000])
    red = lights.count("red") if len(lights) < 1000 else open_items.filter(light="red")[:1000].count()
    # the department's tasks to 签收/报送 are the one inbox's (one summary for every card)
    s = summary_for_request(request)
    return {
        "items": leader_items(user),
        "red": red,
        "open": len(lights),
        "tasks": [t for t in s.latest_todo if t.kind == "supervision.task"],
        "task_count": s.count("supervision.task"),
    }


register_card(Card("supervision", "督查督办", "supervision/_card.html", _card, perm="supervision.view", order=25, url_name="supervision:ledger"))


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import items_for

    qs = items_for(user).filter(Q(title__icontains=q) | Q(content__icontains=q) | Q(source_ref__icontains=q)).order_by("-created_on", "-pk")[:limit]
    return [SearchHit(title=i.title, url=reverse("supervision:detail", args=[i.pk]), snippet=i.content[:80],
                      meta=f"督办 · {i.number} · {i.get_status_display()}", classification=i.classification) for i in qs]


register_search(SearchProvider("supervision", "督查督办", _search, perm="supervision.view"))
