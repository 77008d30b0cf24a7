from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "zhongshu.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from . import signals, sources

        sources.register_all()
        signals.connect()
