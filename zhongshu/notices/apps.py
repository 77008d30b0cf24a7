from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhongshu.notices"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from . import (
            nav,  # noqa: F401
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
        )
