from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = "Fälle und Verweisungen"

    def ready(self) -> None:
        from django.db.models import Model, Q
        from django.utils.translation import gettext_lazy as _

        from lotse.cases import access  # noqa: F401  (registers its access rules)
        from lotse.cases.models import (
            Assessment,
            AssessmentRating,
            CaseAssignment,
            CaseFile,
            CaseStatusChange,
            Consent,
            Contact,
            Disclosure,
            Document,
            FollowUp,
            Goal,
            Measure,
            Referral,
        )
        from lotse.cases.services.followups import followups_follow_merge
        from lotse.core.files import stores_files
        from lotse.core.retention import retention_follows, retention_kind
        from lotse.people.merging import follows_merge

        # When two register records become one, case work follows the kept record.
        for model in (CaseFile, Consent, Disclosure, Document, Referral):
            follows_merge(model, "person")

        # Retention (decision 0027): how each kind of record ends; a case file takes its parts.
        retention_kind(
            CaseFile,
            label=_("Fallakte, ab ihrem Abschluss"),
            due_from="closed_on",
            scope=lambda today: Q(status=CaseFile.Status.CLOSED),
            finished=lambda today: Q(status=CaseFile.Status.CLOSED),
        )
        parts: tuple[tuple[type[Model], str], ...] = (
            (CaseAssignment, "case"),
            (CaseStatusChange, "case"),
            (Contact, "case"),
            (Assessment, "case"),
            (AssessmentRating, "assessment__case"),
            (Goal, "case"),
            (Measure, "goal__case"),
        )
        for part, via in parts:
            retention_follows(part, parent="cases.casefile", via=via)
        retention_follows(Document, parent="cases.casefile", via="case")
        retention_kind(
            Document,
            label=_("Dokument ohne Fallakte (etwa ein unterschriebenes Einwilligungsformular)"),
            due_from="uploaded_at",
            scope=lambda today: Q(case__isnull=True),
        )
        retention_kind(
            Referral,
            label=_("Verweisung, ab ihrer letzten Änderung nach Abschluss"),
            due_from="updated_at",
            scope=lambda today: ~Q(status__in=Referral.OPEN_STATES),
            finished=lambda today: ~Q(status__in=Referral.OPEN_STATES),
        )
        retention_kind(
            Consent,
            label=_("Einwilligung, ab Widerruf oder Ablauf"),
            due_from="updated_at",
            scope=lambda today: Q(withdrawn_on__isnull=False) | Q(valid_until__lt=today),
        )
        retention_kind(Disclosure, label=_("Nachweis einer Übermittlung"), due_from="disclosed_at")
        follows_merge(FollowUp, "target", followups_follow_merge)  # by type and id
        stores_files(Document, name_field="storage_name", sha256_field="sha256")
