"""Persons and households as case work sees them: for every reason the access layer knows
(the register, a case file, an open referral, ...), not only the register's."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Household, Person


def persons_for_casework(user: Any) -> QuerySet[Person]:
    return access.visible(user, Person).filter(merged_into__isnull=True)


def get_person_for_casework(user: Any, person_id: int) -> Person:
    """The person, or 404 (as ``access.get``): looked up for each reason the user may see a
    person on its own (``access.among``); asked as one OR, PostgreSQL computed every reason's
    persons in full for the one asked for (decision 0045)."""
    found = access.among(
        user,
        Person.objects.filter(merged_into__isnull=True, pk=person_id).select_related(
            "household", "dwelling__building", "organisation"
        ),
    )
    if not found:
        raise Http404
    person = found[0]
    audit_view(actor=user, obj=person)
    return person


def members_for_casework(user: Any, household: Household) -> list[Person]:
    """The household's current members the user may see, by id: the few members looked up for
    each reason on its own (``access.among``); asked as one OR, PostgreSQL computed every
    reason's persons in full (decision 0045)."""
    members = Person.objects.filter(household=household, merged_into__isnull=True).only("pk")
    return access.among(user, members.order_by("pk"))


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
