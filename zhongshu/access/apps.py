from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "zhongshu.access"
    verbose_name = "访问控制"

    def ready(self) -> None:
        from . import nav  # noqa: F401
