"""印章 in the access matrix: seals named with markers (one out on loan request), 用印申请 of several people and
密级 — approved and stamped, pending, classified — their 用印登记, and a 介绍信. Everything through the real services
(zhongshu/seals/services.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.seals import services
from zhongshu.seals.demo import approve_all, make_active
from zhongshu.seals.models import SealKind

KIND = "印章"


def build(w: Any) -> None:
    p = w.people
    director, clerk = p.director, p.clerk
    kind = SealKind.objects.get(organization=director.organization, code="personnel")
    kept = make_active(director, kind, w.title(KIND), clerk, "秘书一科印章柜")
    other = make_active(director, kind, w.title(KIND), p.archivist, "档案室印章柜")
    # Approved and stamped by the keeper (the clerk): the archivist's request.
    req = services.request_create(actor=p.archivist, seals=[kept], matter="document", document_title=w.title(KIND), copies=2, purpose="对外报送")
    approve_all(req)
    services.request_stamp(actor=clerk, request=req, seal=kept, copies=2, witness="高晓燕")
    # Pending and urgent: u009's request on the archivist's seal (its approver holds it; the keeper and the office
    # director are offered 电话审批).
    services.request_create(actor=p.u009, seals=[other], matter="certificate", document_title=w.title(KIND), copies=1, purpose="个人事务",
                            urgent=True)
    # Classified: the director's 秘书 request on the clerk's seal, approved (by the principal: not by himself).
    secret = services.request_create(actor=director, seals=[kept], matter="document", document_title=w.title(KIND), copies=1, purpose="报送",
                                     classification=Classification.SECRET)
    approve_all(secret)
    # A loan request on the archivist's seal, waiting for the director.
    services.loan_request(actor=p.archivist, seal=other, carrier=p.archivist, companion=clerk, purpose="外出签约", destination="某市",
                          expected_return=timezone.localdate() + datetime.timedelta(days=1))
    services.letter_issue(actor=clerk, holder="王思远", receiving_unit="某市档案馆", matter=w.title(KIND),
                          valid_until=timezone.localdate() + datetime.timedelta(days=5))
