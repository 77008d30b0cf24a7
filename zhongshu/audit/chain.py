"""Hashing for the audit chain: SM3 where OpenSSL provides it, SHA-256 otherwise (recorded per entry)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes

GENESIS = "0" * 64


def _sm3_available() -> bool:
    try:
        h = hashes.Hash(hashes.SM3())
        h.update(b"abc")
        h.finalize()
        return True
    except Exception:  # UnsupportedAlgorithm on OpenSSL builds without SM3
        return False


SM3_AVAILABLE = _sm3_available()
DEFAULT_ALGO = "SM3" if SM3_AVAILABLE else "SHA256"


def digest(algo: str, data: bytes) -> str:
    if algo == "SM3":
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    if algo == "SHA256":
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"未知的摘要算法：{algo}")


def canonical(fields: dict[str, Any]) -> bytes:
    """Deterministic bytes for hashing; survives a database round trip (jsonb reorders keys)."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


HASHED_FIELDS = (
    "seq", "created_at", "actor_id", "actor_name", "on_behalf_of_id", "on_behalf_of_name", "organization_id",
    "ip", "action", "target_type", "target_id", "target_repr", "classification", "before", "after", "note",
    "hash_algo", "prev_hash",
)


def entry_payload(entry) -> dict[str, Any]:
    data = {name: getattr(entry, name) for name in HASHED_FIELDS}
    data["created_at"] = entry.created_at.isoformat(timespec="microseconds") if entry.created_at else None
    return data


def entry_hash(entry) -> str:
    return digest(entry.hash_algo, canonical(entry_payload(entry)))
