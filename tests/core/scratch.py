"""Scratch instances for the backup/restore and upgrade tests: their own database (a SQLite file, or a PostgreSQL
database created beside the session's and dropped afterwards), var and media folders, driven through
`python -m zhongshu …` in a child process — the session's test database is never written."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

import zhongshu

ROOT = Path(zhongshu.__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upgrade"
META = json.loads((FIXTURES / "meta.json").read_text()) if (FIXTURES / "meta.json").exists() else {}
BACKUP_KEY = "5a" * 32  # test key: 64 hex digits


def vendor() -> str:
    return connection.vendor


def _pg_base() -> tuple[str, dict]:
    cfg = settings.DATABASES["default"]
    user = cfg.get("USER") or "postgres"
    auth = f"{user}:{cfg['PASSWORD']}" if cfg.get("PASSWORD") else user
    return f"postgres://{auth}@{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/", cfg


@dataclass
class Instance:
    """One scratch instance: database URL, folders, and the environment its commands run with."""

    root: Path
    url: str
    pg_name: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def media(self) -> Path:
        return self.root / "media"

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        env.update(DATABASE_URL=self.url, ZHONGSHU_VAR_DIR=str(self.root / "var"), MEDIA_ROOT=str(self.media), DB_POOL="0",
                   AUDIT_KEY=META.get("audit_key", "x"), AUDIT_ANCHOR_FILE=str(self.root / "anchors.log"), QUEUE_SYNC="1",
                   PYTHONPATH=str(ROOT), BACKUP_DAILY="0", ZHONGSHU_BACKUP_KEY=BACKUP_KEY, **self.extra_env)
        env.update(more)
        return env

    def zhongshu(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "zhongshu", *args], env=self.env(**env), cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        if check and done.returncode:
            raise AssertionError(f"zhongshu {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    def counts(self) -> dict[str, int]:
        """Rows per table, read directly (FTS5 shadow tables left out, as the manifest does)."""
        if self.pg_name is None:
            con = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            try:
                con.execute("BEGIN")  # one read transaction: every count from the same snapshot
                names = [r[0] for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'search_fts_%'")]
                return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608
            finally:
                con.close()
        import psycopg

        with psycopg.connect(self.url) as con:
            con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # every count from the same snapshot
            names = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608

    def query(self, sql: str) -> list[tuple]:
        if self.pg_name is None:
            con = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                return list(con.execute(sql))
            finally:
                con.close()
        import psycopg

        with psycopg.connect(self.url) as con:
            return list(con.execute(sql))

    def drop(self) -> None:
        if self.pg_name:
            import psycopg

            base, _cfg = _pg_base()
            with psycopg.connect(base + "postgres", autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def empty_instance(root: Path) -> Instance:
    """A brand-new instance with nothing in it: no database file / an empty PostgreSQL database."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "var").mkdir(exist_ok=True)
    if vendor() == "sqlite":
        return Instance(root, f"sqlite:///{root / 'db.sqlite3'}")
    import psycopg

    base, cfg = _pg_base()
    name = f"{cfg['NAME']}_s{uuid.uuid4().hex[:8]}"[:63]
    with psycopg.connect(base + "postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return Instance(root, base + name, pg_name=name)


def fixture_instance(root: Path) -> Instance:
    """An instance holding the upgrade fixture (the demo county at the fixture's migration state)."""
    inst = empty_instance(root)
    if inst.pg_name is None:
        with gzip.open(FIXTURES / "sqlite.sqlite3.gz") as fin, open(root / "db.sqlite3", "wb") as fout:
            shutil.copyfileobj(fin, fout)
        return inst
    with gzip.open(FIXTURES / "postgresql.sql.gz") as fin:
        sql = fin.read()
    subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", inst.url], input=sql, check=True, capture_output=True)
    return inst
