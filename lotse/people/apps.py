from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lotse.people"
    label = "people"
    verbose_name = "Lotse: Personen und Haushalte"

    def ready(self) -> None:
        from lotse.people import access  # noqa: F401  (registers its access rules)
