"""Reads of the person register, limited to what the user may see; reads are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit
from lotse.core import access, rows_as_data
from lotse.core.audit import audit_view
from lotse.core.kept import Kept, kept
from lotse.people import duplicates
from lotse.people.models import Household, Person, PersonNote
from lotse.people.search import search_by_name


def own_records_unit(user: Any) -> Unit | None:
    """The unit into whose own records the user enters persons: only for those who keep no
    register (the register comes first); no query for anyone else."""
    if access.can(user, "keep_register", Organisation) or not access.can(user, "create", Person):
        return None
    return access.visible(user, Unit, "keep_own_records").order_by("name", "pk").first()


def persons_visible_to(user: Any) -> QuerySet[Person]:
    """Current (not merged-away) persons of the registers the user works with."""
    return (
        access.visible(user, Person, "register")
        .filter(merged_into__isnull=True)
        .select_related("dwelling__building")
    )


def get_person_for(user: Any, person_id: int) -> Person:
    """The person as the register shows them, or 404. Opening a record is an audit event."""
    person = access.get(
        user,
        Person.objects.select_related(
            "dwelling__building", "household", "merged_into", "organisation", "kept_by"
        ),
        person_id,
        "register",
    )
    audit_view(actor=user, obj=person)
    return person


def get_person_to_restrict(user: Any, person_id: int) -> Person:
    """A current person whose processing the user may restrict or release (the register's
    keepers, the data protection officer), or 404. Opening it is audited."""
    person = access.get(
        user,
        Person.objects.filter(merged_into__isnull=True).select_related("organisation"),
        person_id,
        "restrict",
    )
    audit_view(actor=user, obj=person)
    return person


def person_search(user: Any, query: str) -> QuerySet[Person]:
    """By name however typed (``lotse.people.search``) or register id; newest first."""
    return search_by_name(persons_visible_to(user), query).order_by("-created_at", "-pk")


def person_history(person: Person) -> list[PersonNote]:
    return list(person.history.select_related("created_by"))


def merged_records(person: Person) -> list[Person]:
    return list(person.merged_records.all())


def duplicate_candidates(
    user: Any, records: list[Any], *, exclude_id: int | None = None, limit: int = 5
) -> list[duplicates.Candidate]:
    """Likely duplicates among the persons the user works with in the register (or in their
    unit's own records): never another register's, nor another unit's own records."""
    return duplicates.find_candidates(
        records, among=access.visible(user, Person, "register"), exclude_id=exclude_id, limit=limit
    )


@dataclass(frozen=True)
class DuplicateWork:
    """One part of the duplicate work list: the pairs among ``checked`` (1-based, inclusive) of
    the ``recent`` persons entered or changed in the period, changed last first. ``more_than``:
    there are more than ``recent`` of them (they are counted only so far). ``as_of``: when the
    pairs were found, if kept between requests (None: just now)."""

    pairs: list[Any]
    checked: tuple[int, int]
    recent: int
    part: int
    more_than: bool = False
    as_of: datetime | None = None

    @property
    def more(self) -> bool:
        return self.more_than or self.checked[1] < self.recent


def open_duplicate_pairs(user: Any, *, days: int = 90, part: int = 0) -> DuplicateWork:
    """Likely duplicates among persons entered or changed in the last ``days`` days, looked for
    among ``duplicates.RECENT`` of them at a time (``part`` 0 the persons changed last).

    Finding and scoring the pairs (``duplicates.part_in_registers``) is kept between requests
    when it is slow (``lotse.core.kept``, decision 0049), keyed by the access rule of the
    user's registers, not by the user. The persons shown are read now, among those the user
    sees: a pair whose person was merged or is no longer visible since is left out."""
    among = access.visible(user, Person, "register")
    rows = rows_as_data.as_data(access.rows(user, Person, "register"))
    if rows is None:  # a rule that is more than data cannot key a kept result: live
        found = Kept(
            duplicates.find_part(among, since=timezone.now() - timedelta(days=days), part=part), None
        )
    else:
        found = kept(duplicates.part_in_registers, rows, days, max(part, 0))
    size = duplicates.RECENT
    part, recent = found.value.part, found.value.recent
    return DuplicateWork(
        pairs=duplicates.shown_pairs(found.value.pairs, among=among),
        checked=(min(part * size + 1, recent), min((part + 1) * size, recent)),
        recent=recent,
        part=part,
        more_than=found.value.more_than,
        as_of=found.as_of,
    )


# --- Households ------------------------------------------------------------------------------


def households_visible_to(user: Any) -> QuerySet[Household]:
    return access.visible(user, Household, "register")


def get_household_for(user: Any, household_id: int) -> Household:
    """The household, or 404 if the user may not see its register. Opening it is audited."""
    household = access.get(
        user, Household.objects.select_related("dwelling__building", "organisation"), household_id, "register"
    )
    audit_view(actor=user, obj=household)
    return household


def household_members(household: Household) -> list[Person]:
    """Current members: head first, then partner, children (oldest first) and the others."""
    rank = {value: index for index, value in enumerate(Person.RELATIONSHIP_ORDER)}
    members = list(
        Person.objects.filter(household=household, merged_into__isnull=True).select_related(
            "dwelling__building"
        )
    )
    return sorted(
        members,
        key=lambda p: (rank.get(p.relationship, len(rank)), p.birth_year or 9999, p.birth_month or 13, p.pk),
    )


def household_candidates(user: Any, household: Household, query: str, *, limit: int = 10) -> list[Person]:
    """Persons of the register found by name who are not yet members (for „hinzufügen“)."""
    if not query.strip():
        return []
    return list(
        person_search(user, query)
        .filter(organisation_id=household.organisation_id, kept_by_id=household.kept_by_id)
        .exclude(household=household)
        .select_related("household")[:limit]
    )
