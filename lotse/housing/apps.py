from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "lotse.housing"
    label = "housing"
    verbose_name = "Lotse: Wohnraumkontrolle"

    def ready(self) -> None:
        from lotse.housing import access  # noqa: F401  (registers its access rules)
