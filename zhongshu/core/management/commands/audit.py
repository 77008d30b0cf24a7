from django.core.management.base import BaseCommand, CommandError

from zhongshu.audit.chain import DEFAULT_ALGO
from zhongshu.audit.services import verify


class Command(BaseCommand):
    help = "审计日志：`zhongshu audit verify` 校验哈希链，报告第一处被篡改或缺失的记录"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **opts):
        result = verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {result.checked} 条记录（当前摘要算法 {DEFAULT_ALGO}）。"))
            return
        raise CommandError(f"审计链异常：{result.problem}（第一处问题在第 {result.first_bad_seq} 条；此前 {result.checked} 条正常）")
