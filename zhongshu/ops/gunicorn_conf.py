"""gunicorn settings used by `zhongshu serve` (`--config python:zhongshu.ops.gunicorn_conf`)."""

import os


def child_exit(server, worker):
    # A gunicorn process that ends leaves its metric files; mark them so live gauges stop counting it.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
