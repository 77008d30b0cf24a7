"""From a 发文 to the GB/T 9704 renderer's Document (zhongshu.render), and the downloads built on it."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.render import Attachment, Document, render_docx, render_pdf
from zhongshu.render.pdf import render_pdf_pages

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
    return render_pdf(to_render(doc), watermark=watermark, seal_placeholder=False)  # the seal is put on paper at 用印


def docx_for(doc: OutgoingDocument) -> bytes:
    return render_docx(to_render(doc))


# ---- 印制: the print-ready set -----------------------------------------------------------------------------
PRINT_SET_MAX = 300  # copies per download; larger runs are fetched in ranges (?first=&last=)
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")


@dataclass
class IssuedAttachment:
    """One 附件 of the issued document: its name (as in the 附件说明) and the uploaded file that is its content,
    if any. PDF files are put after the attachment's heading page, images on it, DOCX laid out as its text."""

    name: str
    kind: str = ""  # pdf | image | docx | other | "" (named, no file)
    data: bytes = b""
    body: str = ""
    pages: int = 0  # a PDF's page count: the layout reserves and numbers as many pages after the heading


def _stem(name: str) -> str:
    stem = PurePath(name).stem
    return re.sub(r"^\s*(附件\s*\d*[:：.．、_\-\s]*)", "", stem).strip()


def issued_attachments(doc: OutgoingDocument) -> list[IssuedAttachment]:
    """The 附件说明 names matched with the uploaded files: by name first (file name = attachment name, with or
    without “附件1_”), then the remaining files in upload order to the remaining names; files no name claims
    follow as attachments named after the file."""
    from zhongshu.core.attachments import attachments_of

    files = list(attachments_of(doc).order_by("id"))
    out = [IssuedAttachment(name=n) for n in doc.attachment_names]
    pairs: dict[int, object] = {}
    left = list(files)
    for i, att in enumerate(out):
        hit = next((f for f in left if _stem(f.name) == att.name.strip()), None)
        if hit is not None:
            pairs[i] = hit
            left.remove(hit)
    for i in range(len(out)):
        if i not in pairs and left:
            pairs[i] = left.pop(0)
    for f in left:
        out.append(IssuedAttachment(name=_stem(f.name) or f.name))
        pairs[len(out) - 1] = f
    for i, f in pairs.items():
        _load(out[i], f)
    return out


def _load(att: IssuedAttachment, stored) -> None:
    name = stored.name.lower()
    with stored.file.open("rb") as fh:
        data = fh.read()
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
            if pages:
                att.kind, att.data, att.pages = "pdf", data, pages
            else:
                att.kind = "other"
        except Exception:  # noqa: BLE001 — an unreadable PDF prints its heading only; the file itself is in the 分发包
            att.kind = "other"
    elif name.endswith(IMAGE_TYPES):
        att.kind, att.data = "image", data
    elif name.endswith(".docx"):
        from zhongshu.proofread.docx_io import read_text

        try:
            att.kind, att.body = "docx", read_text(io.BytesIO(data))
        except Exception:  # noqa: BLE001 — a damaged file prints its heading only; the file itself is in the 分发包
            att.kind = "other"
    else:
        att.kind = "other"


def issued_render(doc: OutgoingDocument, attachments: list[IssuedAttachment], *, copy_no: str = "") -> Document:
    """The document as printed: every copy with its 份号 (GB/T 9704 7.2.1, not only classified ones), laid out for
    the seal (the seal is put on paper at 用印; a missing seal image prints nothing), attachments with their text."""
    r = to_render(doc)
    r.copy_no = copy_no
    r.sealed = doc.format != "minutes"
    r.attachments = [Attachment(name=a.name, body=a.body, full_page=a.kind in ("pdf", "image"), extra_pages=a.pages)
                     for a in attachments]
    return r


def issued_pdf(doc: OutgoingDocument, *, copy_no: str = "", attachments: list[IssuedAttachment] | None = None) -> bytes:
    """One printed copy as a PDF: the laid-out document; after each attachment's heading page its PDF's pages (on the
    pages the layout reserved and numbered for them, scaled to A4 where they are not), an image placed on the heading
    page under the title; then the 版记."""
    from pypdf import PdfReader, PdfWriter, Transformation

    from zhongshu.render import geometry as g

    atts = issued_attachments(doc) if attachments is None else attachments
    data, kinds = render_pdf_pages(issued_render(doc, atts, copy_no=copy_no), seal_placeholder=False)
    if not any(a.kind in ("pdf", "image") for a in atts):
        return data
    base = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    current: IssuedAttachment | None = None
    foreign: list = []
    n = -1
    for i, page in enumerate(base.pages):
        if kinds[i] == "attachment":
            n += 1
            current = atts[n]
            foreign = list(PdfReader(io.BytesIO(current.data)).pages) if current.kind == "pdf" else []
        if kinds[i] == "inserted" and foreign:
            src = foreign.pop(0)
            w, h = float(src.mediabox.width), float(src.mediabox.height)
            scale = min(g.PAGE_W / w, g.PAGE_H / h)
            out = writer.add_blank_page(width=g.PAGE_W, height=g.PAGE_H)
            out.merge_transformed_page(src, Transformation().scale(scale).translate((g.PAGE_W - w * scale) / 2, (g.PAGE_H - h * scale) / 2))
            out.merge_page(page)  # the page number on top
            continue
        writer.add_page(page)
        if kinds[i] == "attachment" and current is not None and current.kind == "image":
            writer.pages[-1].merge_page(PdfReader(io.BytesIO(_image_overlay(current.data))).pages[0])
    out_buf = io.BytesIO()
    writer.write(out_buf)
    return out_buf.getvalue()


def _image_overlay(data: bytes) -> bytes:
    """A page with the image fitted into the type area below the attachment title (GB/T 9704 版心)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from zhongshu.render import geometry as g

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), invariant=1)
    try:
        img = ImageReader(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — not an image after all: nothing placed
        c.showPage()
        c.save()
        return buf.getvalue()
    top = g.line_top(5)  # title on lines 3–4, one blank line
    c.drawImage(img, g.LEFT, g.PAGE_H - g.BOTTOM, width=g.AREA_W, height=g.BOTTOM - top, preserveAspectRatio=True,
                anchor="n", mask="auto")
    c.showPage()
    c.save()
    return buf.getvalue()


def copy_numbers(doc: OutgoingDocument, first: int = 1, last: int | None = None) -> list[str]:
    """份号 000001 … of the copies to print (the same numbers 分发 gives the recipients, in order)."""
    last = min(doc.copies, last or doc.copies)
    if first < 1 or last < first:
        return []
    return [f"{i:06d}" for i in range(first, last + 1)]


def print_set(doc: OutgoingDocument, numbers: list[str], *, combined: bool) -> bytes:
    """印制文件: every copy with its own 份号 — one PDF with all the copies, or a ZIP of one PDF per copy."""
    from pypdf import PdfReader, PdfWriter

    atts = issued_attachments(doc)
    stem = f"{doc.doc_number or '未编号'}"
    if combined:
        writer = PdfWriter()
        for no in numbers:
            for page in PdfReader(io.BytesIO(issued_pdf(doc, copy_no=no, attachments=atts))).pages:
                writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for no in numbers:
            zf.writestr(f"{stem} 份号{no}.pdf", issued_pdf(doc, copy_no=no, attachments=atts))
    return buf.getvalue()
