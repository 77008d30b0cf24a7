"""Files written by a transaction that later rolled back are swept by the daily job; referenced and young files stay."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhongshu.core.attachments import attachment_add
from zhongshu.core.files import sweep_orphans
from zhongshu.core.jobs import DAILY_JOBS
from zhongshu.core.models import Attachment
from zhongshu.notices.models import Notice

pytestmark = pytest.mark.django_db(transaction=True)


def _age(path, seconds):
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_orphans_of_a_rolled_back_transaction_are_swept(people, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    clerk = people.clerk
    notice = Notice.objects.create(organization=clerk.organization, title="附件测试", body="正文", author=clerk)
    kept = attachment_add(actor=clerk, obj=notice, upload=SimpleUploadedFile("保留.txt", "留".encode()))
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = attachment_add(actor=clerk, obj=notice, upload=SimpleUploadedFile("回滚.txt", "滚".encode()))
        raise RuntimeError("a later step failed")
    orphan = tmp_path / lost.file.name
    assert orphan.exists() and not Attachment.objects.filter(pk=lost.pk).exists()
    assert sweep_orphans() == "删除孤儿文件 0 个"  # young: it might belong to a transaction still running
    _age(orphan, 25 * 3600)
    _age(tmp_path / kept.file.name, 25 * 3600)
    assert sweep_orphans() == "删除孤儿文件 1 个"
    assert not orphan.exists() and (tmp_path / kept.file.name).exists()
    assert DAILY_JOBS["orphan_files"] == "zhongshu.core.files.sweep_orphans"
