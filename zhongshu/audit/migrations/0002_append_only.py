"""On PostgreSQL the audit table refuses UPDATE and DELETE for everyone, the application's user included.

SQLite has no users: there, tampering is caught by `zhongshu audit verify` (hash chain + chain head).
"""

from django.db import migrations

from zhongshu.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(*append_only("audit_auditentry", "审计记录", "zhongshu_audit_append_only"))]
