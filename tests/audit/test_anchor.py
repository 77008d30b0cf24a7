"""Anchors (decision 0008): a database writer who deletes, rewinds, recomputes or truncates the chain is caught."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhongshu.audit import anchors
from zhongshu.audit.chain import DEFAULT_ALGO, GENESIS, canonical, digest, entry_payload, mac
from zhongshu.audit.models import AuditEntry, ChainHead
from zhongshu.audit.services import verify
from zhongshu.org import services

pytestmark = pytest.mark.django_db


def _sql(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


def _as_superuser_writer():
    """Simulate a DB superuser/owner: drop the append-only trigger (rolled back with the test on PostgreSQL)."""
    if connection.vendor == "postgresql":
        _sql("DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry")
        _sql("DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry")
        _sql("DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_chainhead")


def _more(people, n=3):
    for i in range(n):
        services.user_update(actor=people.admin, user=people.clerk, phone=f"0000-70000{i:02d}")


def _verify_command(path):
    call_command("audit", "verify", anchors_file=str(path))


@pytest.fixture
def anchored(people, tmp_path):
    """An anchor at the current head, then a few more entries and a second anchor."""
    path = tmp_path / "anchors.log"
    first = anchors.write_anchor(path=path)
    _more(people)
    second = anchors.write_anchor(path=path)
    assert first and second and second["seq"] == first["seq"] + 3
    _verify_command(path)  # intact
    return path, second


def test_anchor_line_is_signed_and_written_only_when_head_moved(people, tmp_path):
    path = tmp_path / "a.log"
    line = anchors.write_anchor(path=path)
    head = ChainHead.objects.get()
    assert line["seq"] == head.last_seq and line["hash"] == head.last_hash and line["count"] == AuditEntry.objects.count()
    assert anchors.write_anchor(path=path) is None  # head unchanged
    _more(people, 1)
    assert anchors.write_anchor(path=path)["seq"] == head.last_seq + 1
    assert len(path.read_text().splitlines()) == 2
    assert (path.stat().st_mode & 0o777) == 0o600
    result = anchors.check(path)
    assert result.ok and result.checked == 2


def test_command_anchor_and_job(people, tmp_path, settings):
    path = tmp_path / "cmd.log"
    settings.AUDIT_ANCHOR_FILE = path
    call_command("audit", "anchor")
    assert anchors.anchor_job() == "链头未变化，未写锚点"
    _more(people, 1)
    assert anchors.anchor_job().startswith("已写入审计锚点")
    call_command("audit", "verify")
    assert len(path.read_text().splitlines()) == 2


def test_schedule_registered(db, settings):
    from django_q.models import Schedule

    from zhongshu.core.jobs import ensure_schedules

    settings.AUDIT_ANCHOR_MINUTES = 7
    ensure_schedules()
    s = Schedule.objects.get(name="审计链锚点")
    assert s.func == "zhongshu.audit.anchors.anchor_job" and s.minutes == 7 and s.schedule_type == Schedule.MINUTES


def test_attack_delete_last_rows_and_rewind_head(anchored):
    path, last = anchored
    _as_superuser_writer()
    keep = last["seq"] - 2
    _sql("DELETE FROM audit_auditentry WHERE seq > %s", [keep])
    kept = AuditEntry.objects.get(seq=keep)
    _sql("UPDATE audit_chainhead SET last_seq = %s, last_hash = %s", [keep, kept.hash])
    assert verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError) as exc:
        _verify_command(path)
    assert f"第 {last['seq']} 条审计记录已不存在" in str(exc.value) and "链头被回退" in str(exc.value)


def _recompute_from(seq, algo, hasher):
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for e in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        e.prev_hash, e.hash_algo = prev, algo
        h = hasher(canonical(entry_payload(e)))
        _sql("UPDATE audit_auditentry SET prev_hash=%s, hash_algo=%s, hash=%s, note=%s WHERE seq=%s",
             [prev, algo, h, e.note, e.seq])
        prev = h
    _sql("UPDATE audit_chainhead SET last_hash = %s", [prev])


def test_attack_edit_and_recompute_with_plain_digest(anchored):
    path, last = anchored
    _as_superuser_writer()
    target = AuditEntry.objects.get(seq=last["seq"] - 1)
    target.note = "改写"
    _sql("UPDATE audit_auditentry SET note=%s WHERE seq=%s", ["改写", target.seq])
    _recompute_from(target.seq, DEFAULT_ALGO, lambda data: digest(DEFAULT_ALGO, data))
    assert not anchors.check(path).ok
    assert "重新计算" in anchors.check(path).problems[0]
    with pytest.raises(CommandError) as exc:
        _verify_command(path)
    assert "不带密钥" in str(exc.value)


def test_attack_recompute_with_wrong_key(anchored):
    path, last = anchored
    _as_superuser_writer()
    seq = last["seq"] - 1
    _sql("UPDATE audit_auditentry SET note=%s WHERE seq=%s", ["改写", seq])
    algo = AuditEntry.objects.get(seq=seq).hash_algo
    _recompute_from(seq, algo, lambda data: mac(algo, data, b"not-the-key"))
    check = anchors.check(path)
    assert any(f"第 {last['seq']} 条摘要与数据库不符" in p for p in check.problems)
    with pytest.raises(CommandError, match="内容与摘要不符"):
        _verify_command(path)


def test_attack_truncate(anchored):
    path, last = anchored
    if connection.vendor == "postgresql":
        from django.db import transaction
        from django.db.utils import DatabaseError

        with pytest.raises(DatabaseError, match="审计记录不能清空"), transaction.atomic():
            _sql("TRUNCATE audit_auditentry")
    _as_superuser_writer()
    if connection.vendor == "postgresql":
        _sql("TRUNCATE audit_auditentry, audit_chainhead")
    else:
        _sql("DELETE FROM audit_auditentry")
        _sql("DELETE FROM audit_chainhead")
    assert verify().ok  # empty chain, empty head
    with pytest.raises(CommandError) as exc:
        _verify_command(path)
    assert "已不存在" in str(exc.value) and "链头只到第 0 条" in str(exc.value)


def test_forged_and_garbled_anchor_lines(anchored):
    path, last = anchored
    forged = {**last, "seq": last["seq"] + 100, "mac": "0" * 64}
    with path.open("a") as f:
        f.write(json.dumps(forged) + "\n" + "not json\n")
    check = anchors.check(path)
    assert check.checked == 2
    assert check.problems == ["锚点文件第 3 行签名无效（伪造的锚点）", "锚点文件第 4 行无法解析（可能被篡改）"]
    with pytest.raises(CommandError, match="伪造的锚点"):
        _verify_command(path)
