from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhongshu.notify"
    verbose_name = "消息提醒"

    def ready(self) -> None:
        from . import nav  # noqa: F401
