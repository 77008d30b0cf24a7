"""From a 发文 to the GB/T 9704 renderer's Document (zhongshu.render), and the downloads built on it."""

from __future__ import annotations

from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.render import Attachment, Document, render_docx, render_pdf

from .models import Direction, OutgoingDocument

LABELS = {Classification.SECRET: "秘密", Classification.CONFIDENTIAL: "机密", Classification.TOP_SECRET: "绝密"}


def to_render(doc: OutgoingDocument, *, copy_no: str = "") -> Document:
    org = doc.organization
    level = Classification(doc.classification)
    signers = [u.display_name for u in doc.signers.all()] if doc.direction == Direction.UP else []
    sealed = doc.status in (OutgoingDocument.Status.SEALED, OutgoingDocument.Status.DISTRIBUTED, OutgoingDocument.Status.FILED)
    mark = org.name + ("文件" if doc.format == "standard" else "")
    if doc.format == "order":
        mark = org.name + "令"
    if doc.format == "minutes":
        mark = doc.title.split("纪要")[0] + "纪要" if "纪要" in doc.title else org.short_name + "纪要"
    joints = list(doc.joint_issuers.select_related("organ", "decided_by"))
    joint = [j.organ.name for j in joints]
    if signers:  # an upward joint document names each organ's 签发人 (those who agreed on the platform)
        signers += [j.decided_by.display_name for j in joints if j.decided_by and not j.offline and j.status == "agreed"]
    marks = [mark]
    if joint and doc.format == "standard":  # 联合行文: every organ's name stacked, lead first, 文件 at the right
        marks = [org.name + "文件"] + [name + "文件" for name in joint]
    return Document(
        doc_type=doc.doc_type,
        title=doc.title,
        format=doc.format,
        copy_no=copy_no if level >= Classification.SECRET else "",
        classification=LABELS.get(level, ""),
        secrecy_period=doc.secrecy_period if level >= Classification.SECRET else "",
        urgency=doc.urgency,
        issuer_marks=marks,
        doc_number=doc.doc_number,
        signers=signers,
        main_recipients=[o.name for o in doc.main_recipients.all()],
        body=doc.body,
        attachments=[Attachment(name=n) for n in doc.attachment_names],
        issuer_signatures=[org.name, *joint],
        date=doc.issue_date,
        sealed=sealed,
        note=doc.note,
        cc=[o.name for o in doc.cc_recipients.all()],
        printer=org.name,
        print_date=doc.issue_date,
    )


def pdf_for(doc: OutgoingDocument, *, viewer=None) -> bytes:
    """PDF of the document; classified documents carry the viewer's name and the time as a watermark."""
    watermark = None
    if doc.classification >= Classification.SECRET and viewer is not None:
        watermark = f"{viewer.display_name} {timezone.localtime():%Y-%m-%d %H:%M}"
    return render_pdf(to_render(doc), watermark=watermark)


def docx_for(doc: OutgoingDocument) -> bytes:
    return render_docx(to_render(doc))
