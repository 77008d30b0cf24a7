from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "zhongshu.agenda"
    label = "agenda"
    verbose_name = "日程"

    def ready(self) -> None:
        from . import nav  # noqa: F401
