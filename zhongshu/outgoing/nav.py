from django.urls import reverse

from zhongshu.web.registry import NavItem, SearchHit, SearchProvider, register_nav, register_search

register_nav(
    NavItem("outgoing", "发文", "outgoing:list", section="work", perm="outgoing.view", order=10),
    NavItem("outgoing_register", "发文登记簿", "outgoing:register", section="work", perm="outgoing.register", order=11),
)


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import documents_for

    qs = documents_for(user).filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(body__icontains=q)).order_by("-updated_at")[:limit]
    return [
        SearchHit(title=d.title, url=reverse("outgoing:detail", args=[d.pk]), snippet=d.doc_number, meta=f"{d.doc_type} · {d.get_status_display()}", classification=d.classification)
        for d in qs
    ]


register_search(SearchProvider("outgoing", "发文", _search, perm="outgoing.view"))
