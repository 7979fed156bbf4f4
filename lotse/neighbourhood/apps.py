from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "lotse.neighbourhood"
    label = "neighbourhood"
    verbose_name = "Lotse: Stadtteilbüro"

    def ready(self) -> None:
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
