"""PostgreSQL roles (decision 0008): the runtime role cannot TRUNCATE, ALTER, DISABLE TRIGGER, UPDATE or DELETE the
audit tables, but can INSERT and SELECT. A real role is created for the test and dropped after it."""

import os

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only (SQLite has no users)"),
]


@pytest.fixture
def runtime():
    import psycopg

    from zhongshu.core.dbroles import setup_runtime_role

    params = dict(connection.get_connection_params())
    params.pop("cursor_factory", None)
    params.pop("context", None)
    dbname = connection.settings_dict["NAME"]
    role, password = f"zs_rt_{os.getpid()}", "rt-secret-pw"
    owner = psycopg.connect(**{**params, "dbname": dbname}, autocommit=True)
    with owner.cursor() as c:
        setup_runtime_role(c, role, password=password)
    rt = psycopg.connect(host=params.get("host") or "127.0.0.1", port=params.get("port") or 5432, dbname=dbname,
                         user=role, password=password, autocommit=True)
    yield rt
    rt.close()
    with owner.cursor() as c:
        c.execute(f'DROP OWNED BY "{role}"')
        c.execute(f'DROP ROLE "{role}"')
    owner.close()


@pytest.mark.parametrize("statement, message", [
    ("TRUNCATE audit_auditentry", "permission denied"),
    ("TRUNCATE audit_chainhead", "permission denied"),
    ("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only", "must be owner"),
    ("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER audit_auditentry_append_only ON audit_auditentry", "must be owner"),
    ("ALTER TABLE audit_auditentry ADD COLUMN x int", "must be owner"),
    ("UPDATE audit_auditentry SET note = 'x' WHERE seq = 1", "permission denied"),
    ("DELETE FROM audit_auditentry WHERE seq = 1", "permission denied"),
    ("DELETE FROM audit_chainhead", "permission denied"),
])
def test_runtime_role_cannot_rewrite_audit(runtime, statement, message):
    import psycopg

    with pytest.raises(psycopg.Error, match=message), runtime.cursor() as c:
        c.execute(statement)


def test_runtime_role_can_read_and_append(runtime):
    with runtime.cursor() as c:
        c.execute("SELECT count(*) FROM audit_auditentry")
        assert c.fetchone()[0] > 0
        c.execute("BEGIN")
        c.execute(
            "INSERT INTO audit_auditentry (seq, created_at, actor_name, on_behalf_of_name, ip, action, target_type, target_id,"
            " target_repr, classification, before, after, note, hash_algo, prev_hash, hash)"
            " SELECT max(seq) + 1, now(), '测试', '', '', 'test', '', '', '', 0, '{}', '{}', '', 'HMAC-SM3', '', '' FROM audit_auditentry"
        )
        c.execute("UPDATE audit_chainhead SET last_seq = last_seq")
        c.execute("ROLLBACK")  # leave the session database's chain untouched
        c.execute("SELECT count(*) FROM org_user")  # business tables stay readable
