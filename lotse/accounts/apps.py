from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lotse.accounts"
    label = "accounts"
    verbose_name = "Lotse: Organisationen und Konten"

    def ready(self) -> None:
        from lotse.accounts import (
            access,  # noqa: F401  (registers its access rules)
            signals,  # noqa: F401  (connects the audit receivers)
        )
