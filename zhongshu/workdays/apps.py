from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zhongshu.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from . import nav  # noqa: F401
