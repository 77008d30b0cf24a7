from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(
    NavItem("archives", "档案", "archives:list", section="work", perm="archives.borrow", order=60),  # the catalogue
    NavItem("archives_pending", "待归档", "archives:pending", section="work", perm="archives.file", order=61),
    NavItem("archives_loans", "档案借阅", "archives:loans", section="work", perm="archives.borrow", order=62),
)


def _card(request):
    from zhongshu.inbox.selectors import summary_for_request

    from .batch import unfiled_incoming, unfiled_outgoing

    user = request.user
    s = summary_for_request(request)  # loan approvals are the one inbox's tasks (archives/tasks.py)
    unfiled = unfiled_outgoing(user).order_by()[:100].count() + unfiled_incoming(user).order_by()[:100].count()
    return {"pending": s.count("archives.loan"), "latest": [t for t in s.latest_todo if t.kind == "archives.loan"], "unfiled": unfiled}


register_card(Card("archives", "档案借阅审批", "archives/_card.html", _card, perm="archives.file", order=60, url_name="archives:loans"))
