from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = "Fälle und Verweisungen"

    def ready(self) -> None:
        from lotse.cases import access  # noqa: F401  (registers its access rules)
