"""On PostgreSQL a statement trigger refuses TRUNCATE of the audit tables (row triggers do not fire on it).

The test harness alone may flush them: the trigger lets TRUNCATE through only in a database named test_* (Django's
test databases) AND when the transaction-local variable `zhongshu.allow_truncate` is 'on', which only
tests/conftest.py sets, around Django's flush (see decision 0008). A production database is never named test_*. SQLite has no TRUNCATE.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION zhongshu_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhongshu.allow_truncate', true) = 'on' AND left(current_database(), 5) = 'test_' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = '审计记录不能清空 (TRUNCATE of ' || TG_TABLE_NAME || ' is refused)';
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ("audit_auditentry", "audit_chainhead")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; "
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION zhongshu_refuse_truncate();"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhongshu_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forward, backward)]
