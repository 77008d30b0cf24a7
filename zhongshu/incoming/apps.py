from django.apps import AppConfig


class IncomingConfig(AppConfig):
    name = "zhongshu.incoming"
    verbose_name = "收文"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily
        from zhongshu.outgoing.services import register_delivery

        from . import (  # noqa: F401  (navigation; the flow adapter)
            nav,
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            subject,
            tasks,  # the one inbox's task sources
        )
        from .services import deliver

        register_delivery(deliver)
        register_daily("incoming_reminders", "zhongshu.incoming.jobs.scan")
