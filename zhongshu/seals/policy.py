"""印章 policies: who sees a seal, a 用印申请, a 用印登记, a 外借 and a 介绍信, and what each person may do.

- Seals: everyone of the organization sees the register (he must choose a seal to ask for it); the office director
  (`seals.manage`) runs the lifecycle; the keeper hands over and takes requests to the stamp.
- Requests: the requester, the keepers of its seals, the office director and — through the flow engine's
  participants extension — its approvers. Nobody approves his own request (the flow adapter's `authors`).
- Registers (用印登记, 介绍信): the keeper, the handler, the office (`seals.manage` / `seals.letters`).
The 三员 get nothing (they hold no `seals.*` permission); another organization sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, register

from .models import IntroLetter, Seal, SealLoan, UseRecord, UseRequest

EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def _person(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and not getattr(user, "is_system", False)
                and not user.admin_role)


def _same_org(user: Any, obj: Any) -> bool:
    return _person(user) and user.organization_id == obj.organization_id


def usable_refusal(seal: Seal, day=None) -> str | None:
    """None when the seal may be put on paper now, else why not (停用/挂失/外借/封存/销毁/未启用/过期)."""
    if seal.status == Seal.Status.LOST:
        return f"“{seal.name}”已挂失作废，不能用印。"
    if seal.status != Seal.Status.ACTIVE:
        return f"“{seal.name}”当前状态为“{seal.get_status_display()}”，不能用印。"
    if seal.loans.filter(status=SealLoan.Status.OUT).exists():
        return f"“{seal.name}”已外借，归还前不能用印。"
    if seal.expired(day):
        return f"“{seal.name}”不在有效期内，不能用印。"
    return None


class SealPolicy(Policy):
    model = Seal
    area = "seals"
    noun = "印章"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        return EVERYTHING

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        """make / enable / handover / suspend / seal_away / destroy / lost / impression / loan / use."""
        assert isinstance(obj, Seal)
        if not _same_org(user, obj):
            return set()
        S = Seal.Status
        manager = has_perm(user, "seals.manage")
        acts: set[str] = set()
        if manager:
            steps: dict[str, set[str]] = {
                S.APPLIED: {"make"},
                S.MADE: {"enable", "impression", "lost"},
                S.ACTIVE: {"handover", "suspend", "lost", "impression"},
                S.SUSPENDED: {"seal_away", "destroy", "lost"},
            }
            acts |= steps.get(obj.status, set())
        if obj.status == S.ACTIVE and has_perm(user, "seals.request") and usable_refusal(obj) is None:
            acts.add("use")
            if not obj.electronic and not obj.loans.filter(status=SealLoan.Status.PENDING).exists():
                acts.add("loan")
        return acts


class UseRequestPolicy(Policy):
    model = UseRequest
    area = "seals"
    noun = "用印申请"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        if has_perm(user, "seals.manage"):
            return EVERYTHING
        kept = Seal.objects.filter(keeper_id=user.pk).values("pk")
        return Q(requester_id=user.pk) | Q(pk__in=UseRequest.seals.through.objects.filter(seal_id__in=kept).values("userequest_id"))

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        """stamp (the keeper of a seal with copies left, approved requests) / phone_approve (urgent, pending: the
        keeper or the office director records an approval given by phone; the flow confirms it afterwards)."""
        assert isinstance(obj, UseRequest)
        if not _same_org(user, obj):
            return set()
        acts: set[str] = set()
        if obj.status == UseRequest.Status.APPROVED and stampable_seals(obj, user):
            acts.add("stamp")
        if (obj.status == UseRequest.Status.PENDING and obj.urgent and obj.requester_id != user.pk
                and (has_perm(user, "seals.manage") or obj.seals.filter(keeper_id=user.pk).exists())):
            acts.add("phone_approve")
        return acts


def stamped_copies(request: UseRequest) -> dict[int, int]:
    out: dict[int, int] = {}
    for seal_id, copies in request.records.values_list("seal_id", "copies"):
        out[seal_id] = out.get(seal_id, 0) + copies
    return out


def stampable_seals(request: UseRequest, user: Any) -> list[Seal]:
    """The request's seals this person keeps that still have copies to stamp."""
    done = stamped_copies(request)
    return [s for s in request.seals.filter(keeper_id=user.pk) if done.get(s.pk, 0) < request.copies]


class UseRecordPolicy(Policy):
    model = UseRecord
    area = "seals"
    noun = "用印登记"
    number_field = "doc_number"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        if has_perm(user, "seals.manage"):
            return EVERYTHING
        return Q(keeper_id=user.pk) | Q(handler_id=user.pk) | Q(seal__keeper_id=user.pk)


class SealLoanPolicy(Policy):
    model = SealLoan
    area = "seals"
    noun = "印章外借"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        if has_perm(user, "seals.manage"):
            return EVERYTHING
        return Q(requester_id=user.pk) | Q(carrier_id=user.pk) | Q(companion_id=user.pk) | Q(seal__keeper_id=user.pk)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        """decide (the office director, not for his own request) / return (the keeper or the office director)."""
        assert isinstance(obj, SealLoan)
        if not _same_org(user, obj):
            return set()
        manager = has_perm(user, "seals.manage")
        if obj.status == SealLoan.Status.PENDING and manager and obj.requester_id != user.pk:
            return {"decide"}
        if obj.status == SealLoan.Status.OUT and (manager or obj.seal.keeper_id == user.pk):
            return {"return"}
        return set()


class IntroLetterPolicy(Policy):
    model = IntroLetter
    area = "seals"
    noun = "介绍信"

    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        if has_perm(user, "seals.letters"):
            return EVERYTHING
        return Q(issued_by_id=user.pk)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        """print (the PDF with its stub) / use (receipt came back) / void (returned unused, or spoilt)."""
        assert isinstance(obj, IntroLetter)
        if not _same_org(user, obj):
            return set()
        acts = {"print"}
        if obj.status == IntroLetter.Status.ISSUED and has_perm(user, "seals.letters"):
            acts |= {"use", "void"}
        return acts


register(SealPolicy)
register(UseRequestPolicy)
register(UseRecordPolicy)
register(SealLoanPolicy)
register(IntroLetterPolicy)
