"""Backup and restore (备份与恢复) of one instance: the database, the stored files and the search settings.

A backup is a folder `zhongshu-YYYYMMDD-HHMMSS[-N]/` written as `.partial-…` and renamed when complete:

* `database.sqlite3` — SQLite through its online backup API (one step: a consistent snapshot while writers go on
  in WAL mode), or `database.pgdump` — PostgreSQL through `pg_dump -Fc` inside an exported REPEATABLE READ
  snapshot, in which the row count of every table is taken too;
* `media/…` — every file under MEDIA_ROOT, copied after the database snapshot (files are written before their
  transaction commits, so every file the snapshot refers to is already there);
* `search.json` — the full-text index settings (kinds, engine, token statistics target) and entry counts;
* `manifest.json` — format, time, database vendor and versions, applied migrations, row counts per table, the
  audit chain head, the SM3 digest (SHA-256 where OpenSSL lacks SM3, as the audit chain) and size of every file,
  and an HMAC over the manifest itself: keyed with the backup key when encrypted, else with the audit key.

`--encrypt` encrypts every file with AES-256-GCM (or SM4-GCM, BACKUP_CIPHER) under ZHONGSHU_BACKUP_KEY (64 hex
digits), the relative path as associated data so files cannot be swapped.  The key is never written anywhere.

Restore verifies everything before touching the instance (names each tampered, missing or unlisted file and
refuses), refuses a non-empty instance unless forced, restores the database and the files, checks the row
counts against the manifest, runs the migrations the backup lacks, rebuilds the search index and ends with the
audit chain verification.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connections
from django.utils import timezone

from zhongshu.audit.chain import DEFAULT_ALGO, mac

log = logging.getLogger(__name__)

FORMAT = "zhongshu-backup/1"
MANIFEST = "manifest.json"
NAME_RE = re.compile(r"^zhongshu-(\d{8})-(\d{6})(?:-\d+)?$")
CHUNK = 1 << 20
MAGIC = b"ZSBK1"
NONCE = 12
TAG = 16
KEY_ENV = "ZHONGSHU_BACKUP_KEY"
# Tables whose rows a freshly migrated (or `zhongshu init`-ed, without an organization) instance already has.
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_q_schedule", "django_session"}


class BackupError(Exception):
    """A refusal or failure, said in Chinese (with the English where an IT person may search for it)."""


# ---- digests and encryption --------------------------------------------------------------------------------------
def _hasher():
    return hashes.Hash(hashes.SM3()) if DEFAULT_ALGO == "SM3" else hashes.Hash(hashes.SHA256())


def file_digest(path: Path, algo: str = DEFAULT_ALGO) -> str:
    h = hashes.Hash(hashes.SM3()) if algo == "SM3" else hashes.Hash(hashes.SHA256())
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.finalize().hex()


def backup_key(required: bool = True) -> bytes | None:
    raw = os.environ.get(KEY_ENV, "").strip()
    if not raw:
        if required:
            raise BackupError(f"未设置环境变量 {KEY_ENV}，不能加密或解密备份（{KEY_ENV} is not set）。"
                              "生成：python -c \"import secrets; print(secrets.token_hex(32))\"，并离线保存。")
        return None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError(f"{KEY_ENV} 应为 64 位十六进制数字（32 字节）。")
    return key


def _subkey(key: bytes, purpose: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=f"zhongshu-backup {purpose}".encode()).derive(key)


def _cipher_name() -> str:
    name = getattr(settings, "BACKUP_CIPHER", "AES-256-GCM").upper()
    if name not in {"AES-256-GCM", "SM4-GCM"}:
        raise BackupError(f"BACKUP_CIPHER 只能是 AES-256-GCM 或 SM4-GCM，实际为 {name}。")
    return name


def _algorithm(cipher: str, key: bytes):
    if cipher == "SM4-GCM":
        return algorithms.SM4(_subkey(key, "sm4", 16))
    return algorithms.AES(_subkey(key, "aes", 32))


def key_id(key: bytes) -> str:
    return _subkey(key, "key-id", 8).hex()


def _copy(src: Path, dst: Path, *, encrypt: tuple[str, bytes] | None, aad: str) -> tuple[str, str, int]:
    """Copy (encrypting if asked); returns (digest of stored bytes, digest of content, stored size)."""
    stored, content = _hasher(), _hasher()
    dst.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        def out(data: bytes) -> None:
            nonlocal size
            fout.write(data)
            stored.update(data)
            size += len(data)

        if encrypt:
            nonce = os.urandom(NONCE)
            enc = Cipher(_algorithm(encrypt[0], encrypt[1]), modes.GCM(nonce)).encryptor()
            enc.authenticate_additional_data(aad.encode())
            out(MAGIC + nonce)
            while chunk := fin.read(CHUNK):
                content.update(chunk)
                out(enc.update(chunk))
            out(enc.finalize() + enc.tag)
        else:
            while chunk := fin.read(CHUNK):
                content.update(chunk)
                out(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return stored.finalize().hex(), content.finalize().hex(), size


def decrypt_file(src: Path, dst: Path, *, cipher: str, key: bytes, aad: str) -> None:
    """Decrypt src into dst; the GCM tag is checked before dst is left behind (a failure removes it)."""
    total = src.stat().st_size
    with open(src, "rb") as fin:
        head = fin.read(len(MAGIC) + NONCE)
        if total < len(MAGIC) + NONCE + TAG or not head.startswith(MAGIC):
            raise BackupError(f"{aad}：不是本平台的加密备份文件。")
        fin.seek(total - TAG)
        tag = fin.read(TAG)
        fin.seek(len(head))
        dec = Cipher(_algorithm(cipher, key), modes.GCM(head[len(MAGIC):], tag)).decryptor()
        dec.authenticate_additional_data(aad.encode())
        remaining = total - len(head) - TAG
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(dst, "wb") as fout:
                while remaining > 0:
                    chunk = fin.read(min(CHUNK, remaining))
                    remaining -= len(chunk)
                    fout.write(dec.update(chunk))
                try:
                    fout.write(dec.finalize())
                except Exception:  # cryptography's InvalidTag
                    raise BackupError(f"{aad}：解密失败——密钥不对，或文件被改动。")
        except BaseException:
            dst.unlink(missing_ok=True)
            raise


# ---- the manifest --------------------------------------------------------------------------------------------
def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _sign(manifest: dict[str, Any], key: bytes | None) -> str:
    return mac(f"HMAC-{DEFAULT_ALGO}", _canonical(manifest), key)


def _audit_key_id() -> str:
    return mac(f"HMAC-{DEFAULT_ALGO}", b"zhongshu-backup audit-key id")[:16]


# ---- the database snapshot -----------------------------------------------------------------------------------
def _vendor() -> str:
    return connections["default"].vendor


def _sqlite_path() -> Path:
    return Path(connections["default"].settings_dict["NAME"])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_facts(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                                           "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
        counts = {n: con.execute(f"SELECT count(*) FROM {_quote(n)}").fetchone()[0]  # noqa: S608 — catalogue names, quoted
                  for n in names if not _fts_shadow(n)}
        migrations = [list(r) for r in con.execute("SELECT app, name FROM django_migrations ORDER BY id")] if "django_migrations" in names else []
    finally:
        con.close()
    return counts, migrations


def _fts_shadow(name: str) -> bool:
    return name.startswith("search_fts_")


def _sqlite_snapshot(dst: Path) -> dict[str, Any]:
    src = sqlite3.connect(_sqlite_path(), timeout=60)
    out = sqlite3.connect(dst)
    try:
        src.backup(out)  # pages=-1: the whole database in one step, under one read transaction — a consistent snapshot
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()
        src.close()
    counts, migrations = _sqlite_facts(dst)
    return {"vendor": "sqlite", "server_version": sqlite3.sqlite_version, "tables": counts, "migrations": migrations}


def _pg_params(alias: str = "default") -> tuple[dict[str, str], dict[str, Any]]:
    cfg = connections[alias].settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if cfg.get(key):
            env[var] = str(cfg[key])
    conninfo = {"dbname": cfg["NAME"], "user": cfg.get("USER") or None, "password": cfg.get("PASSWORD") or None,
                "host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None}
    return env, {k: v for k, v in conninfo.items() if v is not None}


def _pg_tool(name: str) -> str:
    folder = getattr(settings, "BACKUP_PG_BIN_DIR", "")
    return str(Path(folder) / name) if folder else name


def pg_client_major(tool: str) -> int:
    try:
        text = subprocess.run([_pg_tool(tool), "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BackupError(f"找不到 {tool}（PostgreSQL 客户端）：{exc}。请安装 postgresql-client，或设置 BACKUP_PG_BIN_DIR。")
    match = re.search(r"(\d+)(?:\.\d+)?", text)
    if not match:
        raise BackupError(f"无法识别 {tool} 的版本：{text.strip()}")
    return int(match.group(1))


def pg_version_problem(tool: str, client: int, server: int) -> str | None:
    """A clear sentence when the client tool cannot serve this server; None when fine."""
    if client < server:
        return (f"{tool} 的主版本 {client} 低于数据库服务器的主版本 {server}，无法{'备份' if tool == 'pg_dump' else '恢复'}。"
                f"请安装 postgresql-client-{server}，或用 BACKUP_PG_BIN_DIR 指向它（{tool} major version {client} "
                f"does not match server major version {server}）。")
    return None


def _one(con, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    if row is None:
        raise BackupError(f"数据库没有回答：{sql}")
    return row[0]


def _pg_snapshot(dst: Path, notes: list[str]) -> dict[str, Any]:
    import psycopg

    env, conninfo = _pg_params()
    client = pg_client_major("pg_dump")
    with psycopg.connect(**conninfo) as con:
        server = int(_one(con, "SHOW server_version_num")) // 10000
        problem = pg_version_problem("pg_dump", client, server)
        if problem:
            raise BackupError(problem)
        if client > server:
            notes.append(f"注意：pg_dump 主版本 {client} 高于服务器 {server}；恢复时需要不低于 {client} 的 pg_restore"
                         f"（pg_dump major version {client} differs from server major version {server}）。")
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = _one(con, "SELECT pg_export_snapshot()")
        names = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        counts = {n: int(_one(con, f"SELECT count(*) FROM {_quote(n)}")) for n in names}  # noqa: S608 — catalogue names
        migrations = [list(r) for r in con.execute("SELECT app, name FROM django_migrations ORDER BY id")] if "django_migrations" in names else []
        done = subprocess.run([_pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(dst)], env=env,
                              capture_output=True, text=True)
        con.execute("COMMIT")
    if done.returncode:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
    return {"vendor": "postgresql", "server_version": server, "client_version": client, "tables": counts, "migrations": migrations}


def _search_settings(tables: dict[str, int]) -> dict[str, Any]:
    from zhongshu.search.models import SearchEntry
    from zhongshu.search.registry import SOURCES

    info: dict[str, Any] = {"kinds": {k: str(s.label) for k, s in sorted(SOURCES.items())},
                            "entries": tables.get(SearchEntry._meta.db_table, 0)}
    con = connections["default"]
    with con.cursor() as cursor:
        if con.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            row = cursor.fetchone()
            info["engine"] = {"fts5": row[0] if row else None}
        else:
            cursor.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'search_entry'::regclass AND attname = 'tsv'")
            row = cursor.fetchone()
            info["engine"] = {"gin_tsvector": True, "tsv_statistics_target": row[0] if row else None}
    return info


def _audit_head() -> dict[str, Any]:
    from zhongshu.audit.models import ChainHead

    head = ChainHead.objects.filter(id=1).first()
    return {"head_seq": head.last_seq if head else 0, "key_id": _audit_key_id()}


# ---- creating a backup -----------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _new_name(root: Path, now: datetime.datetime) -> str:
    base = f"zhongshu-{now:%Y%m%d-%H%M%S}"
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def create_backup(to: Path | str | None = None, *, encrypt: bool = False, trigger: str = "manual") -> BackupResult:
    """Write one complete backup folder under `to` (default BACKUP_DIR) and return it."""
    root = Path(to or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    key = backup_key(required=True) if encrypt else None
    cipher = _cipher_name() if encrypt else None
    enc = (cipher, key) if cipher and key else None
    now = timezone.localtime()
    name = _new_name(root, now)
    work = root / f".partial-{name}"
    work.mkdir()
    notes: list[str] = []
    files: dict[str, dict[str, Any]] = {}

    def store(src: Path, rel: str) -> None:
        stored, content, size = _copy(src, work / (rel + (".enc" if enc else "")), encrypt=enc, aad=rel)
        entry: dict[str, Any] = {"size": size, DEFAULT_ALGO.lower(): stored}
        if enc:
            entry["content_" + DEFAULT_ALGO.lower()] = content
        files[rel + (".enc" if enc else "")] = entry

    try:
        with tempfile.TemporaryDirectory(dir=root, prefix=".tmp-") as tmp:
            vendor = _vendor()
            db_rel = "database.sqlite3" if vendor == "sqlite" else "database.pgdump"
            snapshot = Path(tmp) / db_rel
            if vendor == "sqlite":
                database = _sqlite_snapshot(snapshot)
            elif vendor == "postgresql":
                database = _pg_snapshot(snapshot, notes)
            else:
                raise BackupError(f"不支持的数据库：{vendor}")
            store(snapshot, db_rel)
            snapshot.unlink()
            search = Path(tmp) / "search.json"
            search.write_text(json.dumps(_search_settings(database["tables"]), ensure_ascii=False, indent=1))
            store(search, "search.json")
        media_root = Path(settings.MEDIA_ROOT)
        for path in _media_files(media_root):
            rel = "media/" + path.relative_to(media_root).as_posix()
            try:
                store(path, rel)
            except FileNotFoundError:  # removed meanwhile (the orphan sweep): not referred to by the snapshot
                notes.append(f"文件在备份过程中被删除，已跳过：{rel}")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "name": name,
            "created": now.isoformat(),
            "trigger": trigger,
            "version": _version(),
            "database": {k: v for k, v in database.items() if k not in {"tables", "migrations"}} | {"file": db_rel},
            "migrations": database["migrations"],
            "tables": database["tables"],
            "audit": _audit_head(),
            "hash_algo": DEFAULT_ALGO,
            "encryption": {"cipher": cipher, "key_id": key_id(key)} if enc and key else None,
            "files": files,
            "notes": notes,
        }
        manifest["mac_key"] = "backup" if enc else "audit"
        manifest["mac"] = _sign(manifest, _subkey(key, "mac", 32) if enc and key else None)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        _fsync_dir(work)
        final = root / name
        work.rename(final)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupResult(final, manifest, notes)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zhongshu")
    except PackageNotFoundError:
        return "unknown"


# ---- verifying ---------------------------------------------------------------------------------------------------
@dataclass
class Verification:
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(path: Path) -> dict[str, Any]:
    file = path / MANIFEST
    if not file.is_file():
        raise BackupError(f"{path} 不是备份目录：缺少 {MANIFEST}。")
    try:
        manifest = json.loads(file.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{MANIFEST} 已损坏，无法解析（被篡改？）。")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} 的格式不是 {FORMAT}。")
    return manifest


def verify_backup(path: Path | str) -> Verification:
    """Check the manifest's HMAC and every file's digest and size; name every tampered, missing or unlisted file."""
    path = Path(path)
    manifest = read_manifest(path)
    result = Verification(manifest)
    enc = manifest.get("encryption")
    if enc:
        key = backup_key(required=True)
        assert key is not None
        if key_id(key) != enc.get("key_id"):
            result.problems.append(f"{KEY_ENV} 不是加密这份备份的密钥（密钥标识 {enc.get('key_id')}）。")
            return result
        mac_key: bytes | None = _subkey(key, "mac", 32)
    else:
        mac_key = None
    try:
        genuine = _sign(manifest, mac_key) == manifest.get("mac")
    except (TypeError, ValueError):
        genuine = False
    if not genuine:
        result.problems.append(f"{MANIFEST} 的签名不符：清单被改动" + ("。" if enc else
                               "，或本机的审计密钥（AUDIT_KEY）不是备份时的那把——请先恢复原审计密钥。"))
    algo = manifest.get("hash_algo", DEFAULT_ALGO)
    files = manifest.get("files") or {}
    for rel, info in sorted(files.items()):
        target = path / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            result.problems.append(f"清单中的路径不合法：{rel}")
        elif not target.is_file():
            result.problems.append(f"缺少文件：{rel}")
        elif target.stat().st_size != info.get("size") or file_digest(target, algo) != info.get(algo.lower()):
            result.problems.append(f"文件被改动（摘要不符）：{rel}")
    for extra in sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()):
        if extra != MANIFEST and extra not in files:
            result.problems.append(f"清单外的文件：{extra}")
    return result


# ---- restoring ---------------------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    lines: list[str] = field(default_factory=list)
    audit_ok: bool = False


def _target_alias() -> str:
    return "owner" if "owner" in settings.DATABASES else "default"


def _instance_content(alias: str) -> list[str]:
    """What makes the instance non-empty: tables with rows (beyond the schema's own) and stored files."""
    found: list[str] = []
    con = connections[alias]
    names = set(con.introspection.table_names())
    with con.cursor() as cursor:
        for name in sorted(names - SCHEMA_TABLES):
            if con.vendor == "sqlite" and (_fts_shadow(name) or name == "search_fts"):
                continue
            cursor.execute(f"SELECT 1 FROM {con.ops.quote_name(name)} LIMIT 1")  # noqa: S608 — catalogue names, quoted
            if cursor.fetchone():
                found.append(f"数据表 {name}")
    media = Path(settings.MEDIA_ROOT)
    count = sum(1 for _ in _media_files(media))
    if count:
        found.append(f"{media} 下 {count} 个文件")
    return found


def _check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = [f"{a}.{n}" for a, n in manifest.get("migrations", []) if (a, n) not in known]
    if newer:
        raise BackupError("备份来自较新的版本，本程序不认识其中的迁移：" + "、".join(newer[:5]) + ("等" if len(newer) > 5 else "")
                          + "。请先升级程序再恢复。")


def restore_backup(path: Path | str, *, force: bool = False, say: Callable[[str], None] = lambda s: None) -> RestoreResult:
    from django.core.management import call_command

    path = Path(path)
    result = RestoreResult()

    def note(line: str) -> None:
        result.lines.append(line)
        say(line)

    checked = verify_backup(path)
    if not checked.ok:
        raise BackupError("备份校验未通过，拒绝恢复：\n" + "\n".join("  - " + p for p in checked.problems))
    manifest = checked.manifest
    note(f"备份校验通过：{len(manifest['files'])} 个文件，摘要 {manifest['hash_algo']}，创建于 {manifest['created']}。")
    vendor = manifest["database"]["vendor"]
    alias = _target_alias()
    if connections[alias].vendor != vendor:
        raise BackupError(f"这是 {vendor} 的备份，本实例用的是 {connections[alias].vendor}：不能跨数据库恢复。")
    _check_migrations(manifest)
    if manifest["audit"].get("key_id") != _audit_key_id():
        note("警告：本机的审计密钥与备份时不同，恢复后审计链校验将不能通过；请先恢复原 AUDIT_KEY / AUDIT_KEY_FILE。")
    content = _instance_content(alias)
    if content and not force:
        raise BackupError("目标实例不是空的（" + "；".join(content[:5]) + "），拒绝覆盖。确需覆盖请加 --force。")
    enc = manifest.get("encryption")
    key = backup_key(required=True) if enc else None
    with tempfile.TemporaryDirectory(prefix="zhongshu-restore-") as tmp:

        def plain(rel: str) -> Path:
            if not enc:
                return path / rel
            assert key is not None
            out = Path(tmp) / rel
            decrypt_file(path / (rel + ".enc"), out, cipher=enc["cipher"], key=key, aad=rel)
            return out

        db_rel = manifest["database"]["file"]
        search_info = json.loads(plain("search.json").read_text())
        for name in connections:
            connections[name].close()
        if vendor == "sqlite":
            _sqlite_restore(plain(db_rel))
        else:
            _pg_restore(plain(db_rel), manifest, alias)
        note(f"数据库已恢复（{vendor}）。")
        counts = _current_counts(alias)
        wrong = [f"{t}：备份 {n} 行，恢复后 {counts.get(t)} 行" for t, n in sorted(manifest["tables"].items()) if counts.get(t) != n]
        if wrong:
            raise BackupError("恢复后的行数与备份清单不符：\n" + "\n".join("  - " + w for w in wrong))
        note(f"各表行数与清单一致：{len(manifest['tables'])} 张表，共 {sum(manifest['tables'].values())} 行。")
        media_root = Path(settings.MEDIA_ROOT)
        restored = 0
        suffix = ".enc" if enc else ""
        for rel in manifest["files"]:
            if not rel.startswith("media/"):
                continue
            name = rel[len("media/"):len(rel) - len(suffix)] if suffix else rel[len("media/"):]
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if enc:
                assert key is not None
                decrypt_file(path / rel, target, cipher=enc["cipher"], key=key, aad="media/" + name)
            else:
                shutil.copyfile(path / rel, target)
            restored += 1
        note(f"文件已恢复：{restored} 个 → {media_root}")
    before = _applied(alias)
    call_command("migrate", interactive=False, verbosity=0, database=alias)
    applied = sorted(_applied(alias) - before)
    note(f"已执行 {len(applied)} 个新迁移：" + "、".join(f"{a}.{n}" for a, n in applied) if applied else "数据库结构已是当前版本，无需迁移。")
    if alias == "owner" and connections[alias].vendor == "postgresql":
        from zhongshu.core.dbroles import runtime_role_from_url, setup_runtime_role

        with connections[alias].cursor() as cursor:
            setup_runtime_role(cursor, runtime_role_from_url(settings.DATABASE_URL))
        note("已为运行角色重新授权。")
    from zhongshu.search.indexing import reindex

    counts_by_kind = reindex()
    note("全文索引已重建：" + "，".join(f"{k} {n} 件" for k, n in counts_by_kind.items()))
    from zhongshu.search.registry import SOURCES

    was, now = set(search_info.get("kinds", {})), set(SOURCES)
    if was != now:
        note("全文索引的类别与备份时不同（新版本的变化）：" + "，".join([f"新增 {k}" for k in sorted(now - was)] + [f"不再索引 {k}" for k in sorted(was - now)]))
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
        result.audit_ok = True
        note("审计校验：" + out.getvalue().strip())
    except CommandError as exc:
        note(f"审计校验未通过：{exc}")
    return result


def _applied(alias: str) -> set[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder(connections[alias]).applied_migrations())


def _current_counts(alias: str) -> dict[str, int]:
    con = connections[alias]
    counts: dict[str, int] = {}
    with con.cursor() as cursor:
        for name in con.introspection.table_names():
            if con.vendor == "sqlite" and (_fts_shadow(name) or name == "search_fts"):
                continue
            cursor.execute(f"SELECT count(*) FROM {con.ops.quote_name(name)}")  # noqa: S608 — catalogue names, quoted
            counts[name] = cursor.fetchone()[0]
    return counts


def _sqlite_restore(src: Path) -> None:
    dst = _sqlite_path()
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst, timeout=60)
    try:
        source.backup(target)  # replaces the whole content, under the target's write lock
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


def _pg_restore(dump: Path, manifest: dict[str, Any], alias: str) -> None:
    import psycopg

    env, conninfo = _pg_params(alias)
    client = pg_client_major("pg_restore")
    made_by = int(manifest["database"].get("client_version") or 0)
    if client < made_by:
        raise BackupError(f"这份备份由 pg_dump {made_by} 生成，pg_restore 的主版本 {client} 太低，无法读取。"
                          f"请安装 postgresql-client-{made_by}（pg_restore major version {client} is older than the dump's {made_by}）。")
    with psycopg.connect(**conninfo, autocommit=True) as con:
        server = int(_one(con, "SHOW server_version_num")) // 10000
        problem = pg_version_problem("pg_restore", client, server)
        if problem:
            raise BackupError(problem)
        # tables the dump does not have (an instance newer than the backup, when forced) go first; the rest
        # are dropped object by object by pg_restore --clean
        stale = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'") if r[0] not in manifest["tables"]]
        if stale:
            con.execute("DROP TABLE IF EXISTS " + ", ".join(_quote(n) for n in stale) + " CASCADE")
    done = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                           "--exit-on-error", "-d", conninfo["dbname"], str(dump)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore 失败（未作任何改动）：{done.stderr.strip()}")


# ---- retention and the daily job -----------------------------------------------------------------------------------
@dataclass
class Stored:
    path: Path
    created: datetime.datetime
    trigger: str


def list_backups(root: Path | str) -> list[Stored]:
    """Complete backups under root, oldest first (a folder with a readable manifest)."""
    found: list[Stored] = []
    root = Path(root)
    if not root.is_dir():
        return found
    for path in root.iterdir():
        if not (path.is_dir() and NAME_RE.match(path.name)):
            continue
        try:
            manifest = read_manifest(path)
            created = datetime.datetime.fromisoformat(manifest["created"])
        except (BackupError, KeyError, ValueError):
            continue
        found.append(Stored(path, created, str(manifest.get("trigger", "manual"))))
    return sorted(found, key=lambda s: s.created)


def retained(backups: list[Stored], keep_daily: int, keep_monthly: int) -> set[Path]:
    """Grandfather-father rule: the newest backup of each of the last `keep_daily` days that have one, and the
    newest of each of the last `keep_monthly` months that have one."""
    days: dict[datetime.date, Stored] = {}
    months: dict[tuple[int, int], Stored] = {}
    for b in backups:  # oldest first: later ones replace earlier ones of the same day / month
        local = timezone.localtime(b.created) if timezone.is_aware(b.created) else b.created
        days[local.date()] = b
        months[(local.year, local.month)] = b
    keep = {days[d].path for d in sorted(days, reverse=True)[: max(0, keep_daily)]}
    keep |= {months[m].path for m in sorted(months, reverse=True)[: max(0, keep_monthly)]}
    return keep


def prune(root: Path | str | None = None, *, keep_daily: int | None = None, keep_monthly: int | None = None) -> list[Path]:
    """Remove scheduled backups outside the retention rule (manual ones are the operator's) and leftovers of
    interrupted runs older than a day. Returns what was removed."""
    root = Path(root or settings.BACKUP_DIR)
    keep_daily = settings.BACKUP_KEEP_DAILY if keep_daily is None else keep_daily
    keep_monthly = settings.BACKUP_KEEP_MONTHLY if keep_monthly is None else keep_monthly
    scheduled = [b for b in list_backups(root) if b.trigger == "scheduled"]
    keep = retained(scheduled, keep_daily, keep_monthly)
    removed = []
    for b in scheduled:
        if b.path not in keep:
            shutil.rmtree(b.path)
            removed.append(b.path)
    if root.is_dir():
        cutoff = timezone.now().timestamp() - 24 * 3600
        for leftover in root.iterdir():
            if leftover.name.startswith((".partial-", ".tmp-")) and leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
    return removed


@contextlib.contextmanager
def _exclusive(root: Path) -> Iterator[bool]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def scheduled_backup() -> str:
    """The daily job: one scheduled backup a day (a re-delivered or catch-up run finds it and does nothing), then
    the retention rule."""
    root = Path(settings.BACKUP_DIR)
    with _exclusive(root) as mine:
        if not mine:
            return "另一个备份正在进行，本次跳过"
        today = timezone.localdate()
        if any(b.trigger == "scheduled" and timezone.localtime(b.created).date() == today for b in list_backups(root)):
            made = "今日已备份"
        else:
            made = f"已备份：{create_backup(root, encrypt=settings.BACKUP_ENCRYPT, trigger='scheduled').path.name}"
        removed = prune(root)
    return made + (f"；按保留规则删除 {len(removed)} 份" if removed else "")


def latest_backup(root: Path | str | None = None) -> Stored | None:
    """The newest complete backup (for a status page)."""
    found = list_backups(root or settings.BACKUP_DIR)
    return found[-1] if found else None
