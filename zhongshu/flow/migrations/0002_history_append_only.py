"""On PostgreSQL the flow history (办理记录) refuses UPDATE and DELETE, like the audit trail.

SQLite has no users to protect against; there the services are the only writers and never update history.
"""

from django.db import migrations

from zhongshu.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("flow", "0001_initial")]
    operations = [migrations.RunPython(*append_only("flow_flowaction", "办理记录", "zhongshu_flow_history_append_only"))]
