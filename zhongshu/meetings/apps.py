from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhongshu.meetings"
    label = "meetings"
    verbose_name = "办会"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily

        from . import (
            calendar,  # noqa: F401  (meetings in the shared calendar)
            nav,  # noqa: F401
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            subject,  # noqa: F401  (会议方案审批 on the flow engine)
            tasks,  # noqa: F401  (the one inbox's task sources)
        )

        register_daily("meetings_reply_reminders", "zhongshu.meetings.services.reply_reminders")
