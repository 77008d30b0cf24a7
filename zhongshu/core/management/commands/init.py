from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhongshu.core.errors import ServiceError
from zhongshu.core.jobs import ensure_schedules
from zhongshu.org import services
from zhongshu.org.models import Organization


class Command(BaseCommand):
    help = "准备生产实例：迁移数据库、收集静态文件、建立本单位、安排定时任务（不创建任何默认密码的账号）"

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="本单位全称，如“某县人民政府办公室”")
        parser.add_argument("--short-name", help="简称")
        parser.add_argument("--code", help="机构代码（小写字母、数字、连字符）")
        parser.add_argument("--doc-prefix", default="", help="机关代字，如“某政办发”")
        parser.add_argument("--fonds-code", default="", help="全宗号（4 位）")
        parser.add_argument("--skip-static", action="store_true")
        parser.add_argument("--setup-roles", action="store_true",
                            help="PostgreSQL：用 DATABASE_OWNER_URL 的所有者角色迁移，并为 DATABASE_URL 的运行角色授权（无 TRUNCATE/ALTER，审计表只读写入）")

    def handle(self, *args, **o):
        from django.conf import settings

        owner = "owner" if getattr(settings, "DATABASE_OWNER_URL", "") else "default"
        call_command("migrate", interactive=False, verbosity=0, database=owner)
        if o["setup_roles"]:
            from django.db import connections

            from zhongshu.core.dbroles import runtime_role_from_url, setup_runtime_role

            if owner != "owner" or connections[owner].vendor != "postgresql":
                raise CommandError("--setup-roles 需要 PostgreSQL 并设置 DATABASE_OWNER_URL（所有者角色）。")
            with connections[owner].cursor() as cursor:
                setup_runtime_role(cursor, runtime_role_from_url(settings.DATABASE_URL))
            self.stdout.write("已为运行角色授权：业务表增删改查，审计表只读写入，无 TRUNCATE、无所有权。")
        if not o["skip_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        ensure_schedules()
        # the one inbox is derived data: backfill it from every task source (nothing to do on a new database)
        call_command("inbox", "rebuild", verbosity=0, stdout=self.stdout)
        if o["organization"]:
            if not (o["short_name"] and o["code"]):
                raise CommandError("建立本单位需同时提供 --short-name 和 --code。")
            if Organization.objects.filter(code=o["code"]).exists():
                self.stdout.write("本单位已存在，未作改动。")
            else:
                try:
                    with transaction.atomic():
                        services.organization_create(actor=None, name=o["organization"], short_name=o["short_name"], code=o["code"], doc_prefix=o["doc_prefix"], fonds_code=o["fonds_code"])
                except ServiceError as exc:
                    raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS("实例已就绪。下一步：用 `zhongshu createadmin 登录名 --name 姓名 --role system`（以及 security、audit）分别创建三员账号。"))
