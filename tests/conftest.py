"""Shared fixtures: the demo county built through the real services, people by login, API clients."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Stored files go to a folder of the test session, never into ./var/media of a running demo (the daily sweep
    of orphan files would otherwise take the demo's files for orphans of the test database)."""
    from django.test import override_settings

    path = str(tmp_path_factory.mktemp("media"))
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture(scope="session", autouse=True)
def _anchor_file(tmp_path_factory):
    """Audit anchors go to a file of the test session, never into ./var (decision 0008)."""
    from django.test import override_settings

    path = tmp_path_factory.mktemp("anchors") / "audit-anchors.log"
    with override_settings(AUDIT_ANCHOR_FILE=path, AUDIT_ANCHOR_SYSLOG=False):
        yield path


def _flush_may_truncate_audit():
    """Django's TransactionTestCase flush TRUNCATEs every table, the audit tables included, which their BEFORE
    TRUNCATE trigger refuses (audit 0003). The flush alone is let through: `SET LOCAL zhongshu.allow_truncate`
    inside the flush transaction, honoured by the trigger only in a database named test_*. Safer than
    `session_replication_role = replica`, which needs a superuser and silences every trigger and foreign key."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no psycopg: SQLite only
        return

    original = DatabaseOperations.sql_flush
    if getattr(original, "_zhongshu", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL zhongshu.allow_truncate = 'on'", *sql] if sql else sql

    sql_flush._zhongshu = True
    DatabaseOperations.sql_flush = sql_flush


_flush_may_truncate_audit()


@pytest.fixture(autouse=True)
def _fast_and_sync(settings):
    # argon2 (production hasher) is slow by design; tests that check hashing use it explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from zhongshu.workdays.calendar import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root):
    """Build the demo county once per test session; each test runs in a transaction rolled back after it."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], Q_CLUSTER={**settings.Q_CLUSTER, "sync": True},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        from zhongshu.demo.builder import already_built, build

        if not already_built():
            build()
        _SNAPSHOT.update(_take_snapshot())
    yield


# The demo county's rows, table by table, as stored right after the session's build. A transactional test (live
# server, race) ends with Django's flush, which empties every table; building the county again through the services
# costs 20–60 s, restoring these rows well under a second. Same rows, same ids, same audit chain.
_SNAPSHOT: dict[str, tuple[list[str], list]] = {}


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _columns(connection, cursor, table: str) -> list[str]:
    """Columns that can be written back (PostgreSQL's generated columns are computed, not copied)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position", [table])
        return [r[0] for r in cursor.fetchall()]
    return [r[1] for r in connection.connection.execute(f'PRAGMA table_xinfo("{table}")').fetchall() if r[6] == 0]


def _take_snapshot() -> dict[str, tuple[list[str], list]]:
    from django.db import connection

    snap: dict[str, tuple[list[str], list]] = {}
    raw = None
    if connection.vendor == "sqlite":
        import sqlite3

        # A connection of our own without Django's type converters: the values exactly as stored (a TIME column
        # read through Django's connection comes back as datetime.time, which sqlite3 cannot bind again).
        raw = sqlite3.connect(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cols = _columns(connection, cursor, table)
            names = ", ".join(connection.ops.quote_name(c) for c in cols)
            qt = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qt} ({names}) TO STDOUT (FORMAT BINARY)") as copy:
                    data = b"".join(bytes(block) for block in copy)
                snap[table] = (cols, [data])
            else:
                snap[table] = (cols, raw.execute(f"SELECT {names} FROM {qt}").fetchall())
    if raw is not None:
        raw.close()
    return snap


def _restore_snapshot() -> None:
    """Put the demo county back after a flush. Tables refilled by post_migrate after the flush (content types,
    permissions) are emptied first; foreign keys are deferred to the commit, so the order does not matter."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table, (cols, rows) in _SNAPSHOT.items():
            qt = connection.ops.quote_name(table)
            cursor.execute(f"SELECT 1 FROM {qt} LIMIT 1")
            if cursor.fetchone():
                cursor.execute(f"DELETE FROM {qt}")
            if not rows:
                continue
            names = ", ".join(connection.ops.quote_name(c) for c in cols)
            if connection.vendor == "postgresql":
                if rows[0]:
                    with cursor.cursor.copy(f"COPY {qt} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                        copy.write(rows[0])
            else:
                marks = ", ".join("?" for _ in cols)
                connection.connection.executemany(f"INSERT INTO {qt} ({names}) VALUES ({marks})", rows)


@pytest.fixture
def county(db):
    """The demo county; put back from the session's snapshot if a transactional test flushed it."""
    from zhongshu.demo.builder import already_built, build

    if not already_built():
        if _SNAPSHOT:
            _restore_snapshot()
        else:
            build()


@pytest.fixture
def people(county):
    from zhongshu.org.models import User

    class People:
        def __getitem__(self, login):
            return User.objects.get(username=login)

        def __getattr__(self, login):
            return User.objects.get(username=login)

    return People()


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def web(client):
    def make(user):
        client.force_login(user)
        return client

    return make
