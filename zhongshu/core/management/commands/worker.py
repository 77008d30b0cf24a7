from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhongshu.core.jobs import ensure_schedules


class Command(BaseCommand):
    help = "启动后台任务进程（消息发送、每日提醒扫描）；默认用数据库作队列，设置 REDIS_URL 则用 Redis"

    def handle(self, *args, **opts):
        ensure_schedules()
        call_command("qcluster")
