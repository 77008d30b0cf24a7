from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhongshu.accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from zhongshu.core.jobs import register_daily

        register_daily("password_expiry", "zhongshu.accounts.jobs.remind_password_expiry")
