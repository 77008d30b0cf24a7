"""督办's task sources for the one inbox: a department's task (签收, 报送/办结) for the people the module tells about
it (`contacts`), the office's steps on an item (审核报送, 核实办结, 延期审批) and the responsible leader's 销号
confirmation (a 委托 delegate may confirm, so it is delegable). Who acts is the policy's allowed actions."""

from __future__ import annotations

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source

from .models import ExtensionRequest, ProgressReport, SupervisionItem, SupervisionTask
from .policy import SupervisionItemPolicy, SupervisionTaskPolicy

register_kind(
    TaskKind("supervision.task", "督办任务", order=30),
    TaskKind("supervision.office", "督办审核", order=31),
    TaskKind("supervision.confirm", "督办销号", delegable=True, order=32),
)

OFFICE_ACTIONS = {"review": "审核报送", "verify": "核实办结", "extension_decide": "延期审批"}


def _base(item: SupervisionItem, **kw) -> dict:
    return {"title": item.title, "organization_id": item.organization_id, "classification": item.classification,
            "origin": f"督办 {item.number}", **kw}


def task_tasks(task: SupervisionTask) -> list[Spec]:
    from .services import contacts

    item = task.item
    if task.status not in (SupervisionTask.Status.PENDING, SupervisionTask.Status.ACCEPTED) or item.status != SupervisionItem.Status.IN_PROGRESS:
        return []
    report = None
    if task.status == SupervisionTask.Status.ACCEPTED:
        report = (ProgressReport.objects.filter(task=task, status__in=[ProgressReport.Status.OPEN, ProgressReport.Status.RETURNED])
                  .order_by("due_date", "id").first())
    out = []
    for person in contacts(task):
        acts = SupervisionTaskPolicy.allowed_actions(person, task)
        if task.status == SupervisionTask.Status.PENDING:
            if "accept" not in acts:
                continue
            action, deadline, key = f"{task.get_role_display()} · 签收", item.deadline, "sign"
        else:
            if "report" not in acts:
                continue
            if report is not None:
                action, deadline, key = f"{task.get_role_display()} · 报送进展", report.due_date or item.deadline, f"report{report.pk}"
            else:
                action, deadline, key = f"{task.get_role_display()} · 办理" + ("、申请办结" if "complete" in acts else ""), item.deadline, "work"
        out.append(Spec(kind="supervision.task", assignee_id=person.pk, since=task.accepted_at or task.created_at, action=action, key=key,
                        deadline=deadline, url=task.get_absolute_url(), **_base(item, organization_id=task.department_organization_id,
                                                                                 classification=task.classification)))
    return out


def item_tasks(item: SupervisionItem) -> list[Spec]:
    from .services import office_people

    out = []
    if item.status in SupervisionItem.OPEN:
        for person in office_people(item):
            acts = SupervisionItemPolicy.allowed_actions(person, item)
            todo = [label for key, label in OFFICE_ACTIONS.items() if key in acts]
            if "reassign" in acts and item.tasks.filter(status=SupervisionTask.Status.DISPUTED).exists():
                todo.append("处理异议（改派）")  # a department disputed its task: the office must 改派 it
            if todo:
                out.append(Spec(kind="supervision.office", assignee_id=person.pk, since=None, action="、".join(todo), key="+".join(sorted(todo)),
                                deadline=item.deadline, url=item.get_absolute_url(), **_base(item)))
    if item.status == SupervisionItem.Status.VERIFIED:
        out.append(Spec(kind="supervision.confirm", assignee_id=item.responsible_leader_id, since=None, action="确认销号",
                        deadline=item.deadline, url=item.get_absolute_url(), **_base(item)))
    return out


def _item_actor(item: SupervisionItem) -> int | None:
    if item.status == SupervisionItem.Status.CLOSED:
        from zhongshu.audit.models import AuditEntry

        # the person who confirmed (the leader or his delegate) — the item row does not keep it
        return AuditEntry.objects.filter(action="supervision.close", target_type="supervision.supervisionitem",
                                         target_id=str(item.pk)).values_list("actor_id", flat=True).order_by("-seq").first()
    return None


register_source(SupervisionTask, task_tasks, actor=lambda t: t.accepted_by_id, select=("item", "department"),
                related={SupervisionItem: lambda i: i.tasks.all(), ProgressReport: lambda r: [r.task]},
                all=lambda: SupervisionTask.objects.filter(status__in=["pending", "accepted"]))
register_source(SupervisionItem, item_tasks, actor=_item_actor,
                related={SupervisionTask: lambda t: [t.item], ProgressReport: lambda r: [r.item], ExtensionRequest: lambda e: [e.item]},
                all=lambda: SupervisionItem.objects.filter(status__in=SupervisionItem.OPEN))
