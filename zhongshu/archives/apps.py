from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "zhongshu.archives"
    label = "archives"
    verbose_name = "档案"

    def ready(self) -> None:
        from zhongshu.access.restrict import register_need_to_know
        from zhongshu.core.jobs import register_daily, register_recovery

        from . import (
            nav,  # noqa: F401  (navigation, workbench card)
            policy,  # noqa: F401  (the module's access policy, registered for restrict())
            tasks,  # noqa: F401  (the one inbox's task source)
        )
        from .access import finished_documents

        # The archivist sees finished 发文/收文 (to file them) — through restrict(), like every other reader.
        register_need_to_know(finished_documents)
        register_daily("archives_overdue_loans", "zhongshu.archives.services.loan_overdue_scan")
        register_recovery("archives_batches", "zhongshu.archives.batch.recover")
