from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "zhongshu.seals"
    label = "seals"
    verbose_name = "印章管理"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily
        from zhongshu.outgoing.services import register_seal_hook

        from . import (
            nav,  # noqa: F401  (navigation, workbench card)
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            subject,  # noqa: F401  (用印审批 on the flow engine)
            tasks,  # noqa: F401  (the one inbox's task sources)
        )
        from .services import outgoing_sealed

        register_seal_hook(outgoing_sealed)  # 发文's 用印 step registers itself in the 用印登记簿
        register_daily("seals_overdue_loans", "zhongshu.seals.services.loan_overdue_scan")
