from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "lotse.neighbourhood"
    label = "neighbourhood"
    verbose_name = "Lotse: Stadtteilbüro"

    def ready(self) -> None:
        from django.db.models import Q
        from django.utils.translation import gettext_lazy as _

        from lotse.core.retention import ANONYMISE, DELETE, KEEP, retention_kind
        from lotse.neighbourhood import access  # noqa: F401  (registers its access rules)
        from lotse.neighbourhood.models import (
            CounsellingEntry,
            CourseParticipant,
            InternshipMatch,
            Mentorship,
            Registration,
        )
        from lotse.neighbourhood.services import matches_follow_merge, participants_follow_merge
        from lotse.people.merging import follows_merge

        # When two records of a person become one, the office's records follow the kept one.
        follows_merge(CounsellingEntry, "person")
        follows_merge(Registration, "person")
        follows_merge(CourseParticipant, "person", participants_follow_merge)
        follows_merge(InternshipMatch, "person", matches_follow_merge)
        # A mentorship stays with the family; its consent follows the merge with the person.
        follows_merge(Mentorship, "person")

        # Retention (decision 0027): counselling and registrations can leave anonymous figures.
        retention_kind(
            CounsellingEntry,
            label=_("Namentliche Beratung (anonymisiert bleibt sie in der Statistik)"),
            due_from="held_on",
            actions=(ANONYMISE, DELETE, KEEP),
            scope=lambda today: Q(person__isnull=False),
            anonymise=lambda entry: {"person": None, "note": "", "referral": None},
        )
        retention_kind(
            Registration,
            label=_("Anmeldung zu einem Angebot"),
            due_from="created_at",
            actions=(ANONYMISE, DELETE, KEEP),
            scope=lambda today: Q(person__isnull=False) | ~Q(name="") | ~Q(phone=""),
            anonymise=lambda registration: {"person": None, "name": "", "phone": ""},
        )
        retention_kind(Mentorship, label=_("Patenschaft, ab ihrem Ende"), due_from="ends_on")
        retention_kind(
            CourseParticipant,
            label=_("Teilnahme an einem Kurs, ab der letzten Änderung"),
            due_from="changed_on",
        )
        retention_kind(
            InternshipMatch,
            label=_("Vermittlung in ein Praktikum, ab der letzten Änderung"),
            due_from="changed_on",
        )
