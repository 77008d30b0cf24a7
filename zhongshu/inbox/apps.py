from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "zhongshu.inbox"
    verbose_name = "待办待阅"

    def ready(self) -> None:
        from . import nav  # noqa: F401
        from .registry import connect_signals

        connect_signals()
