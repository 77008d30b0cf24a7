"""Command line: ``zhongshu proofread [--json] [--fix] [--doc-type TYPE] PATH...``.

PATH is a .txt file (UTF-8, or GB18030 as used by older Windows tools), a .docx
file, or ``-`` for standard input.  Plain output is one line per finding::

    path:line:col: [category/rule] message → suggestion

(line and column are 1-based, columns counted in characters; a deletion shows
``→ （删除）``, and findings without a suggestion show no arrow).  With ``--json``
each input gives one JSON object on one line.  Exit status: 0 when no error-level
finding, 1 when there was one, 2 on bad usage or unreadable input.

``--fix`` writes ``NAME.fixed.txt`` / ``NAME.fixed.docx`` next to the input (for
``-`` the corrected text goes to standard output and the report to standard error).
"""
from __future__ import annotations

import argparse
import json
import sys
from bisect import bisect_right
from pathlib import Path

from .engine import apply_fixes, proofread
from .model import Config, Finding
from .text import DOC_TYPES


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would sys.exit(2); report instead
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zhongshu proofread", description="公文校对：检查标点、数字、格式、错别字等问题")
    p.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
    p.add_argument("--fix", action="store_true", help="在原文件旁写出修改后的文件（NAME.fixed.txt/.docx）")
    p.add_argument("--doc-type", metavar="TYPE", help="文种，如 请示、报告、通知（启用行文规则检查）")
    p.add_argument("--no-typo", action="store_true", help="不做错别字检查（更快）")
    p.add_argument("--disable", action="append", default=[], metavar="RULE", help="关闭某条规则，可重复")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt、.docx 文件，或 - 表示标准输入")
    return p


def read_input(path: str) -> str:
    """Text of a .txt/.docx path or of stdin ("-")."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return _decode(data)
    p = Path(path)
    if p.suffix.lower() == ".docx":
        from .docx_io import read_text

        return read_text(p)
    return _decode(p.read_bytes())


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "neither UTF-8 nor GB18030")


def _line_col(starts: list[int], pos: int) -> tuple[int, int]:
    k = bisect_right(starts, pos) - 1
    return k + 1, pos - starts[k] + 1


def format_plain(path: str, text: str, findings: list[Finding]) -> list[str]:
    """The plain report lines for one input."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out = []
    for f in findings:
        line, col = _line_col(starts, f.start)
        s = f"{path}:{line}:{col}: [{f.category}/{f.rule}] {f.message}"
        if f.suggestion is not None:
            s += " → " + (f.suggestion if f.suggestion else "（删除）")
        out.append(s)
    return out


def _fixed_path(p: Path) -> Path:
    return p.with_name(p.stem + ".fixed" + p.suffix)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["proofread"]:
        args_list = args_list[1:]
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as e:
        print(f"zhongshu proofread: {e}", file=sys.stderr)
        _parser().print_usage(sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return int(e.code or 0)
    if args.doc_type and args.doc_type not in DOC_TYPES + ("命令（令）",):
        print(f"zhongshu proofread: 未知文种“{args.doc_type}”，可选：{'、'.join(DOC_TYPES)}", file=sys.stderr)
        return 2
    if args.paths.count("-") > 1:
        print("zhongshu proofread: 标准输入只能指定一次", file=sys.stderr)
        return 2
    cfg = Config(disabled_rules=frozenset(args.disable))
    status = 0
    for path in args.paths:
        try:
            text = read_input(path)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as e:
            print(f"{path}: 无法读取：{e}", file=sys.stderr)
            status = 2
            continue
        except Exception as e:  # python-docx raises its own errors for non-docx zip files
            print(f"{path}: 无法读取：{e}", file=sys.stderr)
            status = 2
            continue
        findings = proofread(text, doc_type=args.doc_type, config=cfg, typo=not args.no_typo)
        report = sys.stderr if (args.fix and path == "-") else sys.stdout
        if args.json:
            print(json.dumps({"path": path, "findings": [f.to_dict() for f in findings]}, ensure_ascii=False),
                  file=report)
        else:
            for line in format_plain(path, text, findings):
                print(line, file=report)
        if any(f.severity == "error" for f in findings) and status == 0:
            status = 1
        if args.fix:
            try:
                _write_fix(path, text, findings)
            except OSError as e:
                print(f"{path}: 无法写出修改后的文件：{e}", file=sys.stderr)
                status = 2
    return status


def _write_fix(path: str, text: str, findings: list[Finding]) -> None:
    if path == "-":
        sys.stdout.write(apply_fixes(text, findings))
        sys.stdout.flush()
        return
    p = Path(path)
    if p.suffix.lower() == ".docx":
        from .docx_io import write_fixed

        write_fixed(p, _fixed_path(p), findings)
    else:
        _fixed_path(p).write_text(apply_fixes(text, findings), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
