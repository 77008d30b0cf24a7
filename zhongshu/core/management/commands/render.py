"""`zhongshu render --format pdf|docx INPUT.json -o OUTPUT` — the GB/T 9704 renderer's CLI (zhongshu.render.cli)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "按 GB/T 9704 排版公文：由 JSON 输入生成 PDF 或 DOCX（输入格式见 docs/render-input.md）"

    def run_from_argv(self, argv):
        from zhongshu.render.cli import main

        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv never reaches it
        raise NotImplementedError
