from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhongshu.org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers navigation entries)
