from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "lotse.clearing"
    label = "clearing"
    verbose_name = "Lotse: Clearingstelle"

    def ready(self) -> None:
        from lotse.clearing import access  # noqa: F401  (registers its access rules)
        from lotse.clearing.signals import move_to_kept_person
        from lotse.people.services import person_merged

        person_merged.connect(move_to_kept_person, dispatch_uid="clearing-move-to-kept-person")
