"""`zhongshu search reindex [--kind K]` — rebuild the full-text index with a progress bar."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "全文检索：reindex 重建索引（可用 --kind 只重建一类）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="reindex")
        reindex = sub.add_parser("reindex", help="重建全文检索索引")
        reindex.add_argument("--kind", help="只重建这一类（如 outgoing、incoming）")

    def handle(self, *args, **options):
        from zhongshu.search.indexing import reindex
        from zhongshu.search.registry import SOURCES

        kind = options.get("kind")
        if kind and kind not in SOURCES:
            raise CommandError(f"未知的类型：{kind}。可用：" + "、".join(sorted(SOURCES)))
        tty = sys.stdout.isatty()

        def progress(label: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            line = f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if tty:
                self.stdout.write("\r" + line, ending="\n" if done >= total else "")
            elif done >= total or done == 0 or done % 1000 == 0:
                self.stdout.write(line)
            self.stdout.flush()

        counts = reindex(kind, progress=progress)
        self.stdout.write(self.style.SUCCESS("索引已重建：" + "，".join(f"{SOURCES[k].label} {n} 件" for k, n in counts.items())))
