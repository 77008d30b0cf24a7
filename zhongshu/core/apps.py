from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhongshu.core"
    verbose_name = "核心"
