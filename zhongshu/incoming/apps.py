from django.apps import AppConfig


class IncomingConfig(AppConfig):
    name = "zhongshu.incoming"
    verbose_name = "收文"

    def ready(self) -> None:
        from zhongshu.outgoing.services import register_delivery

        from . import nav, subject  # noqa: F401  (navigation; the flow adapter)
        from .services import deliver

        register_delivery(deliver)
