from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = "Lotse: Datenschutz"

    def ready(self) -> None:
        from lotse.people.merging import follows_merge
        from lotse.privacy import access  # noqa: F401  (registers its access rules)
        from lotse.privacy.models import SubjectRequest

        follows_merge(SubjectRequest, "person")
