"""Benchmark of the official-document renderer (single core).

Renders a 3-page 通知 (all elements, two attachments) to PDF and to DOCX and prints the median
milliseconds of several warm runs (fonts loaded once, as in a long-running server).  If LibreOffice
is installed, also times ``soffice --headless --convert-to pdf`` of the same DOCX and prints the ratio.

Run: python bench/render_bench.py [--runs 21]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.render.samples import notice  # noqa: E402
from zhongshu.render import Document, render_docx, render_pdf  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # one core
    doc = Document.from_dict(notice(3))
    t0 = time.perf_counter()
    pdf = render_pdf(doc)
    cold = (time.perf_counter() - t0) * 1000
    docx_bytes = render_docx(doc)
    import io

    import pdfplumber

    pages = len(pdfplumber.open(io.BytesIO(pdf)).pages)
    pdf_ms = median_ms(lambda: render_pdf(doc), args.runs)
    docx_ms = median_ms(lambda: render_docx(doc), args.runs)
    print(f"document: 通知, {pages} pages in the PDF (3 body pages + attachments), {len(pdf)} bytes PDF")
    print(f"first PDF render (font loading, cache present): {cold:.0f} ms")
    print(f"PDF  median: {pdf_ms:.1f} ms  (target < 150 ms)")
    print(f"DOCX median: {docx_ms:.1f} ms  (target < 150 ms)")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice: not installed, no ratio")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "notice.docx"
        src.write_bytes(docx_bytes)
        env = {**os.environ, "HOME": tmp}

        def convert():
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, env=env, timeout=300)

        convert()   # profile creation
        so_ms = median_ms(convert, max(3, args.runs // 4))
    print(f"soffice --convert-to pdf median: {so_ms:.0f} ms; ratio soffice / render_pdf = {so_ms / pdf_ms:.0f}×")


if __name__ == "__main__":
    main()
