from __future__ import annotations

import pytest

from lotse.people import services
from lotse.people.matching import parse_birth_date
from lotse.people.services import Address, PersonInput
from tests.cases.casework import casework  # noqa: F401
from tests.cases.sharing import sharing  # noqa: F401


def person_input(given: str, family: str, birth: str = "", **values) -> PersonInput:
    address = values.pop("address", None)
    return PersonInput(
        given_names=given,
        family_name=family,
        birth_date=parse_birth_date(birth) if birth else None,
        address=address,
        values=values,
    )


NEUSTADT = Address(
    street="Naumburger Straße",
    house_number="12",
    postcode="06667",
    city="Weißenfels",
    dwelling_label="2. OG links",
)


@pytest.fixture
def register(personas):
    """A few people in the city's register, entered by the Clearingstelle."""

    def add(given: str, family: str, birth: str = "", **values):
        return services.person_create(
            actor=personas.clearing,
            organisation=personas.city,
            data=person_input(given, family, birth, **values),
        )

    return add


def spelling_family(register) -> list:
    """Spellings of two families in the city's register: the duplicate work list's pairs."""
    return [
        register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT),
        register("Stefan", "Popescu", "1988", address=NEUSTADT),
        register("Stefan", "Popesku", "14.03.1988"),
        register("Ioana", "Popescu", "14.03.2015", address=NEUSTADT),
        register("Mihai", "Ionescu", "02.05.1979"),
        register("Mihai", "Ionescu", "1979"),
        register("Mihail", "Ionescu", "02.05.1979"),
    ]
