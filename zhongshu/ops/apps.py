from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "zhongshu.ops"
    label = "ops"
    verbose_name = "运行状态"

    def ready(self) -> None:
        from . import (
            metrics,  # noqa: F401  (job outcome counters on django-q's signals)
            nav,  # noqa: F401  (运行状态 in the system section)
        )
