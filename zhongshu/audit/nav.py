from zhongshu.web.registry import NavItem, register_nav

register_nav(NavItem("audit", "审计日志", "audit:list", section="audit", perm="audit.view", order=10))
