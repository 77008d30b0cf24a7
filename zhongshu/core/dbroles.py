"""PostgreSQL roles (decision 0008): the owner/migration role owns every table; the runtime role is not owner
(so it cannot ALTER TABLE or DISABLE TRIGGER), never has TRUNCATE, and on the audit tables may only SELECT and
INSERT (plus UPDATE of the single chain-head row, which `record()` moves forward).

`zhongshu init --setup-roles` calls `setup_runtime_role()` over the owner connection (DATABASE_OWNER_URL).
"""

from __future__ import annotations

from psycopg import sql

AUDIT_APPEND_ONLY = ("audit_auditentry",)  # SELECT, INSERT only
AUDIT_HEAD = ("audit_chainhead",)  # SELECT, INSERT, UPDATE (no DELETE, no TRUNCATE)


def runtime_role_from_url(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    user = urlsplit(url).username
    if not user:
        raise ValueError("DATABASE_URL 未指明数据库用户名，无法配置运行角色。")
    return unquote(user)


def setup_runtime_role(cursor, role: str, *, password: str | None = None, schema: str = "public") -> None:
    """Create (if missing) and grant the runtime role; run as the owner of the tables. Idempotent."""
    r, s = sql.Identifier(role), sql.Identifier(schema)
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        if password:
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(r, sql.Literal(password)))
        else:
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(r))
    cursor.execute("SELECT current_user")
    owner = cursor.fetchone()[0]
    if owner == role:
        raise ValueError("运行角色不能与表的所有者相同（请用 DATABASE_OWNER_URL 的所有者角色执行）。")
    cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r))
    cursor.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(s, r))
    cursor.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(s, r))
    cursor.execute(sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {} FROM {}").format(s, r))
    cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r))
    for table in AUDIT_APPEND_ONLY:
        cursor.execute(sql.SQL("REVOKE UPDATE, DELETE ON {}.{} FROM {}").format(s, sql.Identifier(table), r))
    for table in AUDIT_HEAD:
        cursor.execute(sql.SQL("REVOKE DELETE ON {}.{} FROM {}").format(s, sql.Identifier(table), r))
    # tables created by later migrations (run by the owner) get the business grants by default
    cursor.execute(sql.SQL(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(s, r))
    cursor.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(s, r))
