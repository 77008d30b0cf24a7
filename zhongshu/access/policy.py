"""One access policy per business module (涉密但不泄密): the single home of its rules.

A module's `policy.py` subclasses `Policy` and registers it for its model(s). The policy answers three questions,
and nothing else in the module decides them:

1. **Read scope** — which rows a person may read (`need_to_know`, `cross_organization`), turned into one SQL
   filter by `Model.objects.restrict(user, action)` (zhongshu/access/restrict.py);
2. **Allowed actions** — what this person may do to this object now (`allowed_actions`); services refuse what it
   does not allow (`require`), and templates show exactly the buttons it returns;
3. **What may be shown** — of an object the person cannot read: nothing, or a redacted line such as
   “机密文件（无权查看）” (`label`, `redacted`); and who may *receive* its title in a notification, a delegation, an
   assignment or a circulation (`may_receive`).

The system actor (`SYSTEM`) stands for scheduled jobs and the command line: policies decide what it may do and the
audit trail records it by name, instead of services treating `actor=None` as “anything goes”.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from zhongshu.core.classification import Classification
from zhongshu.core.errors import PermissionDenied


class SystemActor:
    """The platform itself (定时任务、命令行): not a person, no organization, never a recipient."""

    pk = None
    id = None
    is_system = True
    is_authenticated = False
    is_active = True
    admin_role = ""
    organization_id = None
    display_name = "系统"
    department_ids: ClassVar[list[int]] = []
    max_classification = Classification.TOP_SECRET

    def __str__(self) -> str:
        return "系统"

    def __bool__(self) -> bool:  # `actor or ...` keeps working where a person is optional
        return True


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is None or getattr(actor, "is_system", False)


@dataclass(frozen=True)
class Refusal:
    """Why a person may not receive an object's title (for the message shown to whoever chose them)."""

    user: Any
    reason: str


class Policy:
    """Base class of a module's policy. Subclass, set the class attributes, override what differs."""

    model: ClassVar[type[models.Model]]
    area: ClassVar[str]  # permission area, e.g. "notices"
    organization_field: ClassVar[str] = "organization"
    classification_field: ClassVar[str] = "classification"
    noun: ClassVar[str] = "文件"  # what the redacted line calls the object: 机密文件（无权查看）
    # A field shown beside the redacted line where the module's register rules allow it (e.g. a 文号).
    number_field: ClassVar[str | None] = None

    # --- 1. read scope -------------------------------------------------------------------------------------
    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        """Rows of the user's own organization the user needs to know (知悉范围). Default: none."""
        return Q(pk__in=[])

    @classmethod
    def cross_organization(cls, user: Any) -> Q | None:
        """Rows of OTHER organizations the user may read (e.g. a joint issuing organ). Default: none."""
        return None

    @classmethod
    def readable(cls, user: Any, obj: Any) -> bool:
        """Whether `user` may read `obj` — asked of the database through restrict(), never decided in Python."""
        if obj is None or obj.pk is None:
            return False
        return cls.model._default_manager.filter(pk=obj.pk).restrict(user).exists()  # type: ignore[attr-defined]

    # --- 2. allowed actions --------------------------------------------------------------------------------
    @classmethod
    def allowed_actions(cls, user: Any, obj: Any) -> set[str]:
        """The actions `user` may take on `obj` now. Modules override; the default allows nothing."""
        return set()

    @classmethod
    def can(cls, user: Any, obj: Any, action: str) -> bool:
        return action in cls.allowed_actions(user, obj)

    @classmethod
    def require(cls, user: Any, obj: Any, action: str, message: str = "") -> None:
        """Services call this first: a refused action raises PermissionDenied with a Chinese reason."""
        if not cls.can(user, obj, action):
            raise PermissionDenied(message or "您无权进行此操作。")

    # --- 3. what may be shown, and to whom -----------------------------------------------------------------
    @classmethod
    def classification_of(cls, obj: Any) -> int:
        return int(getattr(obj, cls.classification_field, 0) or 0)

    @classmethod
    def title_of(cls, obj: Any) -> str:
        return str(getattr(obj, "title", "") or obj)

    @classmethod
    def redacted(cls, obj: Any, *, with_number: bool = False) -> str:
        """The line shown for an object one may not read: its level and kind, never its title."""
        level = Classification(cls.classification_of(obj))
        text = f"{level.label}{cls.noun}（无权查看）" if level.is_classified else f"{cls.noun}（无权查看）"
        if with_number and cls.number_field:
            number = getattr(obj, cls.number_field, "") or ""
            if number:
                text = f"{text} {number}"
        return text

    @classmethod
    def label(cls, user: Any, obj: Any, *, readable: bool | None = None, with_number: bool = False) -> str:
        """The title if `user` may read `obj`, else the redacted line."""
        if readable is None:
            readable = cls.readable(user, obj)
        return cls.title_of(obj) if readable else cls.redacted(obj, with_number=with_number)

    @classmethod
    def clearance_refusal(cls, user: Any, obj: Any) -> str | None:
        """Why `user` may not be given `obj` (its title) at all, or None. Clearance and the 三员 only: need-to-know
        is what giving it to them decides."""
        if user is None or not getattr(user, "is_active", False):
            return "账号已停用"
        if getattr(user, "admin_role", ""):
            return "三员不处理业务文件"
        level = cls.classification_of(obj)
        if int(user.max_classification) < level:
            return f"{user.display_name}为{user.get_clearance_display()}，不能知悉{Classification(level).label}事项"
        return None

    @classmethod
    def may_receive(cls, user: Any, obj: Any) -> bool:
        return cls.clearance_refusal(user, obj) is None

    @classmethod
    def refusals(cls, users: Iterable[Any], obj: Any) -> list[Refusal]:
        out = []
        for u in users:
            reason = cls.clearance_refusal(u, obj)
            if reason:
                out.append(Refusal(u, reason))
        return out

    @classmethod
    def require_receivers(cls, users: Iterable[Any], obj: Any, *, field: str = "") -> None:
        """Refuse, naming each person and the reason, when anyone chosen may not receive the object."""
        from zhongshu.core.errors import ServiceError

        refused = cls.refusals(users, obj)
        if refused:
            message = "；".join(r.reason for r in refused)
            raise ServiceError(message, fields={field: message} if field else None)


# ------------------------------------------------------------------------------------------------------------
# Registry: model → policy. restrict(), notify(), the audit trail and the access matrix look policies up here.
_POLICIES: dict[type[models.Model], type[Policy]] = {}


def register(policy: type[Policy], *models_: type[models.Model]) -> type[Policy]:
    """Register `policy` for its model (and any extra models that share its rules)."""
    for model in (policy.model, *models_):
        _POLICIES[model] = policy
    return policy


def policy_for(model_or_obj: type[models.Model] | models.Model) -> type[Policy] | None:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = model._meta.concrete_model or model  # type: ignore[assignment]
    return _POLICIES.get(model)


def registered() -> dict[type[models.Model], type[Policy]]:
    return dict(_POLICIES)


def label_for(user: Any, obj: Any, **kwargs: Any) -> str:
    """The title of any business object as `user` may see it (the redacted line when they may not)."""
    policy = policy_for(obj)
    if policy is None:
        return str(obj)
    return policy.label(user, obj, **kwargs)
