from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "lotse.planning"
    label = "planning"
    verbose_name = "Lotse: Steuerung und Integrationskonzept"

    def ready(self) -> None:
        from lotse.planning import access  # noqa: F401  (registers its access rules)
