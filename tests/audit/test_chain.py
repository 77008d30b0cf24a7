"""Audit trail: written with the change, hash-chained (SM3), tamper-evident, append-only on PostgreSQL."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from zhongshu.audit.chain import DEFAULT_ALGO, SM3_AVAILABLE, digest
from zhongshu.audit.models import AuditEntry, ChainHead
from zhongshu.audit.services import record, verify
from zhongshu.core.errors import ServiceError
from zhongshu.org import services

pytestmark = pytest.mark.django_db


def test_sm3_is_used_and_correct():
    assert SM3_AVAILABLE and DEFAULT_ALGO == "SM3"
    # GB/T 32905 test vector for "abc"
    assert digest("SM3", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_chain_verifies_after_demo(people):
    result = verify()
    assert result.ok, result.problem
    assert result.checked == AuditEntry.objects.count() > 300


def test_service_writes_before_after_in_same_transaction(people):
    clerk = people.clerk
    n = AuditEntry.objects.count()
    services.user_update(actor=people.admin, user=clerk, phone="0000-9999999")
    e = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == n + 1
    assert e.action == "org.user_update" and e.actor_name == "邓建国" and e.target_id == str(clerk.pk)
    assert e.before == {"phone": "0000-6660008"} and e.after == {"phone": "0000-9999999"}


def test_failed_change_leaves_no_record(people):
    n = AuditEntry.objects.count()
    with pytest.raises(ServiceError):
        services.user_create(actor=people.admin, organization=people.clerk.organization, username="clerk", real_name="重复")
    assert AuditEntry.objects.count() == n


def test_rolled_back_transaction_rolls_back_its_record(people):
    n = AuditEntry.objects.count()
    try:
        with transaction.atomic():
            record(actor=people.admin, action="test.x", note="will roll back")
            raise RuntimeError
    except RuntimeError:
        pass
    assert AuditEntry.objects.count() == n
    assert verify().ok


def _bypass_triggers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = replica")  # superuser-only: simulates a DBA tampering


def _restore_triggers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")


def test_edited_row_is_detected(people):
    target = AuditEntry.objects.order_by("seq")[10]
    _bypass_triggers()
    AuditEntry.objects.filter(pk=target.pk).update(actor_name="某人")
    _restore_triggers()
    result = verify()
    assert not result.ok and result.first_bad_seq == target.seq and "篡改" in result.problem
    with pytest.raises(CommandError, match=f"第 {target.seq} 条"):
        call_command("audit", "verify")


def test_deleted_row_is_detected(people):
    target = AuditEntry.objects.order_by("seq")[20]
    _bypass_triggers()
    AuditEntry.objects.filter(pk=target.pk).delete()
    _restore_triggers()
    result = verify()
    assert not result.ok and result.first_bad_seq == target.seq and "缺少" in result.problem


def test_deleted_tail_is_detected(people):
    last = AuditEntry.objects.order_by("-seq").first()
    _bypass_triggers()
    AuditEntry.objects.filter(pk=last.pk).delete()
    _restore_triggers()
    result = verify()
    assert not result.ok and "末尾" in result.problem
    assert ChainHead.objects.get().last_seq == last.seq


def test_recomputed_hash_still_breaks_the_link(people):
    """Editing a row and fixing its own hash is caught by the next row's prev_hash."""
    from zhongshu.audit.chain import entry_hash

    rows = list(AuditEntry.objects.order_by("seq")[5:7])
    rows[0].note = "改过"
    rows[0].hash = entry_hash(rows[0])
    _bypass_triggers()
    AuditEntry.objects.filter(pk=rows[0].pk).update(note="改过", hash=rows[0].hash)
    _restore_triggers()
    result = verify()
    assert not result.ok and result.first_bad_seq == rows[1].seq


@pytest.mark.skipif(connection.vendor != "postgresql", reason="append-only trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete(people):
    from django.db import DatabaseError

    e = AuditEntry.objects.order_by("seq").first()
    for op in (lambda: AuditEntry.objects.filter(pk=e.pk).update(note="x"), lambda: AuditEntry.objects.filter(pk=e.pk).delete()):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            op()


def test_login_success_and_failure_are_recorded(client, people):
    from zhongshu.demo.builder import DEMO_PASSWORD

    n = AuditEntry.objects.count()
    client.post("/accounts/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "clerk", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    actions = list(AuditEntry.objects.order_by("seq")[n:].values_list("action", "ip", "actor_name"))
    assert ("auth.login_failed", "10.1.2.3", "clerk") in actions
    assert ("auth.login", "10.1.2.3", "王思远") in actions


def test_only_the_auditor_reads_the_trail(client, people):
    for login in ("admin", "secadmin", "director", "clerk"):
        u = people[login]
        u.totp_confirmed = True
        u.save()
        client.force_login(u)
        assert client.get("/audit/").status_code == 404
        assert client.get("/api/v1/audit/").json()["count"] == 0
    auditor = people.auditor
    auditor.totp_confirmed = True
    auditor.save()
    client.force_login(auditor)
    page = client.get("/audit/?actor=邓建国")
    assert page.status_code == 200 and "新增外单位" in page.content.decode()
    export = client.get("/audit/?export=xlsx&action=org.user_set_admin_role")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    resp = client.post("/audit/verify/", follow=True)
    assert "审计链完整" in resp.content.decode()
