"""`zhongshu seating INPUT.json [-o OUT.json|OUT.pdf|OUT.docx] [--cards CARDS.pdf]` — protocol seating (zhongshu.seating.cli)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "按礼宾规则排座次（主席台、会场、宴请、合影、会谈），输出 JSON、PDF 座次图、DOCX 或桌签（见 docs/seating.md）"

    def run_from_argv(self, argv):
        # argv = ["zhongshu", "seating", ...]: the library's CLI owns the options, outputs and exit codes
        # (0 ok, 1 an edited chart breaks the rule, 2 bad usage or bad input).
        from zhongshu.seating.cli import main

        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv never reaches it
        raise NotImplementedError
