"""Command line: ``zhongshu seating INPUT.json [-o OUT.json|OUT.pdf|OUT.docx] [--cards CARDS.pdf] [--paper A4|A3]``.

Without ``-o`` the chart goes to standard output as JSON.  The output format follows the extension of OUT.
``--cards`` also writes the 桌签 (tent cards) PDF, one page per person.  An INPUT with a ``chart`` key (an
edited chart in the output shape) is validated instead: the JSON answer lists the seats that break the rule.
Exit status: 0 ok, 1 the edited chart breaks the rule, 2 bad usage or bad input (a Chinese message on stderr).
Keys and examples: docs/seating.md.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import load_json
from .model import SeatingError
from .rules import generate
from .validate import validate


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would sys.exit(2) with an English message; report instead
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zhongshu seating", description="按礼宾规则排座次：主席台、会场、宴请、合影、会谈")
    p.add_argument("input", metavar="INPUT.json", help="输入文件（- 为标准输入）")
    p.add_argument("-o", "--output", help="输出文件：.json 座次数据，.pdf 座次图，.docx 座次表；缺省输出 JSON 到标准输出")
    p.add_argument("--cards", metavar="CARDS.pdf", help="同时生成桌签 PDF（每人一页，对折立放）")
    p.add_argument("--paper", choices=("A4", "A3"), help="座次图纸张（横向），缺省 A4，大型会场 A3")
    return p


def _fail(message: str) -> int:
    print(f"zhongshu seating: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["seating"]:
        args_list = args_list[1:]
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as e:
        _parser().print_usage(sys.stderr)
        return _fail(f"用法有误：{e}")
    except SystemExit as e:  # --help
        return int(e.code or 0)
    suffix = Path(args.output).suffix.lower() if args.output else ".json"
    if suffix not in (".json", ".pdf", ".docx"):
        return _fail("输出文件的扩展名应为 .json、.pdf 或 .docx")
    try:
        src = sys.stdin.read() if args.input == "-" else Path(args.input)
        inp, raw = load_json(src)
        paper = args.paper or raw.get("paper")
        if paper not in (None, "A4", "A3"):
            raise SeatingError("paper 应为 A4 或 A3", "paper")
        if "chart" in raw:
            violations = validate(inp, raw["chart"])
            out = {"ok": not violations, "violations": [v.to_dict() for v in violations]}
            _write_json(out, args.output)
            return 1 if violations else 0
        chart = generate(inp)
        if suffix == ".json":
            _write_json(chart.to_dict(), args.output)
        elif suffix == ".pdf":
            from .pdf import chart_pdf

            Path(args.output).write_bytes(chart_pdf(chart, paper=paper))
        else:
            from .docx_out import chart_docx

            Path(args.output).write_bytes(chart_docx(chart, paper=paper or "A4"))
        if args.cards:
            from .pdf import tent_cards_pdf

            names = [n for n in (*inp.hosts, *inp.people, inp.interpreter, inp.guest_interpreter) if n]
            Path(args.cards).write_bytes(tent_cards_pdf(names))
    except SeatingError as e:
        where = f"（{e.field}）" if e.field else ""
        return _fail(f"{args.input}: 输入有误{where}：{e.message}")
    except OSError as e:
        return _fail(f"无法写入：{e.filename or ''} {e.strerror or e}")
    except Exception as e:  # fonts missing and the like: the renderer's own Chinese message
        msg = getattr(e, "message", None)
        if msg:
            return _fail(msg)
        raise
    return 0


def _write_json(data: dict, output: str | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
