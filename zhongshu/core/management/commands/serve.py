"""`zhongshu serve`: gunicorn (several worker processes) and, optionally, the background worker.

Ctrl-C (SIGINT) or SIGTERM stops both cleanly.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


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
        procs = [subprocess.Popen(web, env=env)]
        if with_worker:
            procs.append(subprocess.Popen([sys.executable, "-m", "zhongshu", "worker"], env=env))
        self.stdout.write(f"中枢已启动：http://{bind}/  （数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}；按 Ctrl-C 停止）")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        banner_at = time.time() + 4 if os.environ.get("ZHONGSHU_DEMO_BANNER") else None
        try:
            while not stopping and all(p.poll() is None for p in procs):
                time.sleep(0.5)
                if banner_at and time.time() > banner_at:
                    banner_at = None
                    self._demo_banner(bind)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.time() + 15
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
            self.stdout.write("中枢已停止。")

    def _demo_banner(self, bind: str) -> None:
        # The worker's console e-mails scroll the logins away; repeat them once the platform is up.
        from zhongshu.demo.builder import DEMO_PASSWORD, LOGINS

        lines = [f"\n中枢演示已就绪：http://{bind}/   密码（仅供演示）：{DEMO_PASSWORD}"]
        lines += [f"  {login:<10} {role}" for login, role, _ in LOGINS]
        self.stdout.write("\n".join(lines) + "\n按 Ctrl-C 停止。\n")
