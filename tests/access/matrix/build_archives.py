"""档案 in the access matrix: 文件级 items filed from finished 发文 at each classification and 保管期限 (their
attachments carry the marker in name and content), loans (借阅/查阅) pending, approved, rejected and returned by
various personas, and an 鉴定 (appraisal). Everything through the real services (zhongshu/archives/services.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.matrix.build_outgoing import _draft, _organ, _to_state
from zhongshu.archives import services
from zhongshu.archives.models import Loan, Retention
from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification

KIND = "档案"


def build(w: Any) -> None:
    p = w.people
    clerk, director, archivist = p.clerk, p.director, p.archivist
    recipients = [_organ(clerk, "城关镇")]
    items = {}
    for level, retention in ((Classification.INTERNAL, Retention.D10), (Classification.INTERNAL, Retention.D30),
                             (Classification.SECRET, Retention.PERMANENT), (Classification.CONFIDENTIAL, Retention.D30)):
        drafter = clerk if level <= Classification.SECRET else director
        doc = _draft(w, drafter, level, recipients=recipients)
        name = w.title(KIND)
        attachment_add(actor=drafter, obj=doc, upload=SimpleUploadedFile(f"{name}.txt", w.body(name).encode(), content_type="text/plain"))
        doc = _to_state(director, doc, "distributed")
        items.setdefault(level, []).append(services.item_file_outgoing(actor=archivist, document=doc, retention=retention, note=w.title(KIND)))
    internal, internal2 = items[Classification.INTERNAL]
    secret = items[Classification.SECRET][0]
    confidential = items[Classification.CONFIDENTIAL][0]
    # 借阅: the clerk's request waits; the deputy's was approved and runs; the leader's was returned; u009's refused.
    services.loan_request(actor=clerk, item=internal, purpose=w.title(KIND))
    loan = services.loan_request(actor=p.deputy, item=secret, kind=Loan.Kind.CONSULT, purpose=w.title(KIND))
    services.loan_decide(actor=_approver(loan, archivist, director), loan=loan, approve=True, note=w.title(KIND))
    loan = services.loan_request(actor=p.leader, item=confidential, purpose=w.title(KIND))
    services.loan_decide(actor=_approver(loan, archivist, director), loan=loan, approve=True)
    services.loan_return(actor=p.leader, loan=loan)
    loan = services.loan_request(actor=p.u009, item=internal2, purpose=w.title(KIND))
    services.loan_decide(actor=_approver(loan, archivist, director), loan=loan, approve=False, note=w.title(KIND))


def _approver(loan, archivist, director):
    return archivist if loan.required_role in archivist.role_set else director
