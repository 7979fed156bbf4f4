"""Building blocks for the case work tests: persons in the city register, referred by the
Clearingstelle to a county unit, and case files opened there — all through the services.

The ``casework`` fixture is offered to every module here by ``tests/cases/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.cases.models import CaseFile, Referral
from lotse.cases.services import case_files, referrals
from lotse.core.services import audited_update
from lotse.people import services as people_services
from lotse.people.models import Household, Person
from lotse.people.services import PersonInput

LEGAL_BASIS = "Art. 6 Abs. 1 lit. e DSGVO"


class Casework:
    def __init__(self, personas: Any) -> None:
        self.p = personas
        self.today = timezone.localdate()

    def unit(self, slug: str) -> Unit:
        return Unit.objects.get(slug=slug)

    def person(self, given: str = "Ana Maria", family: str = "Popescu", **values: Any) -> Person:
        return people_services.person_create(
            actor=self.p.clearing,
            organisation=self.p.city,
            data=PersonInput(given_names=given, family_name=family, values=values),
        )

    def household(
        self, name: str, head: Person, *others: Person, relationship: str = "relative"
    ) -> Household:
        """A household in the city register: ``head`` at its head, ``others`` as ``relationship``."""
        household = people_services.household_create(actor=self.p.clearing, person=head, name=name)
        for person in others:
            people_services.household_member_add(
                actor=self.p.clearing, household=household, person=person, relationship=relationship
            )
        for member in (head, *others):
            member.refresh_from_db()
        return household

    def refer(self, person: Person, to: str = "aufsuchende-sozialarbeit") -> Referral:
        return referrals.referral_create(
            actor=self.p.clearing,
            person=person,
            from_unit=self.unit("clearingstelle"),
            to_unit=self.unit(to),
            reason="Familie braucht Begleitung zu Ämtern",
            legal_basis=LEGAL_BASIS,
        )

    def refer_case(
        self, case: CaseFile, to: str = "caritas-mbe", actor: User | None = None, **shared: Any
    ) -> Referral:
        """The owning unit refers the case's person onward, naming the case: the receiver reads
        what ``shared`` passes on (``shared=[...]``, ``assessment_domains=[...]``)."""
        return referrals.referral_create(
            actor=actor or self.p.outreach,
            person=case.person,
            from_unit=case.owner_unit,
            to_unit=self.unit(to),
            reason="Migrationsberatung zu Aufenthalt und Leistungen",
            legal_basis=LEGAL_BASIS,
            case=case,
            **shared,
        )

    def open_case(
        self,
        person: Person | None = None,
        *,
        actor: User | None = None,
        unit: str = "aufsuchende-sozialarbeit",
        **values: Any,
    ) -> CaseFile:
        """A case in ``unit`` for a (new) person the Clearingstelle referred there."""
        person = person or self.person()
        if not Referral.objects.filter(person=person, to_unit__slug=unit).exists():
            self.refer(person, to=unit)
        return case_files.case_file_open(
            actor=actor or self.p.outreach, owner_unit=self.unit(unit), person=person, **values
        )

    def set_gender(self, user: User, gender: str) -> User:
        user, _changes = audited_update(actor=None, instance=user, data={"gender": gender})
        return user

    def colleague(
        self, username: str, unit: str = "aufsuchende-sozialarbeit", role: str = "caseworker"
    ) -> User:
        from lotse.accounts import services

        organisation = self.unit(unit).organisations.order_by("pk").first()
        user = services.user_create(
            actor=None,
            username=username,
            organisation=organisation,  # type: ignore[arg-type]
            password=None,
            first_name=username.title(),
            last_name="Test",
            email=f"{username}@example.org",
        )
        services.membership_create(actor=None, user=user, unit=self.unit(unit), role=role)
        return user

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)


@pytest.fixture
def casework(personas) -> Casework:
    return Casework(personas)
