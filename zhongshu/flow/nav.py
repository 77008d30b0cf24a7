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
    NavItem("flow_todo", "待办事项", "flow:todo", section="work", perm="flow.view", order=1),
    NavItem("flow_toread", "待阅事项", "flow:toread", section="work", perm="flow.view", order=2),
    NavItem("flow_done", "已办事项", "flow:done", section="work", perm="flow.view", order=3),
    NavItem("flow_started", "我发起的", "flow:started", section="work", perm="flow.view", order=4),
    NavItem("flow_definitions", "流程定义", "flow:definitions", section="system", perm="flow.manage", order=40),
)


def _todo_card(request):
    from .selectors import inbox_counts, todo_for, urgency_bounds

    bounds = urgency_bounds(request.user.organization_id)
    items = list(todo_for(request.user).select_related("instance").order_by("-created_at", "-id")[:6])
    return {"counts": inbox_counts(request.user), "items": [(i, i.urgency(*bounds)) for i in items]}


def _toread_card(request):
    from .selectors import inbox_counts, toread_for

    return {"counts": inbox_counts(request.user), "items": list(toread_for(request.user).select_related("instance")
                                                                 .order_by("-created_at", "-id")[:6])}


register_card(Card("flow_todo", "待办", "flow/_card_todo.html", _todo_card, perm="flow.view", order=10, url_name="flow:todo"))
register_card(Card("flow_toread", "待阅", "flow/_card_toread.html", _toread_card, perm="flow.view", order=20, url_name="flow:toread"))


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
