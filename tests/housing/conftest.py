"""Building blocks for the housing inspection tests, all through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lotse.housing import services
from lotse.housing.models import Dwelling, Inspection
from lotse.people import services as people_services
from lotse.people.services import Address, PersonInput


class Housing:
    def __init__(self, personas: Any) -> None:
        self.personas = personas
        self.inspector = personas.housing

    def owner(self, name: str = "Saale Wohnen GmbH", **values: Any) -> Any:
        return services.party_create(actor=self.inspector, kind="company", name=name, **values)

    def building(self, street: str = "Naumburger Straße", number: str = "12", **values: Any) -> Any:
        return services.building_create(
            actor=self.inspector,
            street=street,
            house_number=number,
            postcode="06667",
            city="Weißenfels",
            district="Neustadt",
            **values,
        )

    def dwelling(self, building: Any = None, label: str = "2. OG links", area: str | None = "40") -> Dwelling:
        building = building or self.building()
        return services.dwelling_create(
            actor=self.inspector,
            building=building,
            data={"label": label, "area_m2": Decimal(area) if area is not None else None},
        )

    def at(self, days: int, hour: int = 10) -> dt.datetime:
        day = timezone.localdate() + dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    def inspection(self, dwelling: Dwelling | None = None, days: int = 2, **values: Any) -> Inspection:
        return services.inspection_plan(
            actor=self.inspector,
            dwelling=dwelling or self.dwelling(),
            cause=values.pop("cause", Inspection.Cause.COMPLAINT),
            planned_at=self.at(days),
            **values,
        )

    def resident(self, dwelling: Dwelling, given: str = "Ana", family: str = "Popescu") -> Any:
        building = dwelling.building
        return people_services.person_create(
            actor=self.personas.clearing,
            organisation=self.personas.city,
            data=PersonInput(
                given_names=given,
                family_name=family,
                address=Address(
                    street=building.street,
                    house_number=building.house_number,
                    postcode=building.postcode,
                    city=building.city,
                    dwelling_label=dwelling.label,
                ),
            ),
        )


@pytest.fixture
def housing(personas) -> Housing:
    return Housing(personas)
