"""Text extraction for the index in a child process with a memory and time budget (issue 14 §3).

`extract(name, data)` runs `extract.text_of` in a fresh child (a raw `fork()` where
available, cheap because the child shares the already imported libraries, and allowed inside the queue's daemonic
workers; `multiprocessing` “spawn” elsewhere).  The child sets
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


def _run(name: str, data: bytes, memory_bytes: int) -> tuple[str, str]:
    """In the child: set the memory budget, extract, report ("ok", text) or ("error", why)."""
    try:
        if memory_bytes and sys.platform.startswith("linux"):
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        import io

        from .extract import text_of

        return ("ok", text_of(name, io.BytesIO(data)))
    except MemoryError:
        return ("error", "内存超出预算")
    except BaseException as e:  # anything at all: report it, never hang the parent
        return ("error", f"{type(e).__name__}: {str(e)[:200]}")


def _child(conn, name: str, data: bytes, memory_bytes: int) -> None:
    """multiprocessing child (platforms without fork)."""
    try:
        with contextlib.suppress(Exception):
            conn.send(_run(name, data, memory_bytes))
    finally:
        conn.close()
        os._exit(0)


def _extract_forked(name: str, data: bytes, timeout: float, memory_bytes: int) -> str:
    """A raw fork() and a pipe rather than multiprocessing.Process: the job queue's workers are daemonic
    multiprocessing processes, which multiprocessing forbids to have children ("daemonic processes are not allowed
    to have children") — text of attachments was never extracted when the worker indexed. The OS allows it."""
    import json
    import select
    import signal
    import time

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            # JSON, not pickle: the child parses hostile files, its answer must not be able to run code here
            payload = json.dumps(_run(name, data, memory_bytes)).encode()
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                raise ExtractionFailed(f"超过 {timeout:g} 秒仍未完成")
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    try:
        status, text = json.loads(b"".join(chunks))
        if not isinstance(status, str) or not isinstance(text, str):
            raise ValueError
    except Exception:
        raise ExtractionFailed("提取进程异常退出") from None
    if status != "ok":
        raise ExtractionFailed(text)
    return text


def extract(name: str, data: bytes, *, timeout: float | None = None, memory_mb: int | None = None) -> str:
    """The text of one attachment, extracted in a child process within the budgets; ExtractionFailed otherwise."""
    timeout = float(timeout if timeout is not None else getattr(settings, "EXTRACT_TIMEOUT_SECONDS", 30))
    memory_mb = int(memory_mb if memory_mb is not None else getattr(settings, "EXTRACT_MEMORY_MB", 512))
    if hasattr(os, "fork"):
        return _extract_forked(name, data, timeout, memory_mb * 1024 * 1024)
    ctx = multiprocessing.get_context("spawn")
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
