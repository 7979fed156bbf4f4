"""Hand-counted Clearingstelle data for the reports' tests, with names nobody may read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.services import Address, PersonInput
from tests.clearing.interviews import make_interview

# Distinctive names: the reports must never contain them.
NAMES = ["Zenobia", "Quastwurst", "Ilarion", "Xylander", "Mirabela", "Vontobelka"]


def person(personas: Any, given: str, family: str, *, sex: str, nationality: str = "RO", district: str = ""):
    address = (
        Address(street="Saalstraße", house_number="7", postcode="06667", city="Weißenfels", district=district)
        if district
        else None
    )
    person.counter = getattr(person, "counter", 0) + 1  # type: ignore[attr-defined]
    return people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=PersonInput(
            given_names=given,
            family_name=family,
            birth_date=PartialDate(1985, 3, 14),
            address=address,
            values={
                "sex": sex,
                "nationalities": [nationality],
                "languages": ["ro"],
                "register_id": f"R-{person.counter}",  # type: ignore[attr-defined]
            },
        ),
    )


@pytest.fixture
def arrivals(personas):
    """2025: 6 interviews, 7 adults (5 men; 6 RO, 1 BG), 2 children; 5 work in food processing,
    1 without work. One of them (2 adults, 2 children) lives in Neustadt. 2024: 1 interview
    (a Polish woman)."""
    first = person(personas, NAMES[0], NAMES[1], sex="m", district="Neustadt")
    partner = person(personas, NAMES[2], NAMES[3], sex="m", nationality="BG", district="Neustadt")
    child = {"name": "Kind", "age": 7, "school_status": "attends"}
    make_interview(
        personas, first, held_on=dt.date(2025, 3, 10), further_adults=[partner], children=[child] * 2
    )
    others = [person(personas, f"{NAMES[4]}{i}", NAMES[5], sex="m" if i < 3 else "f") for i in range(5)]
    make_interview(personas, others[0], held_on=dt.date(2025, 6, 1), employed=False, sector="none")
    for other in others[1:]:
        make_interview(personas, other, held_on=dt.date(2025, 6, 2))
    earlier = person(personas, "Wanda", "Przybyszewska", sex="f", nationality="PL")
    make_interview(personas, earlier, held_on=dt.date(2024, 5, 1))
    return first
