from django.db.models import QuerySet

from zhongshu.core.errors import NotFound

from .models import IncomingDocument


def incoming_for(user, action: str = "view") -> QuerySet[IncomingDocument]:
    return IncomingDocument.objects.restrict(user, action).select_related("registered_by", "outgoing")


def incoming_get(user, pk) -> IncomingDocument:
    try:
        return incoming_for(user).get(pk=int(pk))
    except (IncomingDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound()
