"""档案's task source for the one inbox: a pending loan request is a 待办 of everyone the module's own rule
(`selectors.pending_decisions`) lets decide it."""

from __future__ import annotations

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source
from zhongshu.org.models import User

from .models import Loan

register_kind(TaskKind("archives.loan", "借阅审批", order=40))


def loan_tasks(loan: Loan) -> list[Spec]:
    from .selectors import pending_decisions

    if loan.status != Loan.Status.PENDING:
        return []
    people = (User.objects.filter(organization_id=loan.organization_id, is_active=True, role_assignments__role=loan.required_role)
              .exclude(pk=loan.borrower_id).distinct())
    item = loan.item
    return [Spec(kind="archives.loan", assignee_id=p.pk, title=f"{loan.get_kind_display()}申请：{item.title}", url=loan.get_absolute_url(),
                 since=loan.requested_at, organization_id=loan.organization_id, classification=item.classification,
                 action=f"{loan.get_kind_display()} {loan.days} 天", origin=loan.borrower.display_name)
            for p in people if pending_decisions(p).filter(pk=loan.pk).exists()]


register_source(Loan, loan_tasks, actor=lambda loan: loan.decided_by_id, select=("item", "borrower"),
                all=lambda: Loan.objects.filter(status=Loan.Status.PENDING))
