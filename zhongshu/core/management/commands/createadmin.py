import getpass

from django.core.management.base import BaseCommand, CommandError

from zhongshu.core.errors import ServiceError
from zhongshu.org import services
from zhongshu.org.models import Organization
from zhongshu.org.roles import AdminRole


class Command(BaseCommand):
    help = "创建三员账号之一（系统管理员/安全保密管理员/安全审计员）；密码交互输入，不设默认密码"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="真实姓名")
        parser.add_argument("--role", required=True, choices=AdminRole.values, help="system / security / audit")
        parser.add_argument("--organization", help="所属机关代码（默认第一个机关）")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（用于脚本）")

    def handle(self, *args, username, name, role, organization, password_stdin, **opts):
        org = Organization.objects.filter(code=organization).first() if organization else Organization.objects.order_by("order", "id").first()
        if org is None:
            raise CommandError("找不到机关：请先用 `zhongshu init` 建立本单位，或用 --organization 指定机关代码。")
        if password_stdin:
            import sys

            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入：") :
                raise CommandError("两次输入的密码不一致。")
        try:
            user = services.user_create(actor=None, organization=org, username=username, real_name=name, password=password, must_change_password=False)
            services.user_set_admin_role(actor=None, user=user, admin_role=role)
        except ServiceError as exc:
            details = "；".join(m for msgs in exc.fields.values() for m in msgs)
            raise CommandError(f"{exc.message}{('（' + details + '）') if details and details not in exc.message else ''}")
        self.stdout.write(self.style.SUCCESS(f"已创建{AdminRole(role).label} {username}。首次登录须绑定动态口令。"))
