"""Keeping the background worker alive (issue 19 §2).

`zhongshu worker` runs django-q's cluster (`zhongshu qcluster`) as a child process in its own process group and
watches it: the cluster's own sentinel replaces a killed task process within a second, but nothing replaced a killed
sentinel or cluster — the queue then stood still while the web server noticed nothing. The supervisor counts the
cluster's live processes (from /proc) every second; when the cluster is gone, or incomplete for longer than
WORKER_GRACE_SECONDS, it kills the whole process group and starts a new cluster. While the cluster is complete it
writes its heartbeat (ops.WorkerHeartbeat) every WORKER_HEARTBEAT_SECONDS for /healthz, /metrics and 运行状态, and
every RECOVERY_SECONDS it runs the recovery hooks (core.jobs.recover) that queue again multi-step work whose runner
died. `zhongshu serve` restarts a dead gunicorn or worker supervisor the same way (`Child`).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("zhongshu.supervisor")


def live_descendants(pid: int) -> int:
    """How many live (not zombie) processes descend from `pid`, read from /proc; -1 where there is no /proc."""
    if not os.path.isdir("/proc"):
        return -1
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] in ("Z", "X"):
            continue
        children[int(fields[1])].append(int(entry))
    count, todo = 0, list(children.get(pid, []))
    while todo:
        p = todo.pop()
        count += 1
        todo.extend(children.get(p, []))
    return count


class Child:
    """A child process started again when it dies, in its own process group (so everything it spawned goes with
    it); gives up after `max_quick` deaths in a row each within `quick` seconds of its start."""

    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None, *, quick: float = 5.0, max_quick: int = 5):
        self.name, self.argv, self.env = name, list(argv), env
        self.quick, self.max_quick = quick, max_quick
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.restarts = 0
        self.quick_deaths = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env, start_new_session=True)
        self.started = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self, reason: str) -> bool:
        """Kill what is left of the group and start again; False when it keeps dying at once (give up)."""
        self.kill_group(signal.SIGKILL)
        self.quick_deaths = self.quick_deaths + 1 if time.monotonic() - self.started < self.quick else 0
        if self.quick_deaths >= self.max_quick:
            log.critical("%s 连续 %d 次启动后立即退出，放弃重启：%s", self.name, self.quick_deaths, reason)
            return False
        self.restarts += 1
        log.critical("%s 异常（%s），第 %d 次重启", self.name, reason, self.restarts)
        self.start()
        return True

    def kill_group(self, sig: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)
        if sig == signal.SIGKILL:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM (django-q and gunicorn finish what they run), then SIGKILL for the whole group."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill_group(signal.SIGKILL)


class WorkerSupervisor:
    def __init__(self, *, argv: Sequence[str] | None = None, workers: int | None = None, out: Callable[[str], None] = print):
        self.workers = workers or int(settings.Q_CLUSTER.get("workers", 2))
        self.expected = self.workers + 3  # django-q: the sentinel, its pusher and monitor, one process per worker
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "zhongshu.settings")}
        self.cluster = Child("后台任务集群", argv or [sys.executable, "-m", "zhongshu", "qcluster"], env)
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:120]
        self.started_at = timezone.now()
        self.heartbeat_every = float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 2))
        self.grace = float(getattr(settings, "WORKER_GRACE_SECONDS", 5))
        self.startup = float(getattr(settings, "WORKER_STARTUP_SECONDS", 30))
        self.recovery_every = float(getattr(settings, "RECOVERY_SECONDS", 60))
        self.out = out
        self.stopping = False
        self._short_since: float | None = None
        self._complete_once = False
        self._last_beat = 0.0
        self._last_recovery = 0.0

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        self.cluster.start()
        self.out(f"后台任务监护进程已启动（{self.name}，集群进程 {self.cluster.pid}）")
        code = 0
        try:
            while not self.stopping:
                if not self.step():
                    code = 1
                    break
                time.sleep(0.5)
        finally:
            self.cluster.stop()
            self._forget()
            self.out("后台任务监护进程已停止。")
        return code

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def step(self) -> bool:
        """One look at the cluster: restart it if it is gone or incomplete for too long; heartbeat; recovery."""
        now = time.monotonic()
        if not self.cluster.alive():
            return self._restart("集群进程已退出")
        live = live_descendants(self.cluster.pid or 0)
        complete = live < 0 or live >= self.expected
        if complete:
            self._short_since = None
            self._complete_once = True
        else:
            self._short_since = self._short_since or now
            allowance = self.grace if self._complete_once else self.startup
            if now - self._short_since > allowance:
                return self._restart(f"集群只剩 {live}/{self.expected} 个进程")
        if complete and now - self._last_beat >= self.heartbeat_every:
            self._beat(live)
            self._last_beat = now
        if complete and now - self._last_recovery >= self.recovery_every:
            self._last_recovery = now
            self._recover()
        return True

    def _restart(self, reason: str) -> bool:
        self._short_since, self._complete_once = None, False
        ok = self.cluster.restart(reason)
        self._last_recovery = 0.0  # recover as soon as the new cluster is complete
        return ok

    def _beat(self, live: int) -> None:
        from .models import WorkerHeartbeat

        try:
            close_old_connections()
            now = timezone.now()
            WorkerHeartbeat.objects.update_or_create(
                name=self.name,
                defaults={"host": socket.gethostname()[:100], "pid": os.getpid(), "cluster_pid": self.cluster.pid, "processes": max(live, 0),
                          "expected": self.expected, "restarts": self.cluster.restarts, "started_at": self.started_at, "seen_at": now},
            )
            WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
        except Exception:  # the database may be away for a moment: the next beat tries again
            log.exception("worker heartbeat not written")

    def _recover(self) -> None:
        from zhongshu.core.jobs import recover

        try:
            close_old_connections()
            results = recover()
            if any(v not in ("0", "None") for v in results.values()):
                log.warning("recovery: %s", results)
        except Exception:
            log.exception("recovery failed")

    def _forget(self) -> None:
        from .models import WorkerHeartbeat

        try:
            WorkerHeartbeat.objects.filter(name=self.name).delete()
        except Exception:
            log.exception("worker heartbeat not removed")
