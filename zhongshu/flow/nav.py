from zhongshu.web.registry import (
    NavItem,
    SearchHit,
    SearchProvider,
    register_nav,
    register_search,
)

register_nav(
    # 待办/待阅/已办 in the navigation are the one inbox (zhongshu/inbox/nav.py); flow:todo … stay as module pages
    NavItem("flow_started", "我发起的", "flow:started", section="work", perm="flow.view", order=4),
    NavItem("flow_definitions", "流程定义", "flow:definitions", section="system", perm="flow.manage", order=40),
)


# The 工作台's 待办/待阅 cards are the one inbox's (zhongshu/inbox/nav.py).


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import _items

    qs = _items(user).filter(Q(instance__title__icontains=q) | Q(opinion__icontains=q)).order_by("-created_at")[:limit]
    return [
        SearchHit(title=i.instance.title, url=i.get_absolute_url(), snippet=i.opinion[:80],
                  meta=f"{i.get_kind_display()} · {i.step_name} · {i.get_status_display()}", classification=i.classification)
        for i in qs
    ]


register_search(SearchProvider("flow", "待办事项", _search, perm="flow.view"))
