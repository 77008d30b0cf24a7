"""Need-to-know from the approval flow: people who hold or held a work item on the document."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q


def participant_q(user) -> Q:
    if not apps.is_installed("zhongshu.flow"):
        return Q(pk__in=[])
    from django.contrib.contenttypes.models import ContentType

    from zhongshu.flow.models import WorkItem
    from zhongshu.outgoing.models import OutgoingDocument

    ct = ContentType.objects.get_for_model(OutgoingDocument)
    items = WorkItem.objects.filter(Q(assignee_id=user.pk) | Q(done_by_id=user.pk), instance__content_type=ct)
    return Q(pk__in=items.values("instance__object_id"))
