from zhongshu.web.registry import NavItem, register_nav

register_nav(NavItem("webhooks", "群机器人", "notify:webhooks", section="system", perm="notify.manage", order=60))
