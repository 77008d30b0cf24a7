"""The one 待办/待阅/已办 in the navigation and on the 工作台. Its cards read one summary per request (three
queries whatever the number of task sources); module cards read their counts from the same summary."""

from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(
    NavItem("inbox_todo", "待办事项", "inbox:todo", section="work", perm="flow.view", order=1),
    NavItem("inbox_toread", "待阅事项", "inbox:toread", section="work", perm="flow.view", order=2),
    NavItem("inbox_done", "已办事项", "inbox:done", section="work", perm="flow.view", order=3),
)


def _todo_card(request):
    from .registry import KINDS
    from .selectors import summary_for_request, urgency_bounds

    s = summary_for_request(request)
    bounds = urgency_bounds(request.user.organization_id)
    kinds = [{"key": k.key, "label": k.label, "n": s.by_kind[k.key]} for k in sorted(KINDS.values(), key=lambda k: (k.order, k.key))
             if k.box == "todo" and s.by_kind.get(k.key)]
    return {"s": s, "kinds": kinds, "items": [(t, t.urgency(*bounds)) for t in s.latest_todo]}


def _toread_card(request):
    from .selectors import summary_for_request

    s = summary_for_request(request)
    return {"s": s, "items": s.latest_toread}


register_card(Card("flow_todo", "待办", "inbox/_card_todo.html", _todo_card, perm="flow.view", order=10, url_name="inbox:todo"))
register_card(Card("flow_toread", "待阅", "inbox/_card_toread.html", _toread_card, perm="flow.view", order=20, url_name="inbox:toread"))
