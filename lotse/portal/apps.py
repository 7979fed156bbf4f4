from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lotse.portal"
    label = "portal"
    verbose_name = "Lotse: öffentliche Seiten"

    def ready(self) -> None:
        from lotse.portal import access  # noqa: F401  (registers its access rules)
