from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "lotse.housing"
    label = "housing"
    verbose_name = "Lotse: Wohnraumkontrolle"

    def ready(self) -> None:
        from lotse.core.files import stores_files
        from lotse.housing import access  # noqa: F401  (registers its access rules)
        from lotse.housing.models import Photo

        stores_files(Photo, name_field="storage_name", sha256_field="sha256")
