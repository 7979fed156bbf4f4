from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "lotse.clearing"
    label = "clearing"
    verbose_name = "Lotse: Clearingstelle"

    def ready(self) -> None:
        from lotse.clearing import access  # noqa: F401  (registers its access rules)
        from lotse.clearing.models import ArrivalInterview, InterviewChild, RegisterImport
        from lotse.clearing.services import interview_adults_follow_merge
        from lotse.core.files import stores_files
        from lotse.people.merging import follows_merge

        # When two register records become one, interviews follow the kept record.
        follows_merge(ArrivalInterview, "person")
        follows_merge(ArrivalInterview, "further_adults", interview_adults_follow_merge)
        follows_merge(InterviewChild, "person")
        # Register exports waiting for their import: encrypted like documents, not backed up.
        stores_files(RegisterImport, name_field="file_token", sha256_field="file_sha256", area="imports")
