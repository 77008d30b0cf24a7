from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhongshu.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from . import nav, signals  # noqa: F401
