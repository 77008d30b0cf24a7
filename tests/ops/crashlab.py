"""Steps of the crash tests, run as separate processes against a scratch database (test_crash.py starts them, some with
ZHONGSHU_FAULT set so that they SIGKILL themselves half-way). Each step prints one JSON line on success.

    crashlab.py STEP [STEP …]   steps in order, the ids made by `prepare` kept in the file $CRASH_STATE:
      prepare     5 closed 收文 and a queued year-end batch, a sealed 发文 to 4 organs on the platform, 6 notifications
      batch       archives.batch.batch_run of the batch
      distribute  outgoing_distribute of the 发文
      email       notify.send_emails of the notifications (into files in $CRASH_MAIL_DIR)
      reindex     search.indexing.reindex of every kind
      facts       what the assertions need (counts, 档号, audit chain)
    crashlab.py burst N         N acknowledged single-row transactions (power-cut test)
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

M_DOCS = 5  # documents in the batch
RECIPIENTS = ("县发改局", "县财政局", "县教育局", "县公安局")


def _mail_to_files() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["CRASH_MAIL_DIR"]


def prepare() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.archives.conftest import scan_pdf
    from tests.outgoing.test_outgoing import approve_all
    from zhongshu.archives.batch import batch_start
    from zhongshu.core.attachments import attachment_add
    from zhongshu.incoming import services as incoming
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.notify.services import notify
    from zhongshu.org.models import ExternalOrgan, User
    from zhongshu.outgoing import services as outgoing

    clerk, archivist = User.objects.get(username="clerk"), User.objects.get(username="archivist")
    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    for i in range(M_DOCS):  # closed 收文 of this year for the batch (the 收文 flow's 办结 is tested in tests/incoming)
        doc = incoming.incoming_register(actor=clerk, source="paper", sender_organ=book["市政府办"], doc_number=f"某市政办发〔2026〕{300 + i}号",
                                         title=f"某市人民政府办公室关于崩溃测试第{i + 1}件的通知", doc_type="通知", pages=3)
        attachment_add(actor=clerk, obj=doc, upload=SimpleUploadedFile("scan.pdf", scan_pdf(), content_type="application/pdf"))
        IncomingDocument.objects.filter(pk=doc.pk).update(status="closed")
    batch = batch_start(actor=archivist, year=doc.created_at.year)  # its job waits in the queue: nobody runs it here

    targets = [book[s] for s in RECIPIENTS if s in book and book[s].platform_organization_id]
    out = outgoing.outgoing_create(actor=clerk, doc_type="通知", title="某县人民政府办公室关于崩溃测试分发的通知", body="各单位：请做好有关工作。",
                                   main_recipients=targets, copies=len(targets))
    outgoing.outgoing_submit(actor=clerk, document=out)
    approve_all(out)
    for step in (outgoing.outgoing_assign_number, outgoing.outgoing_print, outgoing.outgoing_seal):
        step(actor=clerk, document=out)

    people = list(User.objects.filter(organization=clerk.organization, is_active=True).exclude(email="").order_by("pk")[:6])
    with transaction.atomic():
        rows = notify(recipients=people, title="崩溃测试提醒", body="请查收。", email=True, webhook=False)
    return {"batch": batch.pk, "outgoing": out.pk, "recipients": len(targets), "notifications": [n.pk for n in rows],
            "emails": sorted(p.email for p in people)}


def facts(ids: dict) -> dict:
    from django.db.models import Count

    from zhongshu.archives.models import ArchiveItem, FilingBatch
    from zhongshu.audit.services import verify
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.notify.models import Notification
    from zhongshu.outgoing.models import Distribution, OutgoingDocument
    from zhongshu.search.models import SearchEntry
    from zhongshu.search.registry import SOURCES

    batch = FilingBatch.objects.get(pk=ids["batch"])
    titles = [f"某市人民政府办公室关于崩溃测试第{i + 1}件的通知" for i in range(M_DOCS)]
    docs = IncomingDocument.objects.filter(title__in=titles)
    items = ArchiveItem.objects.filter(incoming__in=docs)
    out = OutgoingDocument.objects.get(pk=ids["outgoing"])
    received = IncomingDocument.objects.filter(outgoing=out)
    pending = Notification.objects.filter(title__startswith="待签收：", title__endswith=out.title)
    return {
        "batch": {"status": batch.status, "total": batch.total, "processed": batch.processed, "filed": batch.filed, "report": batch.report,
                  "lease": batch.lease_owner},
        "items_per_doc": [items.filter(incoming=d).count() for d in docs],
        "archival_codes": sorted(items.values_list("archival_code", flat=True)),
        "outgoing_status": out.status,
        "distributions": Distribution.objects.filter(document=out).count(),
        "received_orgs": sorted(received.values_list("organization_id", flat=True)),
        "pending_notices_per_person": sorted(pending.values("recipient").annotate(n=Count("id")).values_list("n", flat=True)),
        "emailed": Notification.objects.filter(pk__in=ids["notifications"], emailed_at__isnull=False).count(),
        "index": {kind: [SearchEntry.objects.filter(kind=kind).count(), source.model._default_manager.count(),
                         SearchEntry.objects.filter(kind=kind).values("object_id").distinct().count()] for kind, source in SOURCES.items()},
        "audit_ok": verify().ok,
    }


def burst(n: int) -> None:
    """Acknowledge each committed row on stdout; the parent kills this process in the middle."""
    from django.utils import timezone

    from zhongshu.ops.models import WorkerHeartbeat

    now = timezone.now()
    for i in range(n):
        with transaction.atomic():
            WorkerHeartbeat.objects.create(name=f"burst-{i}", host="burst", pid=i, started_at=now, seen_at=now)
        print(f"ack {i}", flush=True)


def run_step(step: str, ids: dict) -> object:
    if step == "batch":
        from zhongshu.archives.batch import batch_run

        return batch_run(ids["batch"])
    if step == "distribute":
        from zhongshu.org.models import User
        from zhongshu.outgoing.models import OutgoingDocument
        from zhongshu.outgoing.services import outgoing_distribute

        return len(outgoing_distribute(actor=User.objects.get(username="clerk"), document=OutgoingDocument.objects.get(pk=ids["outgoing"])))
    if step == "email":
        from zhongshu.notify.services import send_emails

        _mail_to_files()
        return send_emails(ids["notifications"])
    if step == "reindex":
        from zhongshu.search.indexing import reindex

        return reindex()
    if step == "facts":
        return facts(ids)
    raise SystemExit(f"unknown step {step}")


def main(argv: list[str]) -> None:
    """Steps in order; the ids made by `prepare` are kept in the file CRASH_STATE for the next processes."""
    if argv[1] == "burst":
        burst(int(argv[2]))
        return
    state = os.environ["CRASH_STATE"]
    for step in argv[1:]:
        if step == "prepare":
            ids = prepare()
            with open(state, "w", encoding="utf-8") as fh:
                json.dump(ids, fh)
            result: object = ids
        else:
            with open(state, encoding="utf-8") as fh:
                ids = json.load(fh)
            result = run_step(step, ids)
        print(json.dumps({"step": step, "result": result}, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv)
