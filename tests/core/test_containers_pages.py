"""A zip bomb uploaded as DOCX through the pages and the API is refused with a Chinese message and changes nothing."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_containers import bomb_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bomb():
    return bomb_docx()


def test_bomb_at_incoming_registration_page(people, client, bomb):
    from zhongshu.incoming.models import IncomingDocument

    client.force_login(people.clerk)
    before = IncomingDocument.objects.count()
    t0 = time.monotonic()
    resp = client.post("/incoming/register/", {"source": "paper", "sender_name": "某市民政局", "title": "关于某事的函", "classification": 0,
                                               "copies": 1, "file": SimpleUploadedFile("来文.docx", bomb)})
    assert time.monotonic() - t0 < 3
    assert resp.status_code == 200 and "疑似压缩炸弹" in resp.content.decode()
    assert IncomingDocument.objects.count() == before


def test_bomb_at_proofreading_api(api, people, bomb):
    resp = api(people.clerk).post("/api/v1/proofread/docx", {"file": SimpleUploadedFile("稿.docx", bomb)}, format="multipart")
    assert resp.status_code == 400
    body = resp.json()
    assert "稿.docx" in body["error"] and "疑似压缩炸弹" in body["fields"]["file"][0]


def test_bomb_as_excel_import(people):
    from zhongshu.org.importing import import_workbook

    result = import_workbook(actor=None, organization=people.clerk.organization, data=bomb_docx(5))
    assert not result.ok and "疑似压缩炸弹" in result.errors[0]
