"""Occupancy plan (Belegungsplan): who lives in which dwelling of a building – according to the
register, and according to the arrival interviews. Differences and overcrowding stand out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from lotse.accounts.models import Organisation
from lotse.clearing import routing
from lotse.clearing.models import ArrivalInterview
from lotse.clearing.selectors import routing_rules_of
from lotse.core import access
from lotse.housing.models import Building, Dwelling
from lotse.people.models import Person


@dataclass(frozen=True)
class DwellingOccupancy:
    dwelling: Dwelling
    registered: list[Person]
    interview: ArrivalInterview | None  # the latest interview of someone registered here
    overcrowded: bool
    minimum_area: Decimal | None

    @property
    def persons_by_interview(self) -> int | None:
        return self.interview.dwelling_persons if self.interview else None

    @property
    def differs(self) -> bool:
        return self.interview is not None and self.interview.dwelling_persons != len(self.registered)

    @property
    def area(self) -> Decimal | None:
        if self.dwelling.area_m2 is not None:
            return self.dwelling.area_m2
        return self.interview.dwelling_area_m2 if self.interview else None


def _registers(user: Any) -> Any:
    """The registers the user keeps (whose occupants the plans show), as a subquery."""
    return access.visible(user, Organisation, "keep_register").values("pk")


def _current(organisation_ids: Any) -> Q:
    return Q(
        dwellings__registered_persons__organisation_id__in=organisation_ids,
        dwellings__registered_persons__kept_by__isnull=True,  # a unit's own records are not the register
        dwellings__registered_persons__merged_into__isnull=True,
    )


def buildings_for(user: Any, query: str = "") -> QuerySet[Building]:
    """Buildings with people of the user's register, the fullest first."""
    ids = _registers(user)
    buildings = access.visible(user, Building, "occupancy").annotate(
        persons=Count("dwellings__registered_persons", filter=_current(ids), distinct=True),
        dwelling_count=Count("dwellings", filter=_current(ids), distinct=True),
    )
    if query:
        buildings = buildings.filter(street__icontains=query)
    return buildings.order_by("-persons", "street", "house_number")


def occupancy_plan(user: Any, building_id: int) -> tuple[Building, list[DwellingOccupancy]]:
    """The building's dwellings with their occupants, or 404 (no register, or nobody of it here).

    Queries: the building, its dwellings with current registered persons, and the interviews
    of those persons with their children (for the child-aware area rule).
    """
    ids = _registers(user)
    building = access.get(user, Building, building_id, "occupancy")
    persons = Person.objects.filter(
        organisation_id__in=ids, kept_by__isnull=True, merged_into__isnull=True
    ).order_by("family_name", "given_names")
    dwellings = list(
        building.dwellings.prefetch_related(Prefetch("registered_persons", queryset=persons)).order_by(
            "label"
        )
    )
    interviews = (
        ArrivalInterview.objects.filter(
            organisation_id__in=ids, person__dwelling__building=building, person__merged_into__isnull=True
        )
        .select_related("person")
        .prefetch_related("children")
        .order_by("held_on", "pk")
    )
    latest: dict[int, ArrivalInterview] = {}
    for held in interviews:  # ordered oldest first: the last one per dwelling wins
        latest[held.person.dwelling_id] = held  # type: ignore[index]
    # The state rules of the register's authority: the user's employer keeps the register.
    state = routing_rules_of(user.organisation_id).get("state", "")
    plan = []
    for dwelling in dwellings:
        registered = list(dwelling.registered_persons.all())
        interview = latest.get(dwelling.pk)
        crowded, needed = False, None
        if interview is not None and state:
            facts = routing.facts_of(interview)
            if facts.dwelling_area_m2 is None and dwelling.area_m2 is not None:
                facts = routing.InterviewFacts(**{**facts.__dict__, "dwelling_area_m2": dwelling.area_m2})
            result = routing.overcrowded(facts, state)
            if result is not None:
                crowded, needed = result.overcrowded, result.required_m2
        if registered or interview:
            plan.append(DwellingOccupancy(dwelling, registered, interview, crowded, needed))
    return building, plan
