"""Builders for the school team's tests: an arrival interview routed to the school team,
through the real services, under the joint-controller arrangement of city and county."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lotse.accounts import services as account_services
from lotse.accounts.models import Unit
from lotse.clearing import services as clearing_services
from lotse.clearing.routing import Proposal
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.models import Person
from lotse.schooling import services
from lotse.schooling.models import ListedChild, School
from tests.clearing.interviews import make_interview, make_person

BASIS = "§ 37 Abs. 1 SchulG LSA i. V. m. Art. 6 Abs. 1 lit. e DSGVO"


def arrangement(personas: Any) -> Any:
    return account_services.joint_arrangement_record(
        actor=None,
        unit=Unit.objects.get(slug="schulteam"),
        organisations=[personas.county, personas.city],
        purposes="Schulpflicht zugewanderter Kinder",
        valid_from=dt.date(2022, 1, 1),
        valid_until=None,
        document="Vereinbarung nach Art. 26 DSGVO (Test)",
    )


def child_person(personas: Any, parent: Person, given: str, born: dt.date) -> Person:
    person = people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names=given,
            family_name=parent.family_name,
            birth_date=PartialDate(born.year, born.month, born.day),
            values={"languages": ["ro"]},
        ),
    )
    household = parent.household or people_services.household_create(actor=None, person=parent)
    parent.refresh_from_db()
    people_services.household_member_add(
        actor=None, household=household, person=person, relationship=Person.Relationship.CHILD
    )
    return person


def route_to_school_team(personas: Any, interview: Any) -> list[Any]:
    proposal = Proposal(
        rule="Schulpflichtiges Kind ohne Schulplatz", to_unit="schulteam", reason="Kind ohne Schulplatz."
    )
    return clearing_services.interview_route(
        actor=personas.clearing, interview=interview, confirmed=[(proposal, BASIS)]
    )


@dataclass
class Family:
    parent: Person
    interview: Any
    referral: Any
    held_on: dt.date


@pytest.fixture
def family(personas) -> Family:
    """A mother with Elena (born 10.05.2015, in the register, no school place) and two children
    told of in the interview: Andrei (9, no school place) and Maria (3, needs day-care)."""
    arrangement(personas)
    parent = make_person(personas, "Ioana", "Marinescu")
    parent.refresh_from_db()
    people_services.household_create(actor=None, person=parent)
    parent.refresh_from_db()
    elena = child_person(personas, parent, "Elena", dt.date(2015, 5, 10))
    held_on = dt.date(2026, 9, 1)
    interview = make_interview(
        personas,
        parent,
        held_on=held_on,
        children=[
            {"person": elena, "age": 11, "school_status": "no_place", "day_care_status": "not_applicable"},
            {"name": "Andrei", "age": 9, "school_status": "no_place", "day_care_status": "not_applicable"},
            {"name": "Maria", "age": 3, "school_status": "not_school_age", "day_care_status": "no_place"},
            {
                "name": "Ion Marinescu",
                "age": 11,
                "school_status": "attends",
                "day_care_status": "not_applicable",
            },
        ],
    )
    [referral] = route_to_school_team(personas, interview)
    return Family(parent, interview, referral, held_on)


def school(
    unit_slug: str = "schulteam", name: str = "Grundschule Neustadt", places: int = 2, kind: str = "primary"
) -> School:
    return services.school_create(
        actor=None,
        unit=Unit.objects.get(slug=unit_slug),
        data={
            "name": name,
            "kind": kind,
            "grades": "1–4",
            "language_class_places": places,
            "city": "Weißenfels",
        },
    )


def listed(family: Family, given: str, need: str = ListedChild.Need.SCHOOL) -> ListedChild:
    return ListedChild.objects.get(person__given_names=given, person__family_name="Marinescu", need=need)


@pytest.fixture
def work(family, personas) -> Any:
    """Elena and Andrei each on a school path and in a missed-schooling report at the primary
    school, a day-care centre beside it; the county's school team member, who did it."""
    actor = personas.school_county
    primary = school()
    school(name="Kita Sonne", kind="day_care")
    for given in ("Elena", "Andrei"):
        services.enrolment_register(
            actor=actor, child=listed(family, given), school=primary, on=dt.date(2026, 9, 7)
        )
        services.report_create(
            actor=actor,
            child=listed(family, given),
            school=primary,
            received_on=dt.date(2026, 5, 12),
            missed_from=dt.date(2026, 5, 4),
            missed_to=dt.date(2026, 5, 8),
            days_missed=3,
        )
    return actor
