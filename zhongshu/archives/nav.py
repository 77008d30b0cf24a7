from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(
    NavItem("archives", "档案", "archives:list", section="work", perm="archives.borrow", order=60),  # the catalogue
    NavItem("archives_pending", "待归档", "archives:pending", section="work", perm="archives.file", order=61),
    NavItem("archives_loans", "档案借阅", "archives:loans", section="work", perm="archives.borrow", order=62),
)


def _card(request):
    from .batch import unfiled_incoming, unfiled_outgoing
    from .selectors import pending_decisions

    user = request.user
    pending = pending_decisions(user)
    unfiled = unfiled_outgoing(user).order_by()[:100].count() + unfiled_incoming(user).order_by()[:100].count()
    return {"pending": pending.order_by()[:100].count(), "latest": list(pending.order_by("requested_at")[:6]), "unfiled": unfiled}


register_card(Card("archives", "档案借阅审批", "archives/_card.html", _card, perm="archives.file", order=60, url_name="archives:loans"))
