"""Build the upgrade fixture: a database of the current schema with the demo county, for each database engine.

    .venv/bin/python tools/make_upgrade_fixture.py [--vendor sqlite|postgresql|both] [--pg postgres://postgres@127.0.0.1:5432/]

Writes under tests/core/fixtures/upgrade/:
  sqlite.sqlite3.gz     the SQLite file (VACUUM INTO, gzip)
  postgresql.sql.gz     `pg_dump -Fp --no-owner --no-privileges` (gzip), loaded with psql
  meta.json             per engine: the applied migrations and the row count of every table; the audit key used

tests/core/test_upgrade.py loads them into a scratch database and migrates to the current schema. Run this at each
release (before new migrations are added) so the test always starts from the previous release's schema. Takes about
two minutes (migrating from zero and building the demo county).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "core" / "fixtures" / "upgrade"
AUDIT_KEY = "upgrade-fixture-audit-key-not-a-secret"  # test data only


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "zhongshu", *args], env=env, check=True, cwd=ROOT)


def facts_sqlite(path: Path) -> dict:
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                                       "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'search_fts_%' ORDER BY name")]
    tables = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608 — catalogue names
    migrations = [list(r) for r in con.execute("SELECT app, name FROM django_migrations ORDER BY id")]
    con.close()
    return {"tables": tables, "migrations": migrations}


def facts_pg(dsn: str) -> dict:
    import psycopg

    with psycopg.connect(dsn) as con:
        names = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename")]
        tables = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608 — catalogue names
        migrations = [list(r) for r in con.execute("SELECT app, name FROM django_migrations ORDER BY id")]
    return {"tables": tables, "migrations": migrations}


def build(vendor: str, pg_base: str, tmp: Path) -> dict:
    env = {**os.environ, "AUDIT_KEY": AUDIT_KEY, "QUEUE_SYNC": "1", "ZHONGSHU_VAR_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"),
           "AUDIT_ANCHOR_FILE": str(tmp / "anchors.log"), "PYTHONPATH": str(ROOT),
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    if vendor == "sqlite":
        db = tmp / "fixture.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
        run(["migrate", "-v0"], env)
        run(["demo"], env)
        packed = tmp / "packed.sqlite3"
        con = sqlite3.connect(db)
        con.create_function("REGEXP", 2, lambda pattern, value: bool(re.search(pattern, value or "")))  # used by CHECKs
        con.execute("VACUUM INTO ?", [str(packed)])
        con.close()
        with open(packed, "rb") as fin, gzip.GzipFile(OUT / "sqlite.sqlite3.gz", "wb", mtime=0) as fout:
            fout.write(fin.read())
        return facts_sqlite(packed)
    import psycopg

    name = "zs_upgrade_fixture_build"
    with psycopg.connect(pg_base + "postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    try:
        env["DATABASE_URL"] = pg_base + name
        env["DB_POOL"] = "0"
        run(["migrate", "-v0"], env)
        run(["demo"], env)
        dump = subprocess.run(["pg_dump", "-Fp", "--no-owner", "--no-privileges", "-d", pg_base + name], check=True, capture_output=True).stdout
        with gzip.GzipFile(OUT / "postgresql.sql.gz", "wb", mtime=0) as fout:
            fout.write(dump)
        return facts_pg(pg_base + name)
    finally:
        with psycopg.connect(pg_base + "postgres", autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/", help="PostgreSQL server URL ending in /")
    o = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    meta_path = OUT / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta["audit_key"] = AUDIT_KEY
    for vendor in (["sqlite", "postgresql"] if o.vendor == "both" else [o.vendor]):
        with tempfile.TemporaryDirectory(prefix="zs-fixture-") as tmp:
            meta[vendor] = build(vendor, o.pg, Path(tmp))
        print(f"{vendor}: {len(meta[vendor]['migrations'])} migrations, {sum(meta[vendor]['tables'].values())} rows")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
