"""Anchors: signed checkpoints of the audit chain head, written outside the database (decision 0008).

One line per checkpoint, JSON: {"seq", "hash", "count", "time", "algo", "mac"}; `mac` is HMAC-SM3 (the chain's
keyed algorithm) under the audit key over the other fields. A database writer without the key cannot forge a line,
and a writer without access to the anchor file (another disk, remote syslog) cannot remove one. `check()` then
catches what the chain alone cannot: the newest rows deleted with the head rewound, and a chain recomputed after an
edit (with the plain digest or a wrong key) — the anchored (seq, hash) pairs no longer match.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .chain import CHAIN_ALGO, canonical, equal, mac
from .models import AuditEntry, ChainHead

log = logging.getLogger(__name__)
SIGNED = ("seq", "hash", "count", "time", "algo")


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def sign(fields: dict) -> str:
    return mac(fields["algo"], canonical({k: fields[k] for k in SIGNED}))


def read(path: Path | None = None) -> list[tuple[int, dict | None, str]]:
    """(line number, parsed anchor or None when unreadable, raw line) for every non-empty line."""
    path = anchor_path() if path is None else Path(path)
    if not path.exists():
        return []
    out: list[tuple[int, dict | None, str]] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or any(k not in data for k in (*SIGNED, "mac")):
                data = None
        except ValueError:
            data = None
        out.append((n, data, raw))
    return out


def last_anchor(path: Path | None = None) -> dict | None:
    for _n, data, _raw in reversed(read(path)):
        if data is not None:
            return data
    return None


def _syslog(line: str) -> None:
    address = getattr(settings, "AUDIT_ANCHOR_SYSLOG_ADDRESS", "/dev/log")
    if ":" in address and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        target: str | tuple[str, int] = (host, int(port))
    else:
        target = address
    handler = logging.handlers.SysLogHandler(address=target)
    try:
        record = logging.LogRecord("zhongshu.audit.anchor", logging.WARNING, __file__, 0, "zhongshu-audit-anchor %s", (line,), None)
        handler.emit(record)
    finally:
        handler.close()


def write_anchor(*, force: bool = False, path: Path | None = None) -> dict | None:
    """Append a signed checkpoint of the current head; None when the head has not moved since the last anchor
    (unless `force`). The file is opened for append and fsynced."""
    path = anchor_path() if path is None else Path(path)
    head = ChainHead.objects.filter(id=1).first()
    seq, head_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    last = last_anchor(path)
    if not force and last is not None and last.get("seq") == seq and last.get("hash") == head_hash:
        return None
    fields = {
        "seq": seq, "hash": head_hash, "count": AuditEntry.objects.count(),
        "time": timezone.now().isoformat(timespec="seconds"), "algo": CHAIN_ALGO,
    }
    fields["mac"] = sign(fields)
    line = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if getattr(settings, "AUDIT_ANCHOR_SYSLOG", False):
        try:
            _syslog(line)
        except OSError:
            log.exception("audit anchor: syslog write failed")
    return fields


def anchor_job() -> str:
    """The periodic job (every AUDIT_ANCHOR_MINUTES): an anchor only when the head moved."""
    written = write_anchor()
    return f"已写入审计锚点：第 {written['seq']} 条" if written else "链头未变化，未写锚点"


@dataclass
class AnchorCheck:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(path: Path | None = None) -> AnchorCheck:
    """Every anchor must be genuine, its (seq, hash) still in the database, and the head not behind the last one."""
    path = anchor_path() if path is None else Path(path)
    result = AnchorCheck()
    head = ChainHead.objects.filter(id=1).first()
    head_seq = head.last_seq if head else 0
    newest = 0
    for n, data, _raw in read(path):
        if data is None:
            result.problems.append(f"锚点文件第 {n} 行无法解析（可能被篡改）")
            continue
        try:
            genuine = equal(sign(data), str(data["mac"]))
        except (ValueError, KeyError, TypeError):
            genuine = False
        if not genuine:
            result.problems.append(f"锚点文件第 {n} 行签名无效（伪造的锚点）")
            continue
        result.checked += 1
        seq, want = int(data["seq"]), str(data["hash"])
        newest = max(newest, seq)
        if seq == 0:
            continue
        entry = AuditEntry.objects.filter(seq=seq).only("seq", "hash").first()
        if entry is None:
            result.problems.append(
                f"锚点（第 {n} 行，{data['time']}）记录的第 {seq} 条审计记录已不存在（末尾记录被删除或整表被清空）"
            )
        elif not equal(entry.hash, want):
            result.problems.append(
                f"锚点（第 {n} 行，{data['time']}）记录的第 {seq} 条摘要与数据库不符（审计链被改写后重新计算）"
            )
    if newest > head_seq:
        result.problems.append(f"链头只到第 {head_seq} 条，落后于最后一个锚点的第 {newest} 条（链头被回退）")
    return result
