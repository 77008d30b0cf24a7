from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhongshu.api"
    verbose_name = "API"
