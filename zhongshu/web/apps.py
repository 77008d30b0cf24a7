from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhongshu.web"
    verbose_name = "界面"

    def ready(self) -> None:
        from .registry import NavItem, register_nav

        register_nav(NavItem("workbench", "工作台", "web:workbench", section="home", order=0))
