"""Backup and restore (issue 19 §1): `zhongshu backup` / `zhongshu restore`, core/backup.py.

The round trip runs against scratch instances in child processes (tests/core/scratch.py): a writer process issues
发文 (with a stored file and a 文号) while `zhongshu backup --encrypt` runs, the backup is restored into a fresh
instance, and every table's row count and every file's digest are compared. The rest reads the session database
only (a backup never writes the database it copies) and works on copies of one backup.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhongshu.core import backup
from zhongshu.core.backup import BackupError, Stored, create_backup, file_digest, retained, verify_backup

from .scratch import BACKUP_KEY, META, ROOT, empty_instance, fixture_instance

pytestmark = pytest.mark.django_db
WRITER = Path(__file__).resolve().parent / "backup_writer.py"
DB_FILE = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"


@pytest.fixture(scope="module")
def one_backup(tmp_path_factory, django_db_setup, django_db_blocker):
    """One plain backup of the session database (made once; tests tamper with copies). A stored file of its own in
    the session's media folder (outside the folders the orphan sweep looks at), removed afterwards."""
    from django.conf import settings

    probe = Path(settings.MEDIA_ROOT) / "backup-probe" / "正文.docx"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_bytes(b"PK\x03\x04" + "备份探针".encode() * 100)
    try:
        with django_db_blocker.unblock():
            made = create_backup(tmp_path_factory.mktemp("backups"))
        yield made
    finally:
        shutil.rmtree(probe.parent)


@pytest.fixture
def copy(one_backup, tmp_path):
    target = tmp_path / one_backup.path.name
    shutil.copytree(one_backup.path, target)
    return target


def _table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for name in connection.introspection.table_names():
            if name == "search_fts" or name.startswith("search_fts_"):
                continue
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 — catalogue names
            out[name] = cursor.fetchone()[0]
    return out


def test_manifest_lists_every_file_with_its_sm3_and_the_row_counts(one_backup):
    m = one_backup.manifest
    path = one_backup.path
    assert m["hash_algo"] in {"SM3", "SHA256"} and m["encryption"] is None
    on_disk = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert sorted(m["files"]) == on_disk
    for rel, info in m["files"].items():
        assert info[m["hash_algo"].lower()] == file_digest(path / rel) and info["size"] == (path / rel).stat().st_size
    assert "media/backup-probe/正文.docx" in m["files"], "the stored files are part of the backup"
    assert m["tables"] == {t: n for t, n in _table_counts().items() if t in m["tables"]}
    assert set(m["tables"]) >= {"audit_auditentry", "outgoing_outgoingdocument", "core_attachment", "search_entry"}
    assert (path / DB_FILE).read_bytes()[:5] in {b"SQLit", b"PGDMP"}
    search = json.loads((path / "search.json").read_text())
    assert "outgoing" in search["kinds"] and search["entries"] == m["tables"]["search_entry"]
    assert verify_backup(path).ok


@pytest.mark.parametrize("damage", ["changed", "missing", "extra", "manifest"])
def test_tampered_missing_or_unlisted_file_is_named_and_refused(copy, damage):
    media = copy / "media" / "backup-probe" / "正文.docx"
    rel = media.relative_to(copy).as_posix()
    if damage == "changed":
        data = bytearray(media.read_bytes())
        data[len(data) // 2] ^= 0x01
        media.write_bytes(bytes(data))
        expected = f"文件被改动（摘要不符）：{rel}"
    elif damage == "missing":
        (copy / DB_FILE).unlink()
        expected = f"缺少文件：{DB_FILE}"
    elif damage == "extra":
        (copy / "media" / "planted.docx").write_bytes(b"PK\x03\x04")
        expected = "清单外的文件：media/planted.docx"
    else:  # someone edits the manifest itself (a row count) — the HMAC no longer matches
        manifest = json.loads((copy / "manifest.json").read_text())
        manifest["tables"]["audit_auditentry"] -= 1
        (copy / "manifest.json").write_text(json.dumps(manifest))
        expected = "manifest.json 的签名不符"
    result = verify_backup(copy)
    assert not result.ok and any(expected in p for p in result.problems), result.problems
    before = _table_counts()
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(copy))
    assert "拒绝恢复" in str(exc.value) and expected in str(exc.value)
    assert _table_counts() == before


def test_restore_refuses_a_non_empty_instance_without_force(copy):
    before = _table_counts()
    with pytest.raises(BackupError, match="目标实例不是空的.*--force"):
        backup.restore_backup(copy)
    assert _table_counts() == before


def test_encrypt_needs_a_proper_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ZHONGSHU_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="ZHONGSHU_BACKUP_KEY"):
        call_command("backup", "--to", str(tmp_path), "--encrypt")
    monkeypatch.setenv("ZHONGSHU_BACKUP_KEY", "secret")
    with pytest.raises(BackupError, match="64 位十六进制"):
        backup.create_backup(tmp_path, encrypt=True)
    assert not any(tmp_path.iterdir()), "nothing is left behind by a refused backup"


@pytest.mark.parametrize("cipher", ["AES-256-GCM", "SM4-GCM"])
def test_encrypted_files_decrypt_to_their_content_and_detect_changes(tmp_path, monkeypatch, settings, cipher):
    monkeypatch.setenv("ZHONGSHU_BACKUP_KEY", BACKUP_KEY)
    settings.BACKUP_CIPHER = cipher
    src = tmp_path / "plain.bin"
    src.write_bytes(b"\x00" + "机密正文".encode() * 300_000)  # > one 1 MB chunk
    key = backup.backup_key()
    stored, content, size = backup._copy(src, tmp_path / "x.enc", encrypt=(cipher, key), aad="media/x")
    raw = (tmp_path / "x.enc").read_bytes()
    assert "机密正文".encode() not in raw and size == len(raw) == src.stat().st_size + 5 + 12 + 16
    assert stored == file_digest(tmp_path / "x.enc") and content == file_digest(src)
    backup.decrypt_file(tmp_path / "x.enc", tmp_path / "back.bin", cipher=cipher, key=key, aad="media/x")
    assert (tmp_path / "back.bin").read_bytes() == src.read_bytes()
    with pytest.raises(BackupError, match="解密失败"):  # the file moved to another name
        backup.decrypt_file(tmp_path / "x.enc", tmp_path / "moved.bin", cipher=cipher, key=key, aad="media/y")
    flipped = bytearray(raw)
    flipped[100] ^= 0x80
    (tmp_path / "bad.enc").write_bytes(bytes(flipped))
    with pytest.raises(BackupError, match="解密失败"):
        backup.decrypt_file(tmp_path / "bad.enc", tmp_path / "bad.bin", cipher=cipher, key=key, aad="media/x")
    assert not (tmp_path / "bad.bin").exists() and not (tmp_path / "moved.bin").exists()


def test_encrypted_backup_verifies_only_with_its_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHONGSHU_BACKUP_KEY", BACKUP_KEY)
    made = create_backup(tmp_path, encrypt=True)
    assert all(rel.endswith(".enc") for rel in made.manifest["files"])
    assert (made.path / (DB_FILE + ".enc")).read_bytes()[:5] == b"ZSBK1"
    assert verify_backup(made.path).ok
    key = backup.backup_key()
    backup.decrypt_file(made.path / (DB_FILE + ".enc"), tmp_path / DB_FILE, cipher="AES-256-GCM", key=key, aad=DB_FILE)
    assert file_digest(tmp_path / DB_FILE) == made.manifest["files"][DB_FILE + ".enc"]["content_" + made.manifest["hash_algo"].lower()]
    if connection.vendor == "sqlite":
        con = sqlite3.connect(tmp_path / DB_FILE)
        assert con.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] == made.manifest["tables"]["audit_auditentry"]
        con.close()
    monkeypatch.setenv("ZHONGSHU_BACKUP_KEY", "6b" * 32)
    problems = verify_backup(made.path).problems
    assert problems and "不是加密这份备份的密钥" in problems[0]
    monkeypatch.delenv("ZHONGSHU_BACKUP_KEY")
    with pytest.raises(BackupError, match="未设置环境变量 ZHONGSHU_BACKUP_KEY"):
        verify_backup(made.path)


# ---- retention and the daily job ---------------------------------------------------------------------------------
def _stored(day: str, hour: int = 2) -> Stored:
    created = datetime.datetime.fromisoformat(f"{day}T{hour:02d}:30:00+08:00")
    return Stored(Path(f"/b/{day}-{hour}"), created, "scheduled")


@pytest.mark.parametrize(("days", "keep_daily", "keep_monthly", "kept"), [
    # ten daily backups in one month: the last 3 days, plus the month's newest (already among them)
    ([f"2026-11-{d:02d}" for d in range(1, 11)], 3, 2, ["2026-11-08", "2026-11-09", "2026-11-10"]),
    # across months: 2 daily and the newest of each of the last 3 months
    (["2026-08-31", "2026-09-15", "2026-09-30", "2026-10-01", "2026-10-31", "2026-11-01", "2026-11-02"], 2, 3,
     ["2026-09-30", "2026-10-31", "2026-11-01", "2026-11-02"]),
    (["2026-11-01", "2026-11-02"], 0, 0, []),
])
def test_retention_keeps_n_daily_and_m_monthly(days, keep_daily, keep_monthly, kept):
    backups = [_stored(d) for d in days]
    assert sorted(p.name.rsplit("-", 1)[0] for p in retained(backups, keep_daily, keep_monthly)) == kept


def test_retention_keeps_the_newest_backup_of_a_day():
    backups = [_stored("2026-11-02", 1), _stored("2026-11-02", 23), _stored("2026-11-01", 5)]
    assert retained(backups, 1, 0) == {Path("/b/2026-11-02-23")}


def _fake(root: Path, name: str, created: str, trigger: str) -> Path:
    path = root / name
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"format": backup.FORMAT, "created": created, "trigger": trigger}))
    return path


def test_prune_removes_old_scheduled_backups_only(tmp_path):
    old = [_fake(tmp_path, f"zhongshu-202609{d:02d}-023000", f"2026-09-{d:02d}T02:30:00+08:00", "scheduled") for d in (1, 2, 3)]
    new = [_fake(tmp_path, f"zhongshu-202611{d:02d}-023000", f"2026-11-{d:02d}T02:30:00+08:00", "scheduled") for d in (1, 2, 3)]
    manual = _fake(tmp_path, "zhongshu-20260801-120000", "2026-08-01T12:00:00+08:00", "manual")
    other = tmp_path / "notes"
    other.mkdir()
    removed = backup.prune(tmp_path, keep_daily=2, keep_monthly=2)
    assert sorted(removed) == sorted([old[0], old[1], new[0]])
    assert sorted(p for p in tmp_path.iterdir()) == sorted([old[2], new[1], new[2], manual, other])


def test_daily_job_backs_up_once_a_day_and_prunes(tmp_path, settings, time_machine):
    settings.BACKUP_DIR = tmp_path
    settings.BACKUP_ENCRYPT = False
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_MONTHLY = 1, 0
    old = _fake(tmp_path, "zhongshu-20261101-023000", "2026-11-01T02:30:00+08:00", "scheduled")
    time_machine.move_to(datetime.datetime(2026, 12, 7, 2, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=True)
    first = backup.scheduled_backup()
    assert first.startswith("已备份：zhongshu-20261207-0230") and "删除 1 份" in first
    assert backup.scheduled_backup() == "今日已备份"  # a re-delivered or catch-up run
    made = backup.list_backups(tmp_path)
    assert len(made) == 1 and made[0].trigger == "scheduled" and not old.exists()
    assert backup.latest_backup(tmp_path).path == made[0].path


def test_daily_backup_is_scheduled_with_its_own_time_limit(settings):
    from django_q.models import Schedule

    from zhongshu.core.jobs import ensure_schedules

    settings.BACKUP_DAILY = True
    ensure_schedules()
    s = Schedule.objects.get(name="每日备份")
    assert s.func == "zhongshu.core.backup.scheduled_backup" and s.schedule_type == Schedule.DAILY
    assert f"'timeout': {settings.BACKUP_TIMEOUT_SECONDS}" in s.kwargs
    assert (s.next_run.astimezone(datetime.timezone(datetime.timedelta(hours=8))).hour, s.next_run.minute) == (settings.BACKUP_HOUR, settings.BACKUP_MINUTE)
    settings.BACKUP_DAILY = False
    ensure_schedules()
    assert not Schedule.objects.filter(name="每日备份").exists()


@pytest.mark.parametrize(("client", "server", "refused"), [(15, 15, False), (16, 15, False), (14, 16, True)])
def test_pg_client_version_mismatch_is_said_clearly(client, server, refused):
    problem = backup.pg_version_problem("pg_dump", client, server)
    assert (problem is not None) == refused
    if refused:
        assert f"主版本 {client}" in problem and f"postgresql-client-{server}" in problem and "does not match server major version" in problem


# ---- the round trip ------------------------------------------------------------------------------------------------
class Writer:
    """The writer process; `acked` counts the commits it has reported (one line each, in order)."""

    def __init__(self, inst, stop: Path):
        self.stop = stop
        self.proc = subprocess.Popen([sys.executable, str(WRITER), str(stop)], env=inst.env(), cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.acked = 0

    def wait_for(self, n: int) -> None:
        while self.acked < n:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("writer died: " + self.proc.stderr.read())
            assert line.startswith(f"ACK {self.acked} ")
            self.acked += 1

    def finish(self) -> None:
        self.stop.touch()
        rest = self.proc.stdout.read()
        self.proc.wait(timeout=60)
        assert self.proc.returncode == 0, self.proc.stderr.read()
        self.acked += rest.count("ACK ")


def _snapshot(inst) -> tuple[dict[str, int], int]:
    """Every table's row count and the writer's 发文 so far (the fixture's own 发文 subtracted)."""
    counts = inst.counts()
    return counts, counts["outgoing_outgoingdocument"] - META[connection.vendor]["tables"]["outgoing_outgoingdocument"]


def test_backup_while_writing_then_restore_on_a_fresh_instance(tmp_path):
    src, dst = fixture_instance(tmp_path / "src"), empty_instance(tmp_path / "dst")
    try:
        src.zhongshu("migrate", "--no-input", "-v", "0")  # the fixture is the previous release; the writer is this code
        writer = Writer(src, tmp_path / "stop")
        try:
            writer.wait_for(2)
            base, w0 = _snapshot(src)
            made = src.zhongshu("backup", "--to", str(tmp_path / "backups"), "--encrypt")
            _, w_end = _snapshot(src)
            writer.wait_for(w_end + 1)  # the writer goes on after the backup
        finally:
            writer.finish()
        final, w_total = _snapshot(src)
        assert w_total == writer.acked, "every acknowledged 发文 is in the source"
        folder = next((tmp_path / "backups").iterdir())
        assert str(folder) in made.stdout and all(rel.endswith(".enc") for rel in json.loads((folder / "manifest.json").read_text())["files"])

        done = dst.zhongshu("restore", str(folder))
        assert "审计链完整" in done.stdout and "恢复完成" in done.stdout, done.stdout

        restored = dst.counts()
        titles = [r[0] for r in dst.query("SELECT title FROM outgoing_outgoingdocument WHERE title LIKE '备份测试发文%' ORDER BY title")]
        k = len(titles)
        assert titles == [f"备份测试发文{i:04d}" for i in range(k)], "the restored writes are a prefix of the acknowledged ones"
        assert w0 <= k <= w_end < w_total, (w0, k, w_end, w_total)
        # every table: what it held at the first look, plus the writer's fixed rows per 发文 for each 发文 in the snapshot
        n = w_total - w0
        for table in final:
            delta, rest = divmod(final[table] - base[table], n)
            assert rest == 0, f"{table}: the writer adds a fixed number of rows per 发文"
            expected = base[table] + (k - w0) * delta
            assert restored.get(table) == expected, f"{table}: restored {restored.get(table)}, expected {expected}"
        # the 文号 register: gapless, the same serials as the source issued first
        serials = [r[0] for r in dst.query("SELECT serial FROM outgoing_numberrecord WHERE reason LIKE '备份测试发文%' ORDER BY serial")]
        source = [r[0] for r in src.query("SELECT serial FROM outgoing_numberrecord WHERE reason LIKE '备份测试发文%' ORDER BY serial")]
        assert len(serials) == k and serials == source[:k] and serials == list(range(serials[0], serials[0] + k))
        # every file: the same bytes as the source's, and every attachment row finds its file
        files = {p.relative_to(dst.media).as_posix(): p for p in dst.media.rglob("*") if p.is_file()}
        assert files and all(file_digest(p) == file_digest(src.media / rel) for rel, p in files.items())
        rows = dst.query("SELECT file, sha256 FROM core_attachment")
        assert len(rows) >= k
        for name, sha in rows:
            if name in files:
                assert hashlib.sha256(files[name].read_bytes()).hexdigest() == sha
        writer_files = dst.query("SELECT a.file FROM core_attachment a JOIN outgoing_outgoingdocument d ON a.object_id = d.id "
                                 "WHERE d.title LIKE '备份测试发文%'")
        assert len(writer_files) == k and all(name in files for (name,) in writer_files)
    finally:
        src.drop()
        dst.drop()
