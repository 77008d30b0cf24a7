from zhongshu.web.registry import NavItem, register_nav

register_nav(NavItem("proofread", "公文校对", "proofing:index", section="work", perm="proofread.use", order=60))
register_nav(NavItem("proofread-settings", "校对设置", "proofing:settings", section="system", perm="proofread.manage", order=60))
