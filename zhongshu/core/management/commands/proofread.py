"""`zhongshu proofread [--json] [--fix] [--doc-type TYPE] PATH...` — the 校对 engine's CLI (zhongshu.proofread.cli)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "公文校对：检查 .txt/.docx 或标准输入（-）中的标点、数字、格式、错别字等问题"

    def run_from_argv(self, argv):
        # argv = ["zhongshu", "proofread", ...]: hand everything after the command name to the library's CLI,
        # which owns the options, the output format and the exit codes (0 clean, 1 errors, 2 bad usage).
        from zhongshu.proofread.cli import main

        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv never reaches it
        raise NotImplementedError
