from zhongshu.web.registry import NavItem, register_nav

register_nav(
    NavItem("calendar", "工作日历", "workdays:calendar", section="info", order=90),
    NavItem("calendar_manage", "节假日维护", "workdays:manage", section="system", perm="workdays.manage", order=50),
)
