"""印制 produces the print-ready set (issue 15 §4): every copy with its own 份号 at the top left of line 1 — one PDF per
copy in a ZIP, or one PDF with every copy —, the attachments part of each copy (PDF pages appended after the
attachment's heading, DOCX laid out as text, images placed), and no dashed placeholder where no seal image exists."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.render.conftest import FONTS_OK
from zhongshu.core.attachments import attachment_add
from zhongshu.outgoing import rendering, services

from .test_outgoing import organ, signed

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not FONTS_OK, reason="中文字体未安装")]


def _pdf_file() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    for n in (1, 2):
        c.drawString(100, 700, f"ATTACHED PDF PAGE {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _docx_file() -> bytes:
    from docx import Document

    d = Document()
    d.add_paragraph("一、各乡镇每周报送一次检查情况。")
    d.add_paragraph("二、县直部门按行业分工负责。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _png_file() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _text(pdf: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as p:
        return [page.extract_text() or "" for page in p.pages]


def _images(pdf: bytes) -> list[int]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as p:
        return [len(page.images) for page in p.pages]


@pytest.fixture
def numbered(people):
    clerk = people.clerk
    doc = signed(people, attachment_names=["检查统计表", "实施细则", "现场照片"], copies=3,
                 main_recipients=[organ(clerk, "城关镇"), organ(clerk, "县财政局")])
    for name, data, mime in (("检查统计表.pdf", _pdf_file(), "application/pdf"),
                             ("实施细则.docx", _docx_file(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                             ("现场照片.png", _png_file(), "image/png")):
        attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile(name, data, content_type=mime))
    return services.outgoing_assign_number(actor=clerk, document=doc)


def test_one_pdf_per_copy_with_its_copy_number_and_the_attachments(numbered, client, people):
    client.force_login(people.clerk)
    html = client.get(f"/outgoing/{numbered.pk}/").content.decode()
    assert f"/outgoing/{numbered.pk}/print-set.zip" in html and f"/outgoing/{numbered.pk}/print-set.pdf" in html
    resp = client.get(f"/outgoing/{numbered.pk}/print-set.zip")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.content)) as zf:
        names = sorted(zf.namelist())
        assert [n.rsplit("份号", 1)[1] for n in names] == ["000001.pdf", "000002.pdf", "000003.pdf"]
        copies = [zf.read(n) for n in names]
    for no, pdf in zip(("000001", "000002", "000003"), copies):
        pages = _text(pdf)
        first_line = pages[0].splitlines()[0]
        assert first_line.strip() == no  # 份号: top left, line 1 (unclassified documents carry it in the print set too)
        assert sum(no in p for p in pages) == 1
        whole = "\n".join(pages)
        assert numbered.doc_number in pages[0]
        # attachment 1 (PDF): its heading page, then its two pages; attachment 2 (DOCX) laid out; 3 (image) placed
        h1 = next(i for i, p in enumerate(pages) if p.startswith("附件1"))
        assert "检查统计表" in pages[h1] and "ATTACHED PDF PAGE 1" in pages[h1 + 1] and "ATTACHED PDF PAGE 2" in pages[h1 + 2]
        # its pages are numbered in the document's sequence (— n —), and the pages after them count them
        assert f"— {h1 + 2} —" in pages[h1 + 1] and f"— {h1 + 3} —" in pages[h1 + 2]
        h2 = next(i for i, p in enumerate(pages) if p.startswith("附件2"))
        assert f"— {h2 + 1} —" in pages[h2]
        assert h2 > h1 + 2 and "实施细则" in pages[h2] and "各乡镇每周报送一次检查情况" in whole
        h3 = next(i for i, p in enumerate(pages) if p.startswith("附件3"))
        images = _images(pdf)
        assert "现场照片" in pages[h3] and images[h3] == 1 and sum(images) == 1
        assert "印发" in pages[-1] and h3 < len(pages) - 1  # the 版记 closes the copy, after the attachments
        assert "章" not in whole  # no seal image: nothing printed where the seal goes (no “印章位置” placeholder)


def test_combined_pdf_holds_every_copy(numbered, client, people):
    client.force_login(people.clerk)
    one = rendering.issued_pdf(numbered, copy_no="000001")
    resp = client.get(f"/outgoing/{numbered.pk}/print-set.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    pages = _text(resp.content)
    per_copy = len(_text(one))
    assert len(pages) == 3 * per_copy
    assert [pages[i * per_copy].splitlines()[0].strip() for i in range(3)] == ["000001", "000002", "000003"]
    ranged = client.get(f"/outgoing/{numbered.pk}/print-set.pdf?first=2&last=3")
    assert len(_text(ranged.content)) == 2 * per_copy


def test_only_the_office_gets_the_print_set(numbered, client, people):
    client.force_login(people.deputy)  # the 签发人 reads the document, the office prints it
    assert client.get(f"/outgoing/{numbered.pk}/").status_code == 200
    assert client.get(f"/outgoing/{numbered.pk}/print-set.zip").status_code == 404
    draft_doc = signed(people)
    client.force_login(people.clerk)
    assert client.get(f"/outgoing/{draft_doc.pk}/print-set.zip").status_code == 404  # not numbered yet


def test_a_missing_seal_image_prints_nothing(people):
    from zhongshu.render import render_pdf

    clerk = people.clerk
    doc = signed(people)
    for step in (services.outgoing_assign_number, services.outgoing_print, services.outgoing_seal):
        step(actor=clerk, document=doc)
    doc.refresh_from_db()
    assert _seal_marks(render_pdf(rendering.to_render(doc))) == (True, True)  # the renderer's own placeholder…
    assert _seal_marks(rendering.pdf_for(doc)) == (False, False)  # …never in the issued document


def _seal_marks(pdf: bytes) -> tuple[bool, bool]:
    """(the placeholder's label “印章位置” is drawn, a curve — its dashed circle — is drawn)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as p:
        chars = "".join(c["text"] for page in p.pages for c in page.chars)
        curves = sum(len(page.curves) for page in p.pages)
    return all(ch in chars for ch in "印章位置"), curves > 0
