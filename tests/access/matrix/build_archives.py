"""档案 in the access matrix: 文件级 items filed from finished 发文 at each classification and 保管期限 (their
attachments carry the marker in name and content), loans (借阅/查阅) pending, approved, rejected and returned by
various personas, and an 鉴定 (appraisal). Everything through the real services (zhongshu/archives/services.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.access.matrix.build_outgoing import _draft, _organ, _to_state
from zhongshu.archives import batch, disposal, services, transfer
from zhongshu.archives.models import Appraisal, ArchiveItem, Loan, Retention
from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification

KIND = "档案"


def build(w: Any) -> None:
    p = w.people
    clerk, director, archivist = p.clerk, p.director, p.archivist
    recipients = [_organ(clerk, "城关镇")]
    items = {}
    for level, retention in ((Classification.INTERNAL, Retention.D10), (Classification.INTERNAL, Retention.D30),
                             (Classification.SECRET, Retention.PERMANENT), (Classification.CONFIDENTIAL, Retention.D30),
                             (Classification.INTERNAL, Retention.D10), (Classification.SECRET, Retention.D10)):
        drafter = clerk if level <= Classification.SECRET else director
        doc = _draft(w, drafter, level, recipients=recipients)
        name = w.title(KIND)
        attachment_add(actor=drafter, obj=doc, upload=SimpleUploadedFile(f"{name}.txt", w.body(name).encode(), content_type="text/plain"))
        doc = _to_state(director, doc, "distributed")
        items.setdefault(level, []).append(services.item_file_outgoing(actor=archivist, document=doc, retention=retention, note=w.title(KIND)))
    internal, internal2, expired_internal = items[Classification.INTERNAL]
    secret, expired_secret = items[Classification.SECRET]
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


    # 鉴定 and 销毁: two D10 items whose period has ended (the clock moved, not the services): the 内部 one waits for
    # its appraisal, the 秘密 one was appraised 拟销毁 and is on a 销毁清册 awaiting approval.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ArchiveItem.objects.filter(pk__in=[expired_internal.pk, expired_secret.pk]).update(expires_on=yesterday)
    disposal.item_appraise(actor=archivist, item=expired_secret, decision=Appraisal.Decision.DESTROY, opinion=w.title(KIND))
    disposal.destruction_create(actor=archivist, items=[expired_secret], reason=w.title(KIND))
    # 移交 package of this year, and a 年终归档 batch of last year (nothing left to file: cheap, and it does not file
    # the other builders' 发文).
    transfer.transfer_export(actor=archivist, year=internal.year)
    batch.batch_start(actor=archivist, year=timezone.localdate().year - 1)


def _approver(loan, archivist, director):
    return archivist if loan.required_role in archivist.role_set else director
