from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lotse.api"
    label = "api"
    verbose_name = _("REST-API")

    def ready(self) -> None:
        # Registers the OpenAPI description of the token authentication with drf-spectacular.
        from lotse.api import authentication  # noqa: F401
