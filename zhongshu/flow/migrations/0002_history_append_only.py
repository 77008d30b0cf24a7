"""On PostgreSQL the flow history (办理记录) refuses UPDATE and DELETE, like the audit trail.

SQLite has no users to protect against; there the services are the only writers and never update history.
"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION zhongshu_flow_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '办理记录只能追加，不能修改或删除 (flow_flowaction is append-only)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS flow_flowaction_append_only ON flow_flowaction;
CREATE TRIGGER flow_flowaction_append_only BEFORE UPDATE OR DELETE ON flow_flowaction
    FOR EACH ROW EXECUTE FUNCTION zhongshu_flow_history_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS flow_flowaction_append_only ON flow_flowaction;
DROP FUNCTION IF EXISTS zhongshu_flow_history_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("flow", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
