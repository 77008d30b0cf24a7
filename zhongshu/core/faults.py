"""Fault injection for the crash tests: `fault("name")` kills the current process with SIGKILL at the N-th time it
passes the named point when ZHONGSHU_FAULT="name:N" is set in its environment. Without that variable (always in
production) it is one dictionary lookup and does nothing.

Points today: `archives.batch.item` (after a filed document's transaction committed), `archives.batch.in_tx` (inside
it, before the commit), `incoming.deliver` (inside the distribution's transaction, after one 收文 was created),
`notify.email` (after one e-mail was sent and marked), `search.reindex` (after a chunk of the rebuild committed).
"""

from __future__ import annotations

import os
import signal

_hits: dict[str, int] = {}


def fault(name: str) -> None:
    spec = os.environ.get("ZHONGSHU_FAULT")
    if not spec:
        return
    point, _, count = spec.rpartition(":")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)  # a power cut as far as this process is concerned
