"""Persons and households as case work sees them: for every reason the access layer knows
(the register, a case file, an open referral, ...), not only the register's."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Household, Person


def persons_for_casework(user: Any) -> QuerySet[Person]:
    return access.visible(user, Person).filter(merged_into__isnull=True)


def get_person_for_casework(user: Any, person_id: int) -> Person:
    person = access.get(
        user,
        Person.objects.filter(merged_into__isnull=True).select_related(
            "household", "dwelling__building", "organisation"
        ),
        person_id,
    )
    audit_view(actor=user, obj=person)
    return person


def households_for_casework(user: Any) -> QuerySet[Household]:
    return access.visible(user, Household)


def get_household_for_casework(user: Any, household_id: int) -> Household:
    household = access.get(
        user, Household.objects.select_related("dwelling__building", "organisation"), household_id
    )
    audit_view(actor=user, obj=household)
    return household


def with_blocked_member(households: QuerySet[Household]) -> QuerySet[Household]:
    """``has_blocked_member``: one of the household's members is blocked in the register
    (§§ 51, 52 BMG), so the household's dwelling is their whereabouts too (decision 0028)."""
    blocked = Person.objects.filter(household=OuterRef("pk")).exclude(register_block="")
    return households.annotate(has_blocked_member=Exists(blocked))


def has_blocked_member(household: Household) -> bool:
    return Person.objects.filter(household=household).exclude(register_block="").exists()
