from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = "Lotse: Datenschutz"

    def ready(self) -> None:
        from lotse.privacy import access  # noqa: F401  (registers its access rules)
