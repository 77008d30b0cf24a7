"""档案's task sources for the one inbox:

- a pending loan request is a 待办 of everyone the module's own rule (`selectors.pending_decisions`) lets decide it;
- a loan in progress (借阅中) is the borrower's 待办 “归还”, due on the loan's due date; once overdue it is also the
  archivists' (档案管理: `loan_return` lets them end it) — the daily `loan_overdue_scan` re-syncs the loan when it
  passes its due time;
- a 销毁清册 waiting for approval is a 待办 of the 机关负责人 (the settings' `destruction_approver_role`, cleared for
  every line, as `destruction_approve` requires); an approved one is the archivists' 待办 “监销销毁”
  (`destruction_execute` with two 监销人)."""

from __future__ import annotations

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source
from zhongshu.org.models import User

from .models import Destruction, DestructionLine, Loan

register_kind(
    TaskKind("archives.loan", "借阅审批", order=40),
    TaskKind("archives.return", "档案归还", order=41),
    TaskKind("archives.destruction", "档案销毁", order=42),
)


def _archivists(organization_id: int, classification: int):
    from zhongshu.access.permissions import has_perm

    people = User.objects.filter(organization_id=organization_id, is_active=True).prefetch_related("role_assignments")
    return [p for p in people if has_perm(p, "archives.manage") and classification <= int(p.max_classification)]


def loan_tasks(loan: Loan) -> list[Spec]:
    from .selectors import pending_decisions

    if loan.status == Loan.Status.ACTIVE:
        return _return_tasks(loan)
    if loan.status != Loan.Status.PENDING:
        return []
    people = (User.objects.filter(organization_id=loan.organization_id, is_active=True, role_assignments__role=loan.required_role)
              .exclude(pk=loan.borrower_id).distinct())
    item = loan.item
    return [Spec(kind="archives.loan", assignee_id=p.pk, title=f"{loan.get_kind_display()}申请：{item.title}", url=loan.get_absolute_url(),
                 since=loan.requested_at, organization_id=loan.organization_id, classification=item.classification,
                 action=f"{loan.get_kind_display()} {loan.days} 天", origin=loan.borrower.display_name)
            for p in people if pending_decisions(p).filter(pk=loan.pk).exists()]


def _return_tasks(loan: Loan) -> list[Spec]:
    from django.utils import timezone

    item = loan.item
    due = timezone.localdate(loan.due_at) if loan.due_at else None
    common = {"kind": "archives.return", "url": loan.get_absolute_url(), "organization_id": loan.organization_id,
              "classification": item.classification, "deadline": due}
    specs = [Spec(assignee_id=loan.borrower_id, title=f"归还{loan.get_kind_display()}档案：{item.title}", since=loan.decided_at,
                  action="到期前归还", origin=loan.decided_by.display_name if loan.decided_by else "", **common)]
    if loan.overdue:
        specs += [Spec(assignee_id=p.pk, title=f"逾期未还：{item.title}", since=loan.due_at, action="催还并确认归还",
                       origin=loan.borrower.display_name, **common)
                  for p in _archivists(loan.organization_id, item.classification) if p.pk != loan.borrower_id]
    return specs


def _loan_actor(loan: Loan) -> int | None:
    """Who closed the loan's tasks when no request says so: the decider for a decision, the borrower for a return."""
    if loan.status in (Loan.Status.ACTIVE, Loan.Status.REJECTED):
        return loan.decided_by_id
    if loan.status in (Loan.Status.RETURNED, Loan.Status.CANCELLED):
        return loan.borrower_id
    return None


register_source(Loan, loan_tasks, actor=_loan_actor, select=("item", "borrower", "decided_by"),
                all=lambda: Loan.objects.filter(status__in=[Loan.Status.PENDING, Loan.Status.ACTIVE]))


def destruction_tasks(d: Destruction) -> list[Spec]:
    from .services import archive_settings_get

    if d.status not in (Destruction.Status.DRAFT, Destruction.Status.APPROVED):
        return []
    top = max([line.classification for line in d.lines.all()], default=1)
    common = {"kind": "archives.destruction", "title": f"{d}（{d.reason[:40]}）", "url": d.get_absolute_url(),
              "organization_id": d.organization_id, "classification": top}
    if d.status == Destruction.Status.DRAFT:
        settings = archive_settings_get(d.organization_id)
        if settings is None:
            return []
        heads = User.objects.filter(organization_id=d.organization_id, is_active=True,
                                    role_assignments__role=settings.destruction_approver_role).distinct()
        return [Spec(assignee_id=p.pk, since=d.created_at, action="批准销毁", origin=d.created_by.display_name, **common)
                for p in heads if top <= int(p.max_classification)]
    return [Spec(assignee_id=p.pk, since=d.approved_at, action="监销销毁（两名监销人）",
                 origin=d.approved_by.display_name if d.approved_by else "", **common)
            for p in _archivists(d.organization_id, top)]


register_source(Destruction, destruction_tasks, actor=lambda d: d.executed_by_id or d.approved_by_id,
                select=("created_by", "approved_by"), related={DestructionLine: lambda line: [line.destruction]},
                all=lambda: Destruction.objects.filter(status__in=[Destruction.Status.DRAFT, Destruction.Status.APPROVED]))
