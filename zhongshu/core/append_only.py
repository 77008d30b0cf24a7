"""Append-only tables on PostgreSQL (审计日志, 办理记录): a row trigger refuses UPDATE and DELETE for every role.

Used by migrations: `migrations.RunPython(*append_only("audit_auditentry", "审计记录"))`. SQLite has no
database users to guard against; there the hash chain (audit) and the services are the protection.
TRUNCATE is not covered (row triggers do not fire on it): production grants must not include it.
"""

from __future__ import annotations

from collections.abc import Callable


def append_only(table: str, label: str, function: str | None = None) -> tuple[Callable, Callable]:
    function = function or f"zhongshu_{table}_append_only"
    trigger = f"{table}_append_only"
    forbid = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{label}只能追加，不能修改或删除 ({table} is append-only)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {trigger} ON {table};
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    allow = f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();"

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forbid)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(allow)

    return forward, backward
