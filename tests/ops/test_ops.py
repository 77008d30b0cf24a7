"""运行状态 (issue 19 §5): /healthz, /metrics, request ids in logs and jobs, the system administrator's page and its
retry, the batch lease and recovery, and the supervisor's child handling."""

from __future__ import annotations

import datetime
import json
import logging
import os
import signal
import subprocess
import sys
import uuid

import pytest
from django.utils import timezone
from django_q.models import Failure, OrmQ, Task

from zhongshu.archives.batch import batch_run, recover
from zhongshu.archives.models import FilingBatch
from zhongshu.audit.models import AuditEntry
from zhongshu.core.context import request_id
from zhongshu.core.jobs import enqueue, run_job
from zhongshu.ops.logs import JsonFormatter, RequestIdFilter
from zhongshu.ops.models import WorkerHeartbeat
from zhongshu.ops.supervisor import Child, live_descendants

pytestmark = pytest.mark.django_db


def beat(age_seconds: float) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(name=f"host:{uuid.uuid4().hex[:6]}", host="host", pid=1, cluster_pid=2, processes=5, expected=5,
                                          started_at=now, seen_at=now - datetime.timedelta(seconds=age_seconds))


def test_healthz_answers_json_without_login(client):
    resp = client.get("/healthz")
    body = resp.json()
    assert resp.status_code == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "queue", "worker", "disk"}
    assert body["checks"]["worker"]["required"] is False  # inline queue in tests: no worker needed
    assert "media" in body["checks"]["disk"]["volumes"] and "/" not in json.dumps(body["checks"]["disk"])  # no paths


def test_healthz_needs_a_fresh_worker_heartbeat_when_a_queue_is_used(client, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json()["checks"]["worker"] == {**resp.json()["checks"]["worker"], "ok": False, "alive": 0}
    stale = beat(120)
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json()["checks"]["worker"]["age"] >= 120
    stale.delete()
    beat(1)
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json()["checks"]["worker"]["alive"] == 1
    assert resp.json()["checks"]["queue"]["mode"] == "database"


def test_healthz_fails_on_low_disk_space(client, settings):
    settings.HEALTH_MIN_FREE_MB = 10**12
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json()["checks"]["disk"]["ok"] is False


def test_metrics_are_for_allowed_addresses_or_the_token_only(client, settings):
    client.get("/healthz")
    resp = client.get("/metrics")  # the test client comes from 127.0.0.1
    text = resp.content.decode()
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/plain")
    assert 'zhongshu_http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert "zhongshu_http_request_duration_seconds_bucket" in text and "zhongshu_queue_depth" in text
    assert "zhongshu_jobs_failed_stored" in text and "zhongshu_workers_alive" in text
    settings.METRICS_ALLOW_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def test_request_id_is_given_back_and_carried_into_queued_jobs(client, settings):
    resp = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert resp["X-Request-ID"] == "lb-0123456789abcdef"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id <script>")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    token = request_id.set("req-feedbeef")
    try:
        enqueue("zhongshu.search.indexing.remove_object", "outgoing", 0)
    finally:
        request_id.reset(token)
    task = OrmQ.objects.order_by("-pk").first().task
    assert task["func"] == "zhongshu.core.jobs.run_job" and list(task["args"]) == ["zhongshu.search.indexing.remove_object", "req-feedbeef", "outgoing", 0]


def test_job_log_lines_carry_the_request_id_as_json(caplog):
    with caplog.at_level(logging.INFO, logger="zhongshu.core.jobs"):
        assert run_job("zhongshu.search.indexing.remove_object", "req-cafe1234", "outgoing", 0) == "removed"
    record = next(r for r in caplog.records if "done" in r.getMessage())
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-cafe1234" and line["level"] == "INFO" and "remove_object" in line["message"]


def failure(result: str) -> Task:
    now = timezone.now()
    return Task.objects.create(id=uuid.uuid4().hex, name="t", func="zhongshu.core.jobs.run_job", args=("zhongshu.search.indexing.remove_object", "", "outgoing", 0),
                               kwargs={}, started=now, stopped=now, success=False, attempt_count=2, result=result)


def test_status_page_is_the_system_administrators_and_shows_no_content(web, people, client, settings, tmp_path):
    admin = people.admin
    admin.totp_confirmed = True
    admin.save(update_fields=["totp_confirmed"])
    task = failure("Traceback (most recent call last):\nValueError: 关于机密事项的请示 无法渲染")
    settings.BACKUP_STATUS_FILE = tmp_path / "none.json"
    page = web(admin).get("/ops/").content.decode()
    assert "运行状态" in page and "删除全文索引条目" in page and "ValueError" in page and "关于机密事项" not in page
    assert "未配置" in page and f"/ops/failed/{task.id}/retry/" in page
    (tmp_path / "last.json").write_text(json.dumps({"finished_at": "2026-11-30T02:00:00+00:00", "ok": True}))
    settings.BACKUP_STATUS_FILE = tmp_path / "last.json"
    assert "2026-11-30" in web(admin).get("/ops/").content.decode()
    client.logout()
    for login in ("clerk", "director", "secadmin", "auditor"):
        person = people[login]
        person.totp_confirmed = True  # the 三员 reach pages only after their second factor
        person.save(update_fields=["totp_confirmed"])
        c = web(person)
        assert c.get("/ops/").status_code == 404
        assert c.post(f"/ops/failed/{task.id}/retry/").status_code == 404
        client.logout()
    assert Failure.objects.filter(pk=task.id).exists()


def test_retry_queues_the_failed_job_again_and_is_audited(web, people):
    admin = people.admin
    admin.totp_confirmed = True
    admin.save(update_fields=["totp_confirmed"])
    task = failure("Traceback\nRuntimeError: x")
    c = web(admin)
    resp = c.post(f"/ops/failed/{task.id}/retry/", follow=True)
    assert resp.status_code == 200 and "已重新排队：删除全文索引条目" in resp.content.decode()
    assert not Task.objects.filter(pk=task.id).exists()
    assert AuditEntry.objects.filter(action="ops.job_retry").exists()
    assert "不存在" in c.post(f"/ops/failed/{task.id}/retry/", follow=True).content.decode()


def test_a_batch_whose_runner_died_is_resumed_and_a_live_one_is_left_alone(people, tmp_path):
    archivist = people.archivist
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import socket

    batch = FilingBatch.objects.create(organization_id=archivist.organization_id, year=timezone.localdate().year, started_by=archivist,
                                       status=FilingBatch.Status.RUNNING, lease_owner=f"{socket.gethostname()}:{dead.pid}:x",
                                       lease_until=timezone.now() + datetime.timedelta(minutes=5))
    assert recover() == 1  # the holder is dead: queued again (inline here) and finished
    batch.refresh_from_db()
    assert batch.status == FilingBatch.Status.DONE and batch.processed == batch.total == batch.filed and batch.lease_owner == ""
    assert batch_run(batch.pk) == "已处理"
    live = FilingBatch.objects.create(organization_id=archivist.organization_id, year=2020, started_by=archivist, status=FilingBatch.Status.RUNNING,
                                      lease_owner=f"{socket.gethostname()}:{os.getpid()}:y", lease_until=timezone.now() + datetime.timedelta(minutes=5))
    assert recover() == 0 and batch_run(live.pk) == "正由另一后台进程处理"
    FilingBatch.objects.filter(pk=live.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))  # lease ran out
    assert batch_run(live.pk).startswith("归档 ")


def test_child_is_restarted_and_gives_up_when_it_keeps_dying():
    child = Child("测试", ["sh", "-c", "sleep 30 & sleep 30"])
    child.start()
    try:
        first = child.pid
        assert child.alive()
        os.kill(first, signal.SIGKILL)
        child.proc.wait(timeout=10)
        assert not child.alive() and child.restart("killed")
        assert child.alive() and child.pid != first and child.restarts == 1
    finally:
        child.stop(timeout=5)
    assert not child.alive()
    quick = Child("测试", ["true"], max_quick=2)
    quick.start()
    quick.proc.wait(timeout=10)
    assert quick.restart("died") is True
    quick.proc.wait(timeout=10)
    assert quick.restart("died") is False  # twice in a row right after its start: give up


def test_live_descendants_counts_the_whole_tree():
    proc = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"], start_new_session=True)
    try:
        import time

        deadline = time.monotonic() + 10
        while live_descendants(proc.pid) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # polling the child's start, bounded
        assert live_descendants(proc.pid) == 2
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
