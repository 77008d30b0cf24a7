from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(
    NavItem("seals", "印章管理", "seals:list", section="work", perm="seals.view", order=70),
    NavItem("seals_requests", "用印申请", "seals:requests", section="work", perm="seals.request", order=71),
    NavItem("seals_records", "用印登记簿", "seals:records", section="work", perm="seals.view", order=72),
    NavItem("seals_loans", "印章外借", "seals:loans", section="work", perm="seals.view", order=73),
    NavItem("seals_letters", "介绍信", "seals:letters", section="work", perm="seals.letters", order=74),
)


def _card(request):
    from zhongshu.inbox.selectors import summary_for_request

    s = summary_for_request(request)  # 用印, 外借审批 and 催还 are the one inbox's tasks (seals/tasks.py)
    kinds = ("seals.stamp", "seals.loan", "seals.loan_return")
    return {"pending": sum(s.count(k) for k in kinds), "latest": [t for t in s.latest_todo if t.kind in kinds]}


register_card(Card("seals", "用印待办", "seals/_card.html", _card, perm="seals.export", order=65, url_name="seals:requests"))
