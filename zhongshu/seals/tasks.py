"""印章's task sources for the one inbox. Approving a 用印申请 is a flow work item (the engine's own source); here:
用印 (an approved request waits for the keeper of each seal with copies left), 外借审批 (a pending loan waits for the
office directors other than its requester) and 外借催还 (a loan past its expected return: the carrier and keeper)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhongshu.inbox.registry import Spec, TaskKind, register_kind, register_source
from zhongshu.org.models import User

from .models import SealLoan, UseRecord, UseRequest
from .policy import SealLoanPolicy, stamped_copies

register_kind(TaskKind("seals.stamp", "用印", order=45), TaskKind("seals.loan", "印章外借审批", order=46),
              TaskKind("seals.loan_return", "印章催还", order=47))


def _when(day: datetime.date | None) -> datetime.datetime | None:
    return None if day is None else timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def stamp_tasks(req: UseRequest) -> list[Spec]:
    if req.status != UseRequest.Status.APPROVED:
        return []
    done = stamped_copies(req)
    out = []
    for seal in req.seals.select_related("keeper"):
        if seal.keeper_id and done.get(seal.pk, 0) < req.copies:
            out.append(Spec(kind="seals.stamp", assignee_id=seal.keeper_id, title=f"用印：{req.document_title}", url=req.get_absolute_url(),
                            since=req.approved_at, organization_id=req.organization_id, classification=req.classification,
                            action=f"{seal.name} {req.copies - done.get(seal.pk, 0)} 份", origin=req.requester.display_name, key=str(seal.pk)))
    return out


def loan_tasks(loan: SealLoan) -> list[Spec]:
    if loan.status == SealLoan.Status.PENDING:
        people = User.objects.filter(organization_id=loan.organization_id, is_active=True, admin_role="",
                                     role_assignments__role="office_director").exclude(pk=loan.requester_id).distinct()
        return [Spec(kind="seals.loan", assignee_id=p.pk, title=f"印章外借：{loan.seal.name}", url=loan.get_absolute_url(),
                     since=loan.created_at, organization_id=loan.organization_id, classification=loan.classification,
                     action=f"{loan.destination}，{loan.expected_return:%m-%d} 归还", origin=loan.requester.display_name)
                for p in people if SealLoanPolicy.can(p, loan, "decide")]
    if loan.status == SealLoan.Status.OUT and loan.reminded_on is not None:
        people = {loan.carrier_id, loan.seal.keeper_id} - {None}
        return [Spec(kind="seals.loan_return", assignee_id=pk, title=f"印章逾期未还：{loan.seal.name}", url=loan.get_absolute_url(),
                     since=_when(loan.reminded_on), organization_id=loan.organization_id, classification=loan.classification,
                     action="归还印章", deadline=loan.expected_return, origin=loan.carrier.display_name) for pk in people]
    return []


register_source(UseRequest, stamp_tasks, actor=lambda r: r.records.order_by("-id").values_list("keeper_id", flat=True).first(),
                select=("requester",),
                related={UseRecord: lambda rec: [rec.request] if rec.request_id else []},
                all=lambda: UseRequest.objects.filter(status=UseRequest.Status.APPROVED))
register_source(SealLoan, loan_tasks, actor=lambda loan: loan.decided_by_id, select=("seal", "requester", "carrier"),
                all=lambda: SealLoan.objects.filter(status__in=(SealLoan.Status.PENDING, SealLoan.Status.OUT)))
