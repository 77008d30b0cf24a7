from zhongshu.web.registry import NavItem, register_nav

register_nav(NavItem("grants", "知悉范围授权", "access:grants", section="security", perm="security.manage", order=20))
