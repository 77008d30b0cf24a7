"""Text extraction for the index runs in a child process with a memory and time budget (issue 14 §3): a hostile
attachment costs at most the budget, the document is indexed without that text and a warning is logged."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from tests.core.test_containers import bomb_docx, normal_docx
from zhongshu.search import extract as extract_mod
from zhongshu.search.extract_worker import ExtractionFailed, extract


def test_normal_docx_is_extracted_in_the_worker():
    text = extract("正常.docx", normal_docx())
    assert "关于做好年度工作的通知" in text


def test_bomb_gives_up_cleanly_and_quickly():
    t0 = time.monotonic()
    with pytest.raises(ExtractionFailed) as e:
        extract("炸弹.docx", bomb_docx())
    assert time.monotonic() - t0 < 5
    assert "炸弹.docx" in str(e.value)


def test_timeout_kills_the_child(monkeypatch):
    monkeypatch.setattr(extract_mod, "text_of", lambda name, handle: time.sleep(60) or "")
    t0 = time.monotonic()
    with pytest.raises(ExtractionFailed) as e:
        extract("慢.docx", b"x", timeout=1)
    assert time.monotonic() - t0 < 4
    assert "1 秒" in str(e.value)


def test_memory_budget(monkeypatch):
    def hog(name, handle):
        return "x" * (2 * 1024 * 1024 * 1024)  # 2 GB

    monkeypatch.setattr(extract_mod, "text_of", hog)
    with pytest.raises(ExtractionFailed) as e:
        extract("大.docx", b"x", memory_mb=1024)
    assert "内存" in str(e.value)


@pytest.mark.django_db
def test_document_is_indexed_without_the_hostile_attachment(people, settings, tmp_path, caplog):
    from zhongshu.core.models import Attachment
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.search.extract import attachments_text

    settings.MEDIA_ROOT = str(tmp_path)
    doc = IncomingDocument.objects.create(organization_id=people.clerk.organization_id, source="paper", sender_name="某局",
                                          doc_number="某〔2026〕1号", title="带炸弹的来文")
    ct = ContentType.objects.get_for_model(doc)
    for name, data in (("炸弹.docx", bomb_docx()), ("正常.docx", normal_docx())):  # stored before the limits existed
        att = Attachment(content_type=ct, object_id=doc.pk, name=name, size=len(data), sha256="0" * 64, mime="x", uploaded_by=people.clerk)
        att.file.save(name, ContentFile(data), save=False)
        att.save()
    with caplog.at_level(logging.WARNING, logger="zhongshu.search.extract"):
        text = attachments_text(doc)
    assert "关于做好年度工作的通知" in text
    assert any("炸弹.docx" in r.getMessage() and "without its text" in r.getMessage() for r in caplog.records)



def _in_daemon(queue):
    try:
        queue.put(("ok", extract("正常.docx", normal_docx())))
    except BaseException as e:  # report, the assertion is in the parent
        queue.put(("error", f"{type(e).__name__}: {e}"))


def test_extraction_works_inside_a_daemonic_worker():
    """django-q's workers are daemonic multiprocessing processes; multiprocessing refuses them children, so the
    extraction must not depend on multiprocessing.Process (found in the crash-safety work: the worker indexed
    every attachment without its text)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_in_daemon, args=(queue,), daemon=True)
    proc.start()
    status, text = queue.get(timeout=30)
    proc.join(10)
    assert status == "ok", text
    assert "关于做好年度工作的通知" in text
