from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhongshu.demo"
    verbose_name = "演示数据"
