from django.urls import reverse

from zhongshu.web.registry import NavItem, SearchHit, SearchProvider, register_nav, register_search

register_nav(
    NavItem("people", "人员", "org:people", section="org", perm="org.view_directory", order=10),
    NavItem("departments", "内设机构", "org:my_departments", section="org", perm="org.view_directory", order=20),
    NavItem("address_book", "通讯录（外单位）", "org:address_book", section="org", perm="org.view_directory", order=30),
    NavItem("delegations", "委托办理", "org:delegations", section="org", perm="org.view_directory", order=40),
    NavItem("organizations", "机关单位", "org:organizations", section="system", perm="org.manage", order=10),
    NavItem("admin_people", "账号管理", "org:people", section="system", perm="org.manage", order=20),
    NavItem("import", "导入部门和人员", "org:import", section="system", perm="org.manage", order=30),
    NavItem("resets", "密码重置与激活", "org:resets", section="system", perm="org.manage", order=40),
    NavItem("reset_approvals", "密码重置审批", "org:resets", section="security", perm="security.manage", order=30),
    NavItem("clearance", "涉密人员管理", "org:people", section="security", perm="security.manage", order=10),
)


def _search(user, q, limit):
    from django.db.models import Q

    from .selectors import people_visible_to

    qs = people_visible_to(user).filter(Q(real_name__icontains=q) | Q(username__icontains=q) | Q(phone__icontains=q))[:limit]
    return [
        SearchHit(title=u.display_name, url=reverse("org:person", args=[u.pk]), snippet=f"{u.organization or ''} {u.primary_department or ''} {u.position or ''}", meta=u.phone)
        for u in qs
    ]


register_search(SearchProvider("people", "人员", _search, perm="org.view_directory"))
