from django.urls import reverse

from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(NavItem("meetings", "会议", "meetings:list", section="work", perm="meetings.view", order=40))
register_nav(NavItem("meeting_rooms", "会议室", "meetings:rooms", section="work", perm="meetings.view", order=41))


def _card(request):
    import datetime

    from django.utils import timezone

    from .selectors import my_meetings

    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tz)
    return {"meetings": list(my_meetings(request.user, start, start + datetime.timedelta(days=1))[:6]), "list_url": reverse("meetings:list")}


register_card(Card("meetings_today", "今日会议", "meetings/_card.html", _card, perm="meetings.view", order=16, url_name="meetings:list"))
