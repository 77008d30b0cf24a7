"""Helpers for the 档案 tests: finished 发文 and 收文 built through the real services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.org.models import ExternalOrgan


def make_distributed(people, title="某县人民政府办公室关于做好节日值班工作的通知", **kw):
    from tests.outgoing.test_outgoing import approve_all
    from zhongshu.outgoing import services as outgoing

    clerk = people.clerk
    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    doc = outgoing.outgoing_create(actor=clerk, doc_type=kw.pop("doc_type", "通知"), title=title, body="各单位要做好有关工作。\n一、提高认识\n要高度重视。",
                                   main_recipients=[book["县财政局"]], copies=2, **kw)
    outgoing.outgoing_submit(actor=clerk, document=doc)
    approve_all(doc)
    for step in (outgoing.outgoing_assign_number, outgoing.outgoing_print, outgoing.outgoing_seal, outgoing.outgoing_distribute):
        step(actor=clerk, document=doc)
    doc.refresh_from_db()
    return doc


def scan_pdf(text="SCAN") -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    for page in (1, 2, 3):
        c.drawString(100, 400, f"{text} page {page}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_closed_incoming(people, title="某市人民政府办公室关于开展防汛检查的通知", **kw):
    from zhongshu.core.attachments import attachment_add
    from zhongshu.incoming import services as incoming
    from zhongshu.incoming.models import IncomingDocument

    clerk = people.clerk
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府办")
    doc = incoming.incoming_register(actor=clerk, source="paper", sender_organ=city, doc_number=kw.pop("doc_number", "某市政办发〔2026〕77号"),
                                     title=title, doc_type="通知", pages=3, **kw)
    attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile("scan.pdf", scan_pdf(), content_type="application/pdf"))
    attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile("清单.txt", "附件清单".encode(), content_type="text/plain"))
    IncomingDocument.objects.filter(pk=doc.pk).update(status="closed")  # the 收文 flow's 办结 is tested in tests/incoming
    doc.refresh_from_db()
    return doc


@pytest.fixture
def distributed(people):
    return lambda **kw: make_distributed(people, **kw)


@pytest.fixture
def closed_incoming(people):
    return lambda **kw: make_closed_incoming(people, **kw)
