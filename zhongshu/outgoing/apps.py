from django.apps import AppConfig


class OutgoingConfig(AppConfig):
    name = "zhongshu.outgoing"
    verbose_name = "发文"

    def ready(self) -> None:
        from . import nav, subject  # noqa: F401  (navigation; the flow adapter)
