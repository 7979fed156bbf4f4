from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "lotse.clearing"
    label = "clearing"
    verbose_name = "Lotse: Clearingstelle"

    def ready(self) -> None:
        from django.db.models import Q
        from django.utils.translation import gettext_lazy as _

        from lotse.clearing import (
            access,  # noqa: F401  (registers its access rules)
            signals,  # noqa: F401  (a failed import task marks its import)
        )
        from lotse.clearing.models import (
            ArrivalInterview,
            InterviewChild,
            MaterialHandout,
            MaterialVersion,
            RegisterImport,
        )
        from lotse.clearing.services import interview_adults_follow_merge
        from lotse.core.files import stores_files
        from lotse.core.retention import retention_follows, retention_kind
        from lotse.people.merging import follows_merge

        # When two register records become one, interviews follow the kept record.
        follows_merge(ArrivalInterview, "person")
        follows_merge(ArrivalInterview, "further_adults", interview_adults_follow_merge)
        follows_merge(InterviewChild, "person")
        # Register exports waiting for their import: encrypted like documents, not backed up.
        stores_files(RegisterImport, name_field="file_token", sha256_field="file_sha256", area="imports")
        # The library's leaflets lie in the document store like documents (empty name: a link).
        stores_files(MaterialVersion, name_field="storage_name", sha256_field="sha256")

        # Retention (decision 0027): an interview that led to no case file ends on its own.
        retention_kind(
            ArrivalInterview,
            label=_("Ankunftsgespräch, zu dem es keine Fallakte gibt"),
            due_from="held_on",
            scope=lambda today: Q(person__case_files=None),
        )
        retention_follows(InterviewChild, parent="clearing.arrivalinterview", via="interview")
        retention_follows(MaterialHandout, parent="clearing.arrivalinterview", via="interview")
