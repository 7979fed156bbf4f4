"""Overcrowding and the checklist of minimum standards, from ``housing.yaml``.

``assess(state, area_m2, persons=…, children_ages=…)`` counts who lives in a dwelling against
the state's minimum area: every person at the full rate, a small child (as young as the state's
law says) at the child's rate where the law has one. Exactly the minimum is not overcrowded:
the laws ask that „mindestens“ so much area be there. Pure arithmetic, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from lotse.core.statelaw import rule

TOPIC = "housing"


@dataclass(frozen=True)
class Overcrowding:
    persons: int  # counted at the full rate: adults and children above the state's limit
    children_under_limit: int  # counted at the small child's rate
    area_m2: Decimal
    required_m2: Decimal
    overcrowded: bool
    rule: str  # the citation, shown next to the result

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["area_m2"] = float(self.area_m2)
        data["required_m2"] = float(self.required_m2)
        return data


def housing_rule(state: str) -> dict[str, Any]:
    return rule(TOPIC, state)


def is_small_child(age: int | None, state: str) -> bool:
    """Whether a person of ``age`` (completed years) counts at the small child's rate."""
    small = housing_rule(state)["occupancy"].get("small_child")
    return small is not None and age is not None and 0 <= age <= int(small["age_at_most"])


def required_area(state: str, *, persons: int, children_under_limit: int = 0) -> Decimal:
    occupancy = housing_rule(state)["occupancy"]
    small = occupancy.get("small_child")
    full = Decimal(str(occupancy["m2_per_person"]))
    if small is None:
        return full * (persons + children_under_limit)
    return full * persons + Decimal(str(small["m2"])) * children_under_limit


def assess(
    state: str, area_m2: Decimal | None, *, persons: int, children_ages: Iterable[int | None] = ()
) -> Overcrowding | None:
    """``persons`` people in all live on ``area_m2``; ``children_ages`` are the ages of the
    children among them (unknown ages count at the full rate). None without an area."""
    if area_m2 is None or persons <= 0:
        return None
    small = min(sum(1 for age in children_ages if is_small_child(age, state)), persons)
    if housing_rule(state)["occupancy"].get("small_child") is None:
        small = 0
    required = required_area(state, persons=persons - small, children_under_limit=small)
    return Overcrowding(
        persons=persons - small,
        children_under_limit=small,
        area_m2=Decimal(area_m2),
        required_m2=required,
        overcrowded=Decimal(area_m2) < required,
        rule=str(housing_rule(state)["citation"]),
    )


def checklist(state: str) -> list[dict[str, str]]:
    """The minimum standards an inspection checks, each with its paragraph."""
    return [dict(item) for item in housing_rule(state)["checklist"]]


def citation_of(state: str, what: str) -> str:
    """The paragraph for ``orders``, ``uninhabitable`` or ``fines`` in ``state``."""
    return str(housing_rule(state).get(what, ""))
