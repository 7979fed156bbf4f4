"""Access rules of steering (integration concept, indicators, round tables, funding).

- **Read** everything of an organisation's steering: whoever steers it (``MANAGE_PLANNING``:
  head of office, integration officer) and whoever sees the organisation's aggregates across
  it (``VIEW_AGGREGATES`` with organisation scope: statistics). Nothing here names a client.
- **Unit heads** (``MANAGE_UNIT``) read the measures their unit is responsible for, and only
  those, with the concept version they belong to being none of their business.
- **Edit**: only whoever steers (``MANAGE_PLANNING``) in their own organisation.
- **Round-table action items**: their owner sees and completes them (they are on the owner's
  start page), besides whoever steers.
- Outsiders (another organisation) see nothing: 404.

Registered with ``lotse.core.access`` by ``PlanningConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.planning.models import (
    Concept,
    ConceptVersion,
    Grant,
    Indicator,
    PlanningMeasure,
    PopulationFigure,
    Post,
    Programme,
    ReportingDeadline,
    RoundTable,
    RoundTableAction,
)


def _own(user: Any, *wanted: C) -> list[int]:
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id and any(
        policy.has_capability(user, capability, organisation_id=organisation_id) for capability in wanted
    ):
        return [organisation_id]
    return []


def planners(user: Any) -> list[int]:
    """Organisations whose steering the user edits."""
    return _own(user, C.MANAGE_PLANNING)


def readers(user: Any) -> list[int]:
    """Organisations whose steering the user reads."""
    return _own(user, C.MANAGE_PLANNING, C.VIEW_AGGREGATES)


def _q(organisations: list[int], path: str) -> Q | None:
    return Q(**{f"{path}__in": organisations}) if organisations else None


ORGANISATION_PATHS: dict[type, str] = {
    Concept: "organisation_id",
    ConceptVersion: "concept__organisation_id",
    PlanningMeasure: "field__version__concept__organisation_id",
    Indicator: "organisation_id",
    PopulationFigure: "organisation_id",
    RoundTable: "organisation_id",
    RoundTableAction: "round_table__organisation_id",
    Programme: "organisation_id",
    Grant: "programme__organisation_id",
    Post: "organisation_id",
    ReportingDeadline: "grant__programme__organisation_id",
}


def _register(model: type, path: str) -> None:
    access.reason(model, "view", "steering")(lambda user: _q(readers(user), path))
    access.reason(model, "edit", "steering")(lambda user: _q(planners(user), path))


for _model, _path in ORGANISATION_PATHS.items():
    _register(_model, _path)


@access.reason(PlanningMeasure, "view", "responsible_unit")
def measures_of_led_units(user: Any) -> Q | None:
    units = policy.unit_ids(user, C.MANAGE_UNIT)
    return Q(responsible_unit_id__in=sorted(units)) if units else None


@access.reason(RoundTableAction, "view", "owner")
def own_actions(user: Any) -> Q | None:
    return Q(owner_id=user.pk)


@access.reason(RoundTableAction, "complete", "owner_or_steering")
def completes_action(user: Any) -> Q | None:
    steering = _q(planners(user), "round_table__organisation_id")
    own = Q(owner_id=user.pk)
    return own if steering is None else own | steering


@access.check(Concept, "list")
def reads_steering(user: Any, target: Any) -> bool:
    return bool(readers(user))


@access.check(Concept, "plan")
def steers(user: Any, target: Any) -> bool:
    """May create concepts, indicators, round tables, programmes and posts (for their own
    organisation)."""
    return bool(planners(user))


@access.check(PlanningMeasure, "list")
def reads_measures(user: Any, target: Any) -> bool:
    return bool(readers(user)) or bool(policy.unit_ids(user, C.MANAGE_UNIT))
