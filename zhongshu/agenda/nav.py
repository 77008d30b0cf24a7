from zhongshu.web.registry import Card, NavItem, register_card, register_nav

register_nav(NavItem("agenda", "我的日程", "agenda:calendar", section="work", perm="agenda.view", order=45))


def _card(request):
    import datetime

    from django.utils import timezone

    from .registry import events_for

    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tz)
    return {"events": events_for(request.user, start, start + datetime.timedelta(days=1))[:8]}


register_card(Card("agenda", "今日日程", "agenda/_card.html", _card, perm="agenda.view", order=15, url_name="agenda:calendar"))
