"""A busy writer for tests/core/test_backup.py, run as its own process against a scratch instance.

Each iteration issues one 发文 in one transaction — a draft through `outgoing_create`, a text attachment (a stored
file) through `attachment_add`, and a 文号 through `number_reserve` — and then prints `ACK <i> <serial>` once it has
committed, paced at one 发文 per PACE seconds (busy, like a registry office at its peak, without taking a whole core
from the backup under test). It stops when the file named by argv[1] exists (or after 500 iterations).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402

from zhongshu.core.attachments import attachment_add  # noqa: E402
from zhongshu.org.models import User  # noqa: E402
from zhongshu.outgoing import services  # noqa: E402

TITLE = "备份测试发文"
PACE = 0.05


def main() -> None:
    stop = Path(sys.argv[1])
    clerk = User.objects.get(username="clerk")
    pause = threading.Event()
    for i in range(500):
        if stop.exists():
            break
        if i:
            pause.wait(PACE)
        with transaction.atomic():
            doc = services.outgoing_create(actor=clerk, doc_type="通知", title=f"{TITLE}{i:04d}", body=f"备份时仍在写入的第 {i} 件。")
            upload = SimpleUploadedFile(f"附件{i:04d}.txt", f"第 {i} 件的附件。\n".encode() * 50, content_type="text/plain")
            attachment_add(actor=clerk, obj=doc, upload=upload)
            rec = services.number_reserve(actor=clerk, organization=clerk.organization, reason=f"{TITLE}{i:04d}")
        print(f"ACK {i} {rec.serial}", flush=True)


if __name__ == "__main__":
    main()
