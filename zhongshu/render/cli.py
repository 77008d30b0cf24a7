"""Command line: ``zhongshu render --format pdf|docx INPUT.json [INPUT2.json ...] -o OUTPUT``.

With one input, OUTPUT is the file to write; with several, OUTPUT is a directory and each input
gives NAME.pdf/NAME.docx there.  ``--watermark TEXT`` tiles a viewer watermark over the PDF;
``--font-title/--font-fang/--font-hei/--font-kai/--font-song PATH`` point to licensed font files.
``--build-fonts`` converts the free fallback fonts into the cache once (useful in images/CI) and
prints the face chosen for each role (title 小标宋, fang 仿宋, hei 黑体, kai 楷体, song 宋体).
Exit status: 0 ok, 2 bad usage or bad input (the message goes to standard error).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import load_json
from .docx_writer import render_docx
from .fonts import ROLES, FontConfig, font_set
from .model import RenderError
from .pdf import render_pdf


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would sys.exit(2); report instead
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zhongshu render", description="按 GB/T 9704-2012 排版公文，输出 PDF 或 DOCX")
    p.add_argument("--format", "-f", choices=("pdf", "docx"), default="pdf", help="输出格式（默认 pdf）")
    p.add_argument("-o", "--output", help="输出文件；多个输入时为输出目录")
    p.add_argument("--watermark", help="PDF 水印文字，如“张三 2026-11-25 10:30”")
    for role in ROLES:
        p.add_argument(f"--font-{role}", metavar="PATH", help=f"{role} 字体文件（.ttf/.otf/.ttc，可加 #N）")
    p.add_argument("--font-cache", metavar="DIR", help="字体转换缓存目录（默认 $ZHONGSHU_FONT_DIR 或 ./var/fonts）")
    p.add_argument("--build-fonts", action="store_true", help="只生成字体缓存后退出")
    p.add_argument("inputs", nargs="*", metavar="INPUT.json")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["render"]:
        args_list = args_list[1:]
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as e:
        print(f"zhongshu render: {e}", file=sys.stderr)
        _parser().print_usage(sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return int(e.code or 0)
    fonts = FontConfig(**{r: getattr(args, f"font_{r}") for r in ROLES}, cache_dir=args.font_cache)
    if args.build_fonts:
        try:
            fs = font_set(fonts)
        except RenderError as e:
            print(f"zhongshu render: {e.message}", file=sys.stderr)
            return 2
        for role in ROLES:      # which face each role uses, as the PDF will name it
            face = fs.face(role)
            print(f"{role}\t{face.ps_name}\t{face.file}")
        return 0
    if not args.inputs or not args.output:
        print("zhongshu render: 需要 INPUT.json 和 -o OUTPUT", file=sys.stderr)
        _parser().print_usage(sys.stderr)
        return 2
    many = len(args.inputs) > 1
    out = Path(args.output)
    if many:
        out.mkdir(parents=True, exist_ok=True)
    status = 0
    for inp in args.inputs:
        try:
            doc = load_json(Path(inp))
            if args.format == "pdf":
                data = render_pdf(doc, fonts=fonts, watermark=args.watermark)
            else:
                data = render_docx(doc)
        except RenderError as e:
            where = f"（{e.field}）" if e.field else ""
            print(f"{inp}: 输入有误{where}：{e.message}", file=sys.stderr)
            status = 2
            continue
        target = out / (Path(inp).stem + "." + args.format) if many else out
        try:
            target.write_bytes(data)
        except OSError as e:
            print(f"{target}: 无法写入：{e}", file=sys.stderr)
            status = 2
    return status
