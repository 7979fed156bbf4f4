from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "lotse.neighbourhood"
    label = "neighbourhood"
    verbose_name = "Lotse: Stadtteilbüro"

    def ready(self) -> None:
        from lotse.neighbourhood import access  # noqa: F401  (registers its access rules)
