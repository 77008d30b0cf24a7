"""`zhongshu serve`: gunicorn (several worker processes) and, optionally, the background worker.

Ctrl-C (SIGINT) or SIGTERM stops both cleanly; either one that dies is started again (zhongshu/ops/supervisor.py).
"""

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from zhongshu.ops.metrics import prepare_metrics_dir
from zhongshu.ops.supervisor import Child


class Command(BaseCommand):
    help = "启动生产 Web 服务（gunicorn 多进程 + whitenoise 静态文件），可同时启动后台任务进程"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="监听地址，默认 127.0.0.1:$PORT（PORT 默认 8000）")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--with-worker", action="store_true", help="同时启动后台任务进程")

    def handle(self, *args, bind, workers, with_worker, **opts):
        bind = bind or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "zhongshu.settings")}
        web = [sys.executable, "-m", "gunicorn", "zhongshu.wsgi:application", "--bind", bind, "--workers", str(max(1, workers)),
               "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60"]
        metrics_dir = prepare_metrics_dir(env, bind)
        web += ["--config", "python:zhongshu.ops.gunicorn_conf"]
        children = [Child("Web 服务", web, env)]
        if with_worker:
            children.append(Child("后台任务监护进程", [sys.executable, "-m", "zhongshu", "worker"], env))
        for child in children:
            child.start()
        self.stdout.write(f"中枢已启动：http://{bind}/  （数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}；按 Ctrl-C 停止）")
        if metrics_dir:
            self.stdout.write(f"Prometheus 多进程指标目录：{metrics_dir}")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        banner_at = time.time() + 4 if os.environ.get("ZHONGSHU_DEMO_BANNER") else None
        code = 0
        try:
            while not stopping:
                time.sleep(0.5)
                # A child that died (kill -9, out of memory) is started again at once; one that dies right after every
                # start gives up the whole service (systemd then restarts and reports it).
                for child in children:
                    if not stopping and not child.alive() and not child.restart(f"退出码 {child.proc.returncode if child.proc else '?'}"):
                        stopping, code = True, 1
                if banner_at and time.time() > banner_at:
                    banner_at = None
                    self._demo_banner(bind)
        finally:
            for child in children:
                child.stop(timeout=15)
            self.stdout.write("中枢已停止。")
        if code:
            sys.exit(code)

    def _demo_banner(self, bind: str) -> None:
        # The worker's console e-mails scroll the logins away; repeat them once the platform is up.
        from zhongshu.demo.builder import DEMO_PASSWORD, LOGINS

        lines = [f"\n中枢演示已就绪：http://{bind}/   密码（仅供演示）：{DEMO_PASSWORD}"]
        lines += [f"  {login:<10} {role}" for login, role, _ in LOGINS]
        self.stdout.write("\n".join(lines) + "\n按 Ctrl-C 停止。\n")
