from django.core.management.base import BaseCommand, CommandError

from zhongshu.archives.transfer import verify_package


class Command(BaseCommand):
    help = "档案：`zhongshu archives verify PATH` 校验移交包（文件夹或 zip），逐一列出被篡改、缺失或清单外的文件"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("path", help="移交包文件夹或 zip 文件")

    def handle(self, *args, action, path, **opts):
        report = verify_package(path)
        if report.problem:
            raise CommandError(f"无法校验：{report.problem}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"校验通过：{report.checked} 个文件与清单一致（{report.algorithm}）。"))
            return
        lines = [f"校验失败（{report.algorithm}，已校验 {report.checked} 个文件）："]
        lines += [f"  被篡改：{p}" for p in report.tampered]
        lines += [f"  缺失：{p}" for p in report.missing]
        lines += [f"  清单外文件：{p}" for p in report.extra]
        raise CommandError("\n".join(lines))
