from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = "Lotse: Datenschutz"

    def ready(self) -> None:
        from django.db.models import Q
        from django.utils.translation import gettext_lazy as _

        from lotse.core.retention import retention_kind
        from lotse.people.merging import follows_merge
        from lotse.privacy import access  # noqa: F401  (registers its access rules)
        from lotse.privacy.models import ErasureRequest, LegalHold, SubjectRequest

        follows_merge(LegalHold, "person")
        follows_merge(ErasureRequest, "person")
        follows_merge(SubjectRequest, "person")
        retention_kind(
            LegalHold,
            label=_("Aufgehobene Löschsperre"),
            due_from="lifted_at",
            scope=lambda today: Q(lifted_at__isnull=False),
            finished=lambda today: Q(lifted_at__isnull=False),
        )
        retention_kind(
            ErasureRequest,
            label=_("Entschiedenes Löschersuchen"),
            due_from="decided_at",
            erased_with_person=False,
        )
        retention_kind(
            SubjectRequest,
            label=_("Entschiedener Antrag auf Berichtigung oder Einschränkung"),
            due_from="decided_on",
            scope=lambda today: ~Q(status=SubjectRequest.Status.OPEN),
            finished=lambda today: ~Q(status=SubjectRequest.Status.OPEN),
        )
