import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhongshu.core.jobs import ensure_schedules


class Command(BaseCommand):
    help = "启动后台任务进程（消息发送、每日提醒扫描）；默认用数据库作队列，设置 REDIS_URL 则用 Redis。监护进程发现任务集群异常退出时几秒内重启它"

    def add_arguments(self, parser):
        parser.add_argument("--no-supervisor", action="store_true", help="不启用监护进程，直接运行 django-q 集群")

    def handle(self, *args, no_supervisor=False, **opts):
        ensure_schedules()
        if no_supervisor:
            call_command("qcluster")
            return
        from zhongshu.ops.supervisor import WorkerSupervisor

        code = WorkerSupervisor(out=self.stdout.write).run()
        if code:
            sys.exit(code)
