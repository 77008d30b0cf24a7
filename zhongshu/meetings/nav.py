from zhongshu.web.registry import NavItem, register_nav

# 今日会议 on the 工作台 is the shared calendar's card (zhongshu/agenda/nav.py “今日日程”), fed by meetings/calendar.py.
register_nav(NavItem("meetings", "会议", "meetings:list", section="work", perm="meetings.view", order=40))
register_nav(NavItem("meeting_rooms", "会议室", "meetings:rooms", section="work", perm="meetings.view", order=41))
