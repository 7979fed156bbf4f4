from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = "Lotse: Kern"

    def ready(self) -> None:
        from lotse.core import checks  # noqa: F401  (registers the deployment checks)
