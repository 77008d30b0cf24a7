"""Task sources: modules register what their people must do, like they register navigation.

A module's `tasks.py` (imported from its `AppConfig.ready()`) calls

    register_kind(TaskKind("incoming.undertaking", "收文承办", box="todo"))
    register_source(Undertaking, compute=undertaking_tasks, actor=lambda u: u.replied_by_id,
                    related={IncomingDocument: lambda doc: doc.undertakings.all()})

`compute(obj) -> list[Spec]` gives the tasks open *now* on one object, with the assignees taken from the module's
own rules (its policy's allowed actions), never re-implemented here. `sync(obj)` compares them with the open
`Task` rows of that object: new ones are opened, vanished ones closed — 已办 (done) for the person who acted (the
source's `actor(obj)`, or the `actor=` given), 无需办理 (cancelled) for the others. Sync runs on `post_save` of the
source models (and of the `related` models, which re-sync their dependents) and on `core.signals.changed`, so in
the transaction of the service that made the change; `rebuild()` recomputes everything (`zhongshu inbox rebuild`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from zhongshu.core.context import current_user_id
from zhongshu.core.signals import changed


@dataclass(frozen=True)
class TaskKind:
    key: str
    label: str  # 类别 column: 流程审批, 收文承办, 传阅, 督办任务 …
    box: str = "todo"  # "todo" (待办) or "read" (待阅)
    delegable: bool = False  # a 委托 delegate of the assignee sees and does it (flow items, 销号 confirmation)
    order: int = 100


@dataclass
class Spec:
    """One open task as a source computes it."""

    kind: str
    assignee_id: int
    title: str
    url: str
    since: datetime.datetime | None  # None: when the task is first opened
    organization_id: int | None = None
    classification: int = 1
    action: str = ""
    origin: str = ""
    deadline: datetime.date | None = None
    deadline_provisional: bool = False
    key: str = ""


@dataclass
class Source:
    model: type[models.Model]
    compute: Callable[[Any], list[Spec]]
    actor: Callable[[Any], int | None] | None = None
    related: dict[type[models.Model], Callable[[Any], Iterable[Any]]] = field(default_factory=dict)
    all: Callable[[], Iterable[Any]] | None = None  # rebuild: the objects that may have tasks (default: every row)
    select: tuple[str, ...] = ()  # select_related for compute()


KINDS: dict[str, TaskKind] = {}
SOURCES: dict[type[models.Model], Source] = {}
_RELATED: dict[type[models.Model], list[tuple[type[models.Model], Callable[[Any], Iterable[Any]]]]] = {}


def register_kind(*kinds: TaskKind) -> None:
    for k in kinds:
        if k.box not in ("todo", "read"):
            raise ValueError(f"未知的事项分类：{k.box}")
        KINDS[k.key] = k


def register_source(model: type[models.Model], compute: Callable[[Any], list[Spec]], *, actor: Callable[[Any], int | None] | None = None,
                    related: dict | None = None, all: Callable[[], Iterable[Any]] | None = None,
                    select: tuple[str, ...] = ()) -> None:
    SOURCES[model] = Source(model, compute, actor, dict(related or {}), all, tuple(select))
    for rel_model, fn in (related or {}).items():
        _RELATED.setdefault(rel_model, []).append((model, fn))


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in sorted(KINDS.values(), key=lambda k: (k.order, k.key))]


# ---- sync ------------------------------------------------------------------------------------------------
def _closing_status(task, actor_id: int | None) -> tuple[str, int | None]:
    from .models import Task

    if actor_id is None:
        return Task.Status.CANCELLED, None
    if actor_id == task.assignee_id:
        return Task.Status.DONE, actor_id
    if task.delegable:
        from zhongshu.flow.models import acting_ids
        from zhongshu.org.models import User

        actor = User(pk=actor_id)
        if task.assignee_id in acting_ids(actor):
            return Task.Status.DONE, actor_id
    return Task.Status.CANCELLED, None


FIELDS = ("title", "url", "organization_id", "classification", "action", "origin", "deadline", "deadline_provisional", "since")


def sync_many(objs: Iterable[Any], *, actor: Any = None) -> int:
    """Make the open Task rows of `objs` (all of one source model) what their source computes now. Returns the number
    of rows opened, changed or closed."""
    from .models import Task

    objs = [o for o in objs if o is not None and o.pk is not None]
    if not objs:
        return 0
    model = type(objs[0])
    source = SOURCES.get(model) or next((s for m, s in SOURCES.items() if isinstance(objs[0], m)), None)
    if source is None:
        return 0
    ct = ContentType.objects.get_for_model(source.model)
    ids = [o.pk for o in objs]
    # re-read the rows: a post_save of a related row or a QuerySet.update() leaves stale instances behind
    fresh = {o.pk: o for o in source.model._default_manager.filter(pk__in=ids).select_related(*source.select)}
    existing: dict[tuple, Task] = {}
    for row in Task.objects.filter(content_type=ct, object_id__in=ids, status=Task.Status.OPEN):
        existing[(row.object_id, row.kind, row.key, row.assignee_id)] = row
    now = timezone.now()
    touched = 0
    create: list[Task] = []
    for pk in ids:
        obj = fresh.get(pk)
        specs = source.compute(obj) if obj is not None else []
        acted = getattr(actor, "pk", actor)
        if acted is None:
            acted = current_user_id.get()
        if acted is None and obj is not None and source.actor is not None:
            acted = source.actor(obj)
        seen: set[tuple] = set()
        for s in specs:
            if s.kind not in KINDS:
                raise ValueError(f"未注册的事项类别：{s.kind}")
            k = (pk, s.kind, s.key, s.assignee_id)
            if k in seen:
                continue
            seen.add(k)
            values = {f: getattr(s, f) for f in FIELDS}
            values["title"] = values["title"][:200]
            if values["since"] is None:
                prior = existing.get(k)
                values["since"] = prior.since if prior is not None else now
            current = existing.pop(k, None)
            if current is None:
                kind = KINDS[s.kind]
                create.append(Task(kind=s.kind, box=kind.box, key=s.key, assignee_id=s.assignee_id, delegable=kind.delegable,
                                   content_type=ct, object_id=pk, **values))
            else:
                diff = {f: v for f, v in values.items() if getattr(current, f) != v}
                if diff:
                    Task.objects.filter(pk=current.pk).update(**diff)
                    touched += 1
        for k in [k for k in existing if k[0] == pk]:
            gone = existing.pop(k)
            status, by = _closing_status(gone, acted)
            Task.objects.filter(pk=gone.pk, status=Task.Status.OPEN).update(status=status, done_by_id=by, done_at=now)
            touched += 1
    if create:
        Task.objects.bulk_create(create)
    return touched + len(create)


@contextlib.contextmanager
def acting(user: Any):
    """Run services as `user` outside a request (commands, tests): the tasks `user` closes are his 已办."""
    token = current_user_id.set(getattr(user, "pk", user))
    try:
        yield
    finally:
        current_user_id.reset(token)


def sync(obj: Any, *, actor: Any = None) -> int:
    """Re-derive the open tasks of one object (call after changing it with QuerySet.update(), or use
    `core.signals.updated(obj)`, which ends here too)."""
    return sync_many([obj], actor=actor)


def _dependents(obj: Any) -> None:
    for _model, fn in _RELATED.get(type(obj), []):
        rows = list(fn(obj))
        if rows:
            sync_many(rows)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if sender in SOURCES:
        sync_many([instance])
    if sender in _RELATED:
        _dependents(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    from .models import Task

    if sender in SOURCES:
        ct = ContentType.objects.get_for_model(sender)
        Task.objects.filter(content_type=ct, object_id=instance.pk, status=Task.Status.OPEN).update(
            status=Task.Status.CANCELLED, done_at=timezone.now())


_connected = False


def connect_signals() -> None:
    """Listen to every model (filtered in the handlers), so sources registered after this call are heard too."""
    global _connected
    if _connected:
        return
    post_save.connect(_on_save, dispatch_uid="inbox_sync_save")
    post_delete.connect(_on_delete, dispatch_uid="inbox_sync_delete")
    changed.connect(_on_save, dispatch_uid="inbox_sync_changed")
    _connected = True


def rebuild(stdout=None) -> dict[str, int]:
    """Recompute every source's open tasks (backfill after a migration, repair): the source's candidate rows plus
    every row that still has an open task."""
    from .models import Task

    out: dict[str, int] = {}
    for model, source in SOURCES.items():
        rows = source.all() if source.all is not None else model._default_manager.all()
        ids = {o.pk for o in rows} if not isinstance(rows, models.QuerySet) else set(rows.values_list("pk", flat=True))
        ct = ContentType.objects.get_for_model(model)
        ids |= set(Task.objects.filter(content_type=ct, status=Task.Status.OPEN).values_list("object_id", flat=True))
        ordered = sorted(ids)
        n = 0
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            n += sync_many([model(pk=pk) for pk in chunk])
        out[model._meta.label] = n
        if stdout is not None:
            stdout.write(f"{model._meta.label}: {n}\n")
    return out
