from django.core.management.base import BaseCommand

from zhongshu.demo.builder import DEMO_PASSWORD, LOGINS, already_built, build


class Command(BaseCommand):
    help = "载入演示县（某县）：两办、20 个县直部门和乡镇、约 80 人（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="不打印演示账号")

    def handle(self, *args, **opts):
        if already_built():
            self.stdout.write("演示数据已存在，未作改动。")
        else:
            counts = build()
            self.stdout.write(self.style.SUCCESS(f"演示县已建立：机关 {counts['organizations']} 个，人员 {counts['people']} 人，通讯录 {counts['external']} 条。"))
        if not opts["quiet_logins"]:
            self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：")
            for login, role, note in LOGINS:
                self.stdout.write(f"  {login:<10} {role}{'（' + note + '）' if note else ''}")
