from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhongshu.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily

        from . import (
            nav,  # noqa: F401
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            tasks,  # noqa: F401  (the one inbox's task sources)
        )

        register_daily("supervision_scan", "zhongshu.supervision.jobs.scan")
