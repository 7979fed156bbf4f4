"""Persons and households as case work sees them: the register's own units see their register,
everyone else only the people their unit's case files or open referrals name."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lotse.cases import access
from lotse.core.audit import audit_view
from lotse.people.models import Household, Person


def persons_for_casework(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(access.persons_q(user))


def get_person_for_casework(user: Any, person_id: int, *, record_read: bool = True) -> Person:
    person = (
        persons_for_casework(user)
        .filter(pk=person_id)
        .select_related("household", "dwelling__building", "organisation")
        .first()
    )
    if person is None:
        raise Http404
    if record_read:
        audit_view(actor=user, obj=person)
    return person


def households_for_casework(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(access.households_q(user))


def get_household_for_casework(user: Any, household_id: int, *, record_read: bool = True) -> Household:
    household = (
        households_for_casework(user)
        .filter(pk=household_id)
        .select_related("dwelling__building", "organisation")
        .first()
    )
    if household is None:
        raise Http404
    if record_read:
        audit_view(actor=user, obj=household)
    return household
