"""The checks behind /healthz, /metrics and the 运行状态 page. Each answers a small dict; none carries a secret,
a path or business content."""

from __future__ import annotations

import datetime
import shutil
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


def database_state() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # the probe answers 503 instead of failing
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def queue_mode() -> str:
    if settings.Q_CLUSTER.get("sync"):
        return "inline"
    return "redis" if settings.Q_CLUSTER.get("redis") else "database"


def queue_state() -> dict[str, Any]:
    mode = queue_mode()
    try:
        from django_q.brokers import get_broker
        from django_q.models import Failure

        depth = 0 if mode == "inline" else int(get_broker().queue_size() or 0)
        failed = Failure.objects.count()
    except Exception as exc:  # Redis away, tables missing
        return {"ok": False, "mode": mode, "error": type(exc).__name__}
    return {"ok": True, "mode": mode, "depth": depth, "failed": failed}


def disk_state() -> dict[str, Any]:
    """Free space where the platform writes (stored files, var/); below HEALTH_MIN_FREE_MB it is not healthy."""
    minimum = int(getattr(settings, "HEALTH_MIN_FREE_MB", 512))
    out: dict[str, Any] = {"ok": True, "min_free_mb": minimum, "volumes": {}}
    for name, path in (("media", settings.MEDIA_ROOT), ("var", settings.VAR_DIR)):
        try:
            usage = shutil.disk_usage(path)
        except OSError as exc:
            out["volumes"][name] = {"ok": False, "error": type(exc).__name__}
            out["ok"] = False
            continue
        free_mb = usage.free // (1024 * 1024)
        ok = free_mb >= minimum
        out["volumes"][name] = {"ok": ok, "free_mb": free_mb, "total_mb": usage.total // (1024 * 1024),
                                "used_percent": round(100 * (usage.total - usage.free) / usage.total, 1) if usage.total else 0.0}
        out["ok"] = out["ok"] and ok
    return out


def worker_state() -> dict[str, Any]:
    """Fresh heartbeats of worker supervisors (ops.WorkerHeartbeat); with an inline queue no worker is needed."""
    from .models import WorkerHeartbeat

    stale = int(getattr(settings, "WORKER_STALE_SECONDS", 30))
    now = timezone.now()
    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=now - datetime.timedelta(seconds=stale)).count()
    except Exception as exc:
        return {"ok": False, "alive": 0, "age": None, "error": type(exc).__name__}
    age = round((now - latest).total_seconds(), 1) if latest else None
    inline = queue_mode() == "inline"
    return {"ok": inline or alive > 0, "alive": alive, "age": age, "stale_after": stale, "required": not inline}


def healthz() -> tuple[dict[str, Any], bool]:
    checks = {"database": database_state()}
    if checks["database"]["ok"]:
        checks["queue"] = queue_state()
        checks["worker"] = worker_state()
    else:
        checks["queue"] = {"ok": False, "error": "database"}
        checks["worker"] = {"ok": False, "error": "database"}
    checks["disk"] = disk_state()
    ok = all(c["ok"] for c in checks.values())
    return {"status": "ok" if ok else "fail", "checks": checks}, ok
