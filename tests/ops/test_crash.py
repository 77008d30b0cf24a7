"""Crash safety (issue 19 §2): real processes killed with SIGKILL in the middle of multi-step work, then started
again, on a scratch copy of the session's demo county (a file for SQLite, a database made from the test database as
template for PostgreSQL) — never the session's own test database. The steps are in crashlab.py; ZHONGSHU_FAULT makes
a step kill itself at a named point (zhongshu/core/faults.py)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LAB = str(Path(__file__).with_name("crashlab.py"))
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory, _media_root):
    from django.db import connection, connections

    tmp = tmp_path_factory.mktemp("crash")
    with django_db_blocker.unblock():
        cfg = connection.settings_dict
        if connection.vendor == "sqlite":
            path = tmp / "scratch.sqlite3"
            src, dst = sqlite3.connect(cfg["NAME"]), sqlite3.connect(path)
            src.backup(dst)
            dst.close()
            src.close()
            info = {"vendor": "sqlite", "path": str(path)}
            url = f"sqlite:///{path}"
        else:
            import psycopg

            name = f"{cfg['NAME']}_crash"[:63]
            for conn in connections.all():  # CREATE DATABASE … TEMPLATE needs the template without sessions
                conn.close()
                if hasattr(conn, "close_pool"):
                    conn.close_pool()
            server = {"host": cfg["HOST"] or "127.0.0.1", "port": cfg["PORT"] or 5432, "user": cfg["USER"], "password": cfg["PASSWORD"] or None}
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
                pg.execute(f'CREATE DATABASE "{name}" TEMPLATE "{cfg["NAME"]}"')
            info = {"vendor": "postgresql", "server": server, "name": name}
            password = f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else ""
            url = f"postgres://{cfg['USER']}{password}@{server['host']}:{server['port']}/{name}"
    env = {k: v for k, v in os.environ.items() if k not in ("ZHONGSHU_FAULT", "REDIS_URL", "DATABASE_OWNER_URL")}
    env.update({
        "DATABASE_URL": url, "DB_POOL": "0", "MEDIA_ROOT": _media_root, "AUDIT_KEY": settings.AUDIT_KEY, "ZHONGSHU_VAR_DIR": str(tmp / "var"),
        "QUEUE_SYNC": "0", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "zhongshu.settings",
        "CRASH_STATE": str(tmp / "state.json"), "CRASH_MAIL_DIR": str(tmp / "mail"), "AUDIT_ANCHOR_FILE": str(tmp / "anchors.log"),
    })
    info["env"] = env
    info["mail"] = tmp / "mail"
    yield info
    if info["vendor"] == "postgresql":
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **info["server"]) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{info["name"]}" WITH (FORCE)')


def lab(scratch, *steps: str, fault: str | None = None) -> tuple[int, list[dict]]:
    env = dict(scratch["env"])
    if fault:
        env["ZHONGSHU_FAULT"] = fault
    proc = subprocess.run([sys.executable, LAB, *steps], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if fault is None and proc.returncode != 0:
        raise AssertionError(proc.stderr[-3000:])
    return proc.returncode, lines


def test_killed_mid_job_the_work_completes_exactly_once_on_restart(scratch):
    # 1. The year-end batch: killed inside the transaction of its 2nd document (that one is rolled back) …
    code, out = lab(scratch, "prepare", "batch", fault="archives.batch.in_tx:2")
    assert code == -signal.SIGKILL and [o["step"] for o in out] == ["prepare"]
    ids = out[0]["result"]
    assert ids["recipients"] == 4 and len(ids["notifications"]) == 6
    # … then, re-delivered, killed again after its next two documents were committed.
    code, out = lab(scratch, "batch", fault="archives.batch.item:2")
    assert code == -signal.SIGKILL and out == []
    # 2. Distribution to 4 organs: killed after the 2nd 收文 was created, inside the distribution's transaction.
    code, _ = lab(scratch, "distribute", fault="incoming.deliver:2")
    assert code == -signal.SIGKILL
    # 3. E-mail fan-out: killed after the 2nd of 6 e-mails.
    code, _ = lab(scratch, "email", fault="notify.email:2")
    assert code == -signal.SIGKILL

    # 4. Index rebuild: killed after its first chunk.
    code, _ = lab(scratch, "reindex", fault="search.reindex:1")
    assert code == -signal.SIGKILL

    # Restart: what the crashes left, then every job run again, then what they made.
    _, out = lab(scratch, "facts", "batch", "distribute", "email", "reindex", "facts")
    before, batch_result, _distributed, _emailed, _reindexed, after = (o["result"] for o in out)

    assert before["batch"]["status"] == "running" and before["batch"]["processed"] == before["batch"]["filed"] == 3  # 1 + 2, the rolled-back one not
    assert before["outgoing_status"] == "sealed" and before["distributions"] == 0 and before["received_orgs"] == []  # nothing half-written
    assert before["emailed"] == 2

    assert batch_result.startswith("归档 ") and "已处理" not in batch_result  # the re-delivered job resumed instead of answering 已处理
    b = after["batch"]
    assert b["status"] == "done" and b["processed"] == b["total"] == b["filed"] and b["report"] == [] and b["lease"] == ""
    assert after["items_per_doc"] == [1] * 5  # every document filed exactly once
    codes = after["archival_codes"]
    assert len(codes) == len(set(codes)) == 5
    serials = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert serials == list(range(serials[0], serials[0] + 5))  # 档号 gapless: the rolled-back one gave its number back

    assert after["outgoing_status"] == "distributed" and after["distributions"] == 4
    assert len(after["received_orgs"]) == len(set(after["received_orgs"])) == 4  # one 收文 per organ, none missing, none twice
    assert after["pending_notices_per_person"] and set(after["pending_notices_per_person"]) == {1}

    assert after["emailed"] == 6
    sent = [line for f in scratch["mail"].iterdir() for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("To: ")]
    assert sorted(s[4:] for s in sent) == ids["emails"]  # every e-mail exactly once
    assert after["index"] and all(rows == objects == distinct for rows, objects, distinct in after["index"].values())  # one row per object
    assert after["audit_ok"]


def test_power_cut_during_a_burst_of_writes_sqlite(scratch):
    if scratch["vendor"] != "sqlite":
        pytest.skip("the power-cut test is about SQLite's file")
    proc = subprocess.Popen([sys.executable, LAB, "burst", "100000"], env=scratch["env"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    acked = []
    assert proc.stdout is not None
    for line in proc.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) == 300:
            proc.kill()
            break
    acked += [int(line.split()[1]) for line in proc.stdout if line.startswith("ack ")]
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL and len(acked) >= 300
    db = sqlite3.connect(scratch["path"])
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None)  # CHECK constraints use it
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {int(n.split("-")[1]) for (n,) in db.execute("SELECT name FROM ops_workerheartbeat WHERE host = 'burst'")}
    finally:
        db.close()
    assert set(acked) <= stored  # every acknowledged write is there


def heartbeat(scratch) -> tuple | None:
    sql = "SELECT cluster_pid, restarts, processes, expected FROM ops_workerheartbeat WHERE host <> 'burst' ORDER BY seen_at DESC"
    if scratch["vendor"] == "sqlite":
        db = sqlite3.connect(scratch["path"], timeout=10)
        try:
            return db.execute(sql).fetchone()
        finally:
            db.close()
    import psycopg

    with psycopg.connect(dbname=scratch["name"], **scratch["server"]) as pg:
        return pg.execute(sql).fetchone()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)  # polling another process; bounded by the deadline
    raise AssertionError(f"timed out waiting for {what}")


def test_the_supervisor_replaces_a_killed_queue_cluster_within_seconds(scratch):
    env = {**scratch["env"], "QUEUE_WORKERS": "1", "WORKER_HEARTBEAT_SECONDS": "1", "RECOVERY_SECONDS": "1", "WORKER_GRACE_SECONDS": "2"}
    sup = subprocess.Popen([sys.executable, "-m", "zhongshu", "worker"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True)
    try:
        first = wait_for(lambda: (hb := heartbeat(scratch)) and hb[2] == hb[3] and hb, 90, "the first heartbeat")
        cluster_pid, restarts = first[0], first[1]
        assert restarts == 0 and first[3] == 1 + 3  # one task process + sentinel, pusher, monitor
        killed_at = time.monotonic()
        os.kill(cluster_pid, signal.SIGKILL)  # what the report did: the queue's processes killed, the web server unaware
        second = wait_for(lambda: (hb := heartbeat(scratch)) and hb[0] != cluster_pid and hb[2] == hb[3] and hb, 90, "a new cluster")
        replaced_in = time.monotonic() - killed_at
        assert second[1] == 1 and replaced_in < 60, replaced_in
        print(f"cluster replaced and complete {replaced_in:.1f}s after kill -9")
    finally:
        sup.send_signal(signal.SIGTERM)
        try:
            out, _ = sup.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(sup.pid, signal.SIGKILL)
            out, _ = sup.communicate()
    assert sup.returncode == 0, out[-3000:]
    assert "第 1 次重启" in out and re.search(r"后台任务集群 异常（集群进程已退出）", out)
    assert heartbeat(scratch) is None  # a clean stop removes its heartbeat: /healthz no longer counts it
