"""Builders for arrival interview tests: persons and interviews through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lotse.clearing import services
from lotse.clearing.models import ArrivalInterview
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.models import Person

_counter = {"n": 0}


def make_person(
    personas: Any, given: str = "Ana", family: str = "Popescu", *, sex: str = "f", nationality: str = "RO"
) -> Person:
    _counter["n"] += 1
    return people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names=given,
            family_name=family,
            birth_date=PartialDate(1980 + _counter["n"] % 20, 3, 14),
            values={
                "sex": sex,
                "nationalities": [nationality],
                "languages": ["ro"],
                "register_id": f"T-{_counter['n']}",
            },
        ),
    )


def interview_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": dt.date(2022, 11, 3),
        "interpreter_used": True,
        "interpreter_language": "ro",
        "languages": ["ro"],
        "reason": "work",
        "employed": True,
        "employer": "Fleischwerk GmbH",
        "sector": "food",
        "via_agency": True,
        "contract": "agency",
        "vocational_training": False,
        "housing": "rented",
        "dwelling_persons": 2,
        "dwelling_area_m2": Decimal("60"),
        "health_insurance": "yes",
        "insurer": "AOK",
        "needs": [],
        "notes": "",
    }
    data.update(changes)
    return data


def make_interview(
    personas: Any,
    person: Person | None = None,
    *,
    children: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> ArrivalInterview:
    further_adults = changes.pop("further_adults", [])
    materials = changes.pop("materials", [])
    return services.interview_create(
        actor=personas.clearing,
        person=person or make_person(personas),
        data=interview_data(**changes),
        children=children or [],
        further_adults=further_adults,
        materials=materials,
    )
