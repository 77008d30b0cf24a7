"""Issue 14 §4 "Done when": every route of the OpenAPI schema, every method, hostile values, a few personas —
never a 5xx, and a refused request (4xx) writes nothing."""

import json
import random
import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    10**30, -(10**30), 2**63, -1, 0, 1.5e308, -0.5, "9" * 40, "-1", "1.5", "\x01\x02标题\x1f", "\ud800", "\ufffe",
    "长" * 20000, "", None, True, [], {}, [1, [2, [3]]], {"a": {"b": 1}}, "2026-13-45", "../../etc/passwd",
    "<script>alert(1)</script>", "' OR 1=1 --", [10**30], ["x", -5],
]
PATH_IDS = ["1", "99999999999999999999999999", "-1", "abc", "0"]
RAW_BODIES = [b"", b"[" * 5000 + b"]" * 5000, b'{"title": "\xff\xfe"}', b"[1, 2, 3]", b"null", b'"just a string"',
              b'{"title": NaN}', b"{" * 70 + b"}" * 70]


def schema_ops():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    comps = schema.get("components", {}).get("schemas", {})

    def props(op):
        body = op.get("requestBody", {}).get("content", {})
        for media in body.values():
            ref = media.get("schema", {}).get("$ref", "")
            comp = comps.get(ref.rsplit("/", 1)[-1], media.get("schema", {}))
            return list(comp.get("properties", {}))
        return []

    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method in ("get", "post", "put", "patch", "delete"):
                query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
                yield path, method, props(op), query


def written():
    from zhongshu.audit.models import AuditEntry
    from zhongshu.core.models import Attachment
    from zhongshu.notices.models import Notice
    from zhongshu.outgoing.models import OutgoingDocument
    from zhongshu.supervision.models import SupervisionItem

    return tuple(m.objects.count() for m in (AuditEntry, Attachment, Notice, OutgoingDocument, SupervisionItem))


@pytest.mark.parametrize("who", ["clerk", "director", "admin"])
def test_api_fuzz_no_5xx_and_refusals_write_nothing(api, people, who):
    rnd = random.Random(20261205)
    client = api(people[who])
    ops = [o for o in schema_ops() if "logout" not in o[0]]
    assert len(ops) > 30
    bad, wrote = [], []
    for path, method, props, query in ops:
        tries = []
        for pid in rnd.sample(PATH_IDS, 1):
            url = re.sub(r"\{[^}]+\}", pid, path)
            if method == "get":
                params = {q: rnd.choice(HOSTILE) for q in rnd.sample(query, min(3, len(query)))}
                params = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in params.items()}
                qs = "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in params.items())
                tries.append((url + ("?" + qs if qs else ""), None, None))
                continue
            body = {p: rnd.choice(HOSTILE) for p in props}
            tries.append((url, json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"), None))
            tries.append((url, rnd.choice(RAW_BODIES), None))
        for url, raw, params in tries:
            before = written() if method != "get" else None
            if method == "get":
                r = client.get(url)
            else:
                r = getattr(client, method)(url, raw, content_type="application/json")
            if r.status_code >= 500:
                bad.append((method, url, r.status_code, (raw or b"")[:80]))
            elif 400 <= r.status_code < 500 and before is not None and written() != before:
                wrote.append((method, url, r.status_code))
    assert bad == []
    assert wrote == []
