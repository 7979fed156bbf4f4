from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lotse.reports"
    label = "reports"
    verbose_name = "Lotse: Kennzahlen und Ratsbericht"

    def ready(self) -> None:
        from lotse.reports import access  # noqa: F401  (registers its access rules)
