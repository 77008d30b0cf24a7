from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per worker supervisor (`zhongshu worker`, host:pid), written every few seconds while its job queue
    cluster is complete. /healthz, /metrics and the 运行状态 page read it. Infrastructure: no business content."""

    name = models.CharField(max_length=120, unique=True)
    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    cluster_pid = models.PositiveIntegerField(null=True, blank=True)
    processes = models.PositiveSmallIntegerField(default=0)  # live processes of the cluster
    expected = models.PositiveSmallIntegerField(default=0)  # what a complete cluster has
    restarts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.name
