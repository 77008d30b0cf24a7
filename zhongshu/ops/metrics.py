"""Prometheus metrics through prometheus_client (the project's well-kept client library).

Per process: requests and latency (ops.middleware), job outcomes (django-q's post_execute_in_worker signal). Under
`zhongshu serve` every gunicorn process and the worker write to PROMETHEUS_MULTIPROC_DIR (prepared by
`prepare_metrics_dir`) and /metrics sums them (MultiProcessCollector). At scrape time `StateCollector` adds what the
database knows: queue depth, stored failed jobs, live workers and the age of the freshest heartbeat.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("zhongshu_http_requests_total", "HTTP 请求数", ["method", "view", "status"])
LATENCY = Histogram(
    "zhongshu_http_request_duration_seconds", "HTTP 请求耗时（秒）", ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)
JOBS = Counter("zhongshu_jobs_total", "后台任务执行次数", ["result"])


def prepare_metrics_dir(env: dict[str, str], instance: str = "default") -> str | None:
    """For `zhongshu serve`: a fresh multiprocess directory per instance (its bind address: two app servers on one
    host keep apart) in env; kept as it is if the environment names one."""
    if not getattr(settings, "METRICS_ENABLED", True):
        return None
    path = env.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        path = str(Path(settings.VAR_DIR) / "prometheus" / "".join(c if c.isalnum() else "_" for c in instance))
        shutil.rmtree(path, ignore_errors=True)  # the values of the last run are stale
        env["PROMETHEUS_MULTIPROC_DIR"] = path
    os.makedirs(path, exist_ok=True)
    return path


def _job_done(sender, task=None, **kwargs) -> None:
    if task is not None:
        JOBS.labels("success" if task.get("success") else "failure").inc()


def _connect() -> None:
    try:
        from django_q.signals import post_execute_in_worker
    except ImportError:  # an older django-q
        return
    post_execute_in_worker.connect(_job_done, dispatch_uid="zhongshu.ops.metrics.jobs")


_connect()


class StateCollector:
    """Gauges read at scrape time (cheap queries)."""

    def collect(self):
        from . import health

        state = health.queue_state()
        depth = GaugeMetricFamily("zhongshu_queue_depth", "队列中等待执行的任务数")
        depth.add_metric([], state.get("depth", 0) or 0)
        yield depth
        failed = GaugeMetricFamily("zhongshu_jobs_failed_stored", "保存的失败任务数（运行状态页可重试）")
        failed.add_metric([], state.get("failed", 0) or 0)
        yield failed
        workers = health.worker_state()
        alive = GaugeMetricFamily("zhongshu_workers_alive", "心跳新鲜的后台任务监护进程数")
        alive.add_metric([], workers["alive"])
        yield alive
        if workers["age"] is not None:
            age = GaugeMetricFamily("zhongshu_worker_heartbeat_age_seconds", "最近一次后台任务心跳距今秒数")
            age.add_metric([], workers["age"])
            yield age


def exposition() -> bytes:
    """The text exposition: this process (or every process, in multiprocess mode) plus the database's gauges."""
    state = CollectorRegistry()
    state.register(StateCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry) + generate_latest(state)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY) + generate_latest(state)
