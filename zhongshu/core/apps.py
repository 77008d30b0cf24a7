from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhongshu.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from .jobs import register_daily
        from .text import install

        install()

        register_daily("orphan_files", "zhongshu.core.files.sweep_orphans")
