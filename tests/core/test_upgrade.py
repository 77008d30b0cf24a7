"""Upgrades (issue 19 §5): a database made by an earlier release migrates to the current schema, data intact.

The fixture (tests/core/fixtures/upgrade/, built by tools/make_upgrade_fixture.py at a release) is the demo county at
that release's migration state, for SQLite and PostgreSQL. It is loaded into a scratch database and migrated in a
child process; the session's test database is not touched.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from .scratch import FIXTURES, META, fixture_instance

SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

def plan():
    ex = MigrationExecutor(connection)
    return [f"{m.app_label}.{m.name}" for m, _ in ex.migration_plan(ex.loader.graph.leaf_nodes())]

pending = plan()
call_command("migrate", interactive=False, verbosity=0)
from zhongshu.audit.services import verify
from zhongshu.org.models import User
result = verify()
print(json.dumps({"pending": pending, "left": plan(), "audit_ok": result.ok, "audit_checked": result.checked,
                  "problem": result.problem, "clerk": User.objects.filter(username="clerk").exists()}))
"""


def test_fixture_is_small_and_from_this_or_an_earlier_release():
    assert sum(p.stat().st_size for p in FIXTURES.iterdir()) < 2 * 1024 * 1024
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for vendor in ("sqlite", "postgresql"):
        recorded = {tuple(m) for m in META[vendor]["migrations"]}
        assert recorded <= known, f"{vendor}: the fixture has migrations this code does not know: {sorted(recorded - known)[:3]}"
        assert META[vendor]["tables"]["audit_auditentry"] > 100 and META[vendor]["tables"]["outgoing_outgoingdocument"] > 0


@pytest.mark.django_db
def test_database_of_the_fixture_release_migrates_to_the_current_schema(tmp_path):
    inst = fixture_instance(tmp_path / "upgrade")
    try:
        done = inst.zhongshu("shell", "-c", SCRIPT)
        out = json.loads(done.stdout.strip().splitlines()[-1])
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        recorded = {tuple(m) for m in META[connection.vendor]["migrations"]}
        assert sorted(out["pending"]) == sorted(f"{a}.{n}" for a, n in known - recorded), "exactly the newer migrations ran"
        assert out["left"] == []
        assert out["audit_ok"], out["problem"]
        assert out["audit_checked"] == META[connection.vendor]["tables"]["audit_auditentry"] and out["clerk"]
        counts = inst.counts()
        lost = {t: (n, counts.get(t)) for t, n in META[connection.vendor]["tables"].items()
                if t in counts and counts[t] < n and t != "django_migrations"}
        assert not lost, f"rows lost by the upgrade: {lost}"
    finally:
        inst.drop()

