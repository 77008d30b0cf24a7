"""Text extraction for the index in a child process with a memory and time budget (issue 14 §3).

`extract(name, data)` runs `extract.text_of` in a fresh child (`multiprocessing` “spawn” would re-import Django;
“fork” is used where available, which is cheap: the child shares the already imported libraries).  The child sets
RLIMIT_AS to EXTRACT_MEMORY_MB and the parent waits at most EXTRACT_TIMEOUT_SECONDS, then kills it.  Any failure —
hostile container, out of memory, timeout, a crash — raises `ExtractionFailed`; the caller indexes the document
without that attachment's text and logs a warning.  Nothing is retried.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys

from django.conf import settings


class ExtractionFailed(Exception):
    pass


def _child(conn, name: str, data: bytes, memory_bytes: int) -> None:
    try:
        if memory_bytes and sys.platform.startswith("linux"):
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        import io

        from .extract import text_of

        conn.send(("ok", text_of(name, io.BytesIO(data))))
    except MemoryError:
        conn.send(("error", "内存超出预算"))
    except BaseException as e:  # anything at all: report it, never hang the parent
        with contextlib.suppress(Exception):
            conn.send(("error", f"{type(e).__name__}: {str(e)[:200]}"))
    finally:
        conn.close()
        os._exit(0)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def extract(name: str, data: bytes, *, timeout: float | None = None, memory_mb: int | None = None) -> str:
    """The text of one attachment, extracted in a child process within the budgets; ExtractionFailed otherwise."""
    timeout = float(timeout if timeout is not None else getattr(settings, "EXTRACT_TIMEOUT_SECONDS", 30))
    memory_mb = int(memory_mb if memory_mb is not None else getattr(settings, "EXTRACT_MEMORY_MB", 512))
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, name, data, memory_mb * 1024 * 1024), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise ExtractionFailed(f"超过 {timeout:g} 秒仍未完成")
        try:
            status, payload = parent.recv()
        except (EOFError, OSError):
            raise ExtractionFailed("提取进程异常退出") from None
        if status != "ok":
            raise ExtractionFailed(payload)
        return payload
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
