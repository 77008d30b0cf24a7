"""Demo 档案 for the county government office: 全宗号 0194, the distributed 发文 filed, one pending loan request."""

from __future__ import annotations

from zhongshu.org.models import User

from . import services


def build_demo_archives() -> None:
    from zhongshu.outgoing.models import OutgoingDocument

    archivist = User.objects.get(username="archivist")
    org = archivist.organization
    services.archive_settings_save(actor=archivist, organization=org, fonds_code="0194", fonds_name=org.name)
    items = [services.item_file_outgoing(actor=archivist, document=doc)
             for doc in OutgoingDocument.objects.filter(organization=org, status=OutgoingDocument.Status.DISTRIBUTED).order_by("pk")]
    if items:
        clerk = User.objects.get(username="clerk")
        services.loan_request(actor=clerk, item=items[0], kind="consult", purpose="起草2027年元旦春节工作通知，参阅上年度同类发文。", days=7)
