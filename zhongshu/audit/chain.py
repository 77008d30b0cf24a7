"""Hashing for the audit chain.

Entries written since decision 0008 are keyed: `hash = HMAC-SM3(AUDIT_KEY, payload)`, the key held outside the
database (env `AUDIT_KEY` or the file `AUDIT_KEY_FILE`), so someone who can only write the database cannot
recompute a valid chain after editing it. Older entries (plain `SM3`, or `SHA256` where OpenSSL lacks SM3) keep
verifying under their recorded `hash_algo`; once a keyed entry appears, no later entry may fall back to a plain one.
"""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

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
DEFAULT_ALGO = "SM3" if SM3_AVAILABLE else "SHA256"  # plain digest (also used by 档案 transfer manifests)
CHAIN_ALGO = f"HMAC-{DEFAULT_ALGO}"  # what new audit entries and anchors use
KEYED_ALGOS = {"HMAC-SM3": "SM3", "HMAC-SHA256": "SHA256"}


def digest(algo: str, data: bytes) -> str:
    if algo == "SM3":
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    if algo == "SHA256":
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"未知的摘要算法：{algo}")


def audit_key() -> bytes:
    """The chain key (settings.AUDIT_KEY, read from the environment or the key file at start-up)."""
    from django.conf import settings

    key = getattr(settings, "AUDIT_KEY", "")
    if not key:
        raise RuntimeError("未配置审计密钥（AUDIT_KEY 或 AUDIT_KEY_FILE）。")
    return key.encode() if isinstance(key, str) else bytes(key)


def mac(algo: str, data: bytes, key: bytes | None = None) -> str:
    """HMAC-SM3 (or HMAC-SHA256) of data under the audit key."""
    base = KEYED_ALGOS.get(algo)
    if base is None:
        raise ValueError(f"未知的带密钥摘要算法：{algo}")
    key = audit_key() if key is None else key
    if base == "SM3":
        h = crypto_hmac.HMAC(key, hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    return std_hmac.new(key, data, hashlib.sha256).hexdigest()


def chain_digest(algo: str, data: bytes, key: bytes | None = None) -> str:
    """The hash of one entry under its recorded algorithm: keyed for HMAC-*, plain for the old SM3/SHA256."""
    if algo in KEYED_ALGOS:
        return mac(algo, data, key)
    return digest(algo, data)


def is_keyed(algo: str) -> bool:
    return algo in KEYED_ALGOS


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


def entry_hash(entry, key: bytes | None = None) -> str:
    return chain_digest(entry.hash_algo, canonical(entry_payload(entry)), key)


def equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())
