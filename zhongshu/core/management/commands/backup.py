"""`zhongshu backup [--to DIR] [--encrypt] [--prune]` — a consistent backup while the platform runs (core/backup.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhongshu.core import backup


class Command(BaseCommand):
    help = (
        "备份：数据库一致性快照（SQLite 在线备份 / PostgreSQL pg_dump -Fc）、附件等存储文件、全文检索设置，"
        "以及带 SM3 摘要的清单；--encrypt 用环境变量 ZHONGSHU_BACKUP_KEY 加密"
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="备份存放目录（默认 BACKUP_DIR）")
        parser.add_argument("--encrypt", action="store_true", help="加密（AES-256-GCM 或 SM4-GCM，密钥取自 ZHONGSHU_BACKUP_KEY）")
        parser.add_argument("--prune", action="store_true", help="备份后按保留规则清理定时备份（BACKUP_KEEP_DAILY/MONTHLY）")

    def handle(self, *args, to=None, encrypt=False, prune=False, **opts):
        try:
            made = backup.create_backup(to or settings.BACKUP_DIR, encrypt=encrypt)
            removed = backup.prune(to or settings.BACKUP_DIR) if prune else []
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        for line in made.notes:
            self.stderr.write(line)
        m = made.manifest
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{made.path}（{m['database']['vendor']}，{len(m['tables'])} 张表 {sum(m['tables'].values())} 行，"
            f"{len(m['files'])} 个文件，{'已加密 ' + m['encryption']['cipher'] if m['encryption'] else '未加密'}）"
        ))
        for path in removed:
            self.stdout.write(f"按保留规则删除：{path}")
