from django.apps import AppConfig


class FlowConfig(AppConfig):
    name = "zhongshu.flow"
    verbose_name = "流程审批"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily

        from . import (  # noqa: F401
            nav,
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            subjects,
            tasks,  # the one inbox's task source
        )

        register_daily("flow_reminders", "zhongshu.flow.jobs.scan")

        from zhongshu.access.restrict import register_need_to_know

        from .participants import participants_q

        register_need_to_know(participants_q)

        from zhongshu.core.locks import register_edit_lock

        from .locks import review_lock

        register_edit_lock(review_lock)
