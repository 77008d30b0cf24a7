from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhongshu.audit import anchors
from zhongshu.audit.chain import DEFAULT_ALGO
from zhongshu.audit.services import verify


class Command(BaseCommand):
    help = (
        "审计日志：`zhongshu audit verify [--anchors FILE]` 校验哈希链和锚点，报告第一处被篡改或缺失的记录；"
        "`zhongshu audit anchor` 把链头的签名检查点追加到锚点文件（及 syslog）"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("--anchors", dest="anchors_file", help="锚点文件（默认 AUDIT_ANCHOR_FILE）")
        parser.add_argument("--force", action="store_true", help="anchor：链头未变化也写一行")

    def handle(self, *args, action, anchors_file: str | None = None, force: bool = False, **opts):
        path = anchors_file or settings.AUDIT_ANCHOR_FILE
        if action == "anchor":
            written = anchors.write_anchor(force=force, path=path)
            if written is None:
                self.stdout.write(f"链头未变化（第 {anchors.last_anchor(path)['seq']} 条），未写锚点。")
            else:
                self.stdout.write(self.style.SUCCESS(f"已写入锚点：第 {written['seq']} 条，共 {written['count']} 条记录 → {path}"))
            return
        result = verify()
        if not result.ok:
            raise CommandError(
                f"审计链异常：{result.problem}（第一处问题在第 {result.first_bad_seq} 条；此前 {result.checked} 条正常）"
            )
        checked = anchors.check(path)
        if not checked.ok:
            raise CommandError("审计锚点校验失败：\n" + "\n".join(checked.problems))
        self.stdout.write(self.style.SUCCESS(
            f"审计链完整：已校验 {result.checked} 条记录（当前摘要算法 {DEFAULT_ALGO}），{checked.checked} 个锚点一致（{path}）。"
        ))
