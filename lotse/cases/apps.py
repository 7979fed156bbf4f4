from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = "Fälle und Verweisungen"

    def ready(self) -> None:
        from lotse.cases import access  # noqa: F401  (registers its access rules)
        from lotse.cases.models import CaseFile, Consent, Disclosure, Document, FollowUp, Referral
        from lotse.cases.services.followups import followups_follow_merge
        from lotse.core.files import stores_files
        from lotse.people.merging import follows_merge

        # When two register records become one, case work follows the kept record.
        for model in (CaseFile, Consent, Disclosure, Document, Referral):
            follows_merge(model, "person")
        follows_merge(FollowUp, "target", followups_follow_merge)  # by type and id
        stores_files(Document, name_field="storage_name", sha256_field="sha256")
