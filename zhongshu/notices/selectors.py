"""通知公告 reads; all go through Notice.objects.restrict()."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from zhongshu.core.errors import NotFound

from .models import Notice, NoticeRead


def notices_for(user, action: str = "view") -> QuerySet[Notice]:
    return (
        Notice.objects.restrict(user, action)
        .select_related("author", "department")
        .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)))
    )


def notice_get(user, pk, action: str = "view") -> Notice:
    try:
        return notices_for(user, action).get(pk=int(pk))
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def unread_notices(user) -> QuerySet[Notice]:
    read = NoticeRead.objects.filter(user=user).values("notice_id")
    return Notice.objects.restrict(user).filter(status=Notice.Status.PUBLISHED).exclude(pk__in=read)
