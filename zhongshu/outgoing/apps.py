from django.apps import AppConfig


class OutgoingConfig(AppConfig):
    name = "zhongshu.outgoing"
    verbose_name = "发文"

    def ready(self) -> None:
        from . import (  # noqa: F401  (navigation; the flow adapter)
            nav,
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            subject,
            tasks,  # the one inbox's task source
        )
