"""印章 reads; all go through restrict()."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from zhongshu.core.errors import NotFound

from .models import IntroLetter, Seal, SealLoan, UseRecord, UseRequest


def _get(qs: QuerySet, pk: Any):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def seals_for(user, action: str = "view") -> QuerySet[Seal]:
    return Seal.objects.restrict(user, action).select_related("kind", "keeper", "department", "organization")


def seal_get(user, pk) -> Seal:
    return _get(seals_for(user), pk)


def requests_for(user) -> QuerySet[UseRequest]:
    return UseRequest.objects.restrict(user).select_related("requester", "department")


def request_get(user, pk) -> UseRequest:
    return _get(requests_for(user), pk)


def records_for(user) -> QuerySet[UseRecord]:
    return UseRecord.objects.restrict(user).select_related("seal", "handler", "keeper")


def loans_for(user) -> QuerySet[SealLoan]:
    return SealLoan.objects.restrict(user).select_related("seal", "seal__keeper", "requester", "carrier", "companion")


def loan_get(user, pk) -> SealLoan:
    return _get(loans_for(user), pk)


def letters_for(user) -> QuerySet[IntroLetter]:
    return IntroLetter.objects.restrict(user).select_related("issued_by")


def letter_get(user, pk) -> IntroLetter:
    return _get(letters_for(user), pk)


def record_stats(user) -> dict[str, list[dict]]:
    """用印统计 over the records the person may read: by seal, by unit, by month (times and copies)."""
    qs = records_for(user).order_by()
    by_seal = list(qs.values("seal__name").annotate(times=Count("id"), copies=Sum("copies")).order_by("-times", "seal__name"))
    by_unit = list(qs.values("unit").annotate(times=Count("id"), copies=Sum("copies")).order_by("-times", "unit"))
    by_month = list(qs.annotate(month=TruncMonth("day")).values("month").annotate(times=Count("id"), copies=Sum("copies")).order_by("-month"))
    return {"seal": by_seal, "unit": by_unit, "month": by_month}
