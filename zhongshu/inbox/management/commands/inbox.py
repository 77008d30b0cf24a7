from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "待办待阅：rebuild 按各模块登记的事项来源重新计算全部待办、待阅。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, **options):
        from zhongshu.inbox.registry import rebuild

        with transaction.atomic():
            out = rebuild(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"已重建待办待阅：{sum(out.values())} 处变化。"))
