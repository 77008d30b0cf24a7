from django.apps import AppConfig


class ProofingConfig(AppConfig):
    name = "zhongshu.proofing"
    verbose_name = "公文校对"

    def ready(self) -> None:
        from . import nav  # noqa: F401
