from zhongshu.web.registry import NavItem, register_nav

register_nav(NavItem("ops", "运行状态", "ops:status", section="system", perm="ops.manage", order=90))
