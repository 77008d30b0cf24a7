"""Need-to-know from the flow: whoever holds or held a work item on an object (or acts for that person
today under a 委托) may read the object itself, through the one restrict() of zhongshu.access."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


def participants_q(model: type[models.Model], user: Any) -> Q | None:
    from .models import WorkItem, acting_ids
    from .registry import SUBJECTS

    if not any(issubclass(model, s.model) for s in SUBJECTS.values()):
        return None
    ct = ContentType.objects.get_for_model(model)
    items = WorkItem.objects.filter(Q(assignee_id__in=acting_ids(user)) | Q(done_by_id=user.pk), instance__content_type=ct)
    return Q(pk__in=items.values("instance__object_id"))
