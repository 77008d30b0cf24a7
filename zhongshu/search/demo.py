"""Demo: the full-text index built at once (the queued jobs would do the same once a worker runs)."""

from .indexing import reindex


def build_demo_search() -> dict[str, int]:
    return reindex()
