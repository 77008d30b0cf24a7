"""`zhongshu restore PATH [--force] [--verify-only]` — verify a backup, then restore it into this instance (core/backup.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhongshu.core import backup


class Command(BaseCommand):
    help = (
        "恢复：先校验清单（被改动、缺失或多出的文件逐一列出并拒绝），恢复到空实例（非空须加 --force），"
        "按需执行迁移，重建全文索引，最后校验审计链"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份目录（zhongshu-YYYYMMDD-HHMMSS）")
        parser.add_argument("--force", action="store_true", help="目标实例非空时也覆盖（原有数据将被替换）")
        parser.add_argument("--verify-only", action="store_true", help="只校验备份，不恢复")

    def handle(self, *args, path, force=False, verify_only=False, **opts):
        try:
            if verify_only:
                checked = backup.verify_backup(path)
                if not checked.ok:
                    raise CommandError("备份校验未通过：\n" + "\n".join("  - " + p for p in checked.problems))
                self.stdout.write(self.style.SUCCESS(f"备份完好：{len(checked.manifest['files'])} 个文件与清单一致。"))
                return
            result = backup.restore_backup(path, force=force, say=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        if not result.audit_ok:
            raise CommandError("数据已恢复，但审计链校验未通过（见上）。")
        self.stdout.write(self.style.SUCCESS("恢复完成。"))
