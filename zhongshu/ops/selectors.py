"""Reads of the 运行状态 page (系统管理员). No business content: jobs are shown by function and error type only."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

JOB_NAMES = {
    "zhongshu.notify.tasks.deliver_email": "发送邮件提醒",
    "zhongshu.notify.tasks.deliver_webhook": "推送群机器人",
    "zhongshu.search.indexing.index_object": "更新全文索引",
    "zhongshu.search.indexing.remove_object": "删除全文索引条目",
    "zhongshu.archives.batch.batch_run": "年终集中归档",
    "zhongshu.core.jobs.run_daily": "每日提醒扫描",
    "zhongshu.audit.anchors.anchor_job": "审计链锚点",
}


def job_label(func: str, args: Any) -> str:
    """The job's Chinese name; `enqueue` runs everything through core.jobs.run_job(func_path, request_id, …)."""
    if func == "zhongshu.core.jobs.run_job" and args:
        func = str(list(args)[0])
    return JOB_NAMES.get(func, func.rsplit(".", 1)[-1])


def error_type(result: Any) -> str:
    """Only the exception's type (its message may quote business content a 三员 must not read)."""
    text = str(result or "").strip()
    last = text.splitlines()[-1] if text else ""
    kind = last.split(":", 1)[0].strip()
    return kind if kind and " " not in kind and len(kind) <= 80 else "错误"


def failed_jobs(limit: int = 50) -> list[dict[str, Any]]:
    from django_q.models import Failure

    rows = Failure.objects.order_by("-stopped")[:limit]
    return [{"id": f.id, "label": job_label(f.func, f.args), "stopped": f.stopped, "attempts": f.attempt_count, "error": error_type(f.result)}
            for f in rows]


def recent_job_counts(hours: int = 24) -> dict[str, int]:
    from django.utils import timezone
    from django_q.models import Task

    since = timezone.now() - datetime.timedelta(hours=hours)
    counts = dict(Task.objects.filter(stopped__gte=since).values_list("success").annotate(n=Count("id")).values_list("success", "n"))
    return {"success": counts.get(True, 0), "failure": counts.get(False, 0)}


def workers() -> list:
    from .models import WorkerHeartbeat

    return list(WorkerHeartbeat.objects.all()[:20])


def last_backup() -> dict[str, Any] | None:
    """The last backup, from BACKUP_STATUS_FILE (JSON with "finished_at", or any file: its time); None = 未配置.
    Unconfirmed: the file written by `zhongshu backup` (issue 19 §1) — adjust the setting to what it writes."""
    path = getattr(settings, "BACKUP_STATUS_FILE", None)
    if not path or not Path(path).is_file():
        return None
    p = Path(path)
    info: dict[str, Any] = {"at": datetime.datetime.fromtimestamp(p.stat().st_mtime, tz=datetime.UTC)}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            info["at"] = datetime.datetime.fromisoformat(str(data.get("finished_at") or data.get("created_at"))) if (
                data.get("finished_at") or data.get("created_at")) else info["at"]
            info["ok"] = data.get("ok", True)
    except (ValueError, OSError):
        pass
    return info


def index_freshness() -> list[dict[str, Any]]:
    """Per indexed kind: rows in the index, objects in the business table, the last indexing time."""
    from zhongshu.search.models import SearchEntry
    from zhongshu.search.registry import SOURCES

    stats = {k: (n, last) for k, n, last in SearchEntry.objects.values("kind").annotate(n=Count("id"), last=Max("indexed_at"))
             .values_list("kind", "n", "last")}
    out = []
    for kind, source in sorted(SOURCES.items()):
        n, last = stats.get(kind, (0, None))
        total = source.model._default_manager.count()
        out.append({"kind": kind, "label": source.label, "indexed": n, "objects": total, "missing": max(0, total - n), "last": last})
    return out
