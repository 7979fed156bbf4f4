"""Access rules of housing inspection (Wohnraumkontrolle).

- The housing register of an organisation (its buildings, dwellings, owners and managers) and
  its inspections, findings, photos, orders, fine proceedings and closures are seen by the
  members of its housing inspection unit (``Unit.Kind.HOUSING``) who read case work there
  (``view_cases``), and changed by those who work on it (``edit_cases``). Other authorities
  invited to an inspection have no accounts: they receive the letters.
- The Clearingstelle reads the buildings where people of its register live (its occupancy
  plan, ``lotse/clearing/access.py``); it gets the registration office's tasks through the
  follow-ups of its unit, which name the dwelling and the counts, nobody.
- The figures (aggregates only) are seen by the unit and, with counts below five suppressed,
  by whoever sees the aggregates of their own organisation (head of office, statistics).

Registered with ``lotse.core.access`` by ``HousingConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation, Unit
from lotse.accounts.roles import Capability as C
from lotse.accounts.roles import capabilities_for
from lotse.core import access
from lotse.housing.models import (
    Building,
    Closure,
    Dwelling,
    Finding,
    FineProceeding,
    Inspection,
    Order,
    Party,
    Photo,
)


def housing_units(user: Any, capability: C) -> list[Unit]:
    """The housing inspection units in which the user holds ``capability`` for their employer."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return []
    return [
        membership.unit
        for membership in policy.memberships_of(user)
        if membership.unit.kind == Unit.Kind.HOUSING
        and capability in capabilities_for(membership.role)
        and organisation_id in {o.pk for o in membership.unit.organisations.all()}
    ]


def _organisations(user: Any, capability: C) -> set[int]:
    return {user.organisation_id} if housing_units(user, capability) else set()


def _rows(path: str, capability: C) -> Any:
    def rule(user: Any) -> Q | None:
        ids = _organisations(user, capability)
        return Q(**{f"{path}__in": ids}) if ids else None

    return rule


for model, path in [
    (Building, "organisation_id"),
    (Party, "organisation_id"),
    (Dwelling, "building__organisation_id"),
    (Inspection, "organisation_id"),
    (Finding, "inspection__organisation_id"),
    (Photo, "inspection__organisation_id"),
    (Order, "finding__inspection__organisation_id"),
    (FineProceeding, "order__finding__inspection__organisation_id"),
    (Closure, "inspection__organisation_id"),
]:
    access.reason(model, "view", "housing_inspection")(_rows(path, C.VIEW_CASES))
    access.reason(model, "edit", "housing_inspection")(_rows(path, C.EDIT_CASES))


def _reads(user: Any, target: Any) -> bool:
    return bool(housing_units(user, C.VIEW_CASES))


def _writes(user: Any, target: Any) -> bool:
    return bool(housing_units(user, C.EDIT_CASES))


for model in (Building, Party, Dwelling, Inspection, Order):
    access.check(model, "list")(_reads)
    access.check(model, "create")(_writes)


def _object_in(user: Any, target: Any, capability: C) -> bool:
    ids = _organisations(user, capability)
    if not ids:
        return False
    if isinstance(target, type):
        return True
    organisation_id = {
        Building: lambda b: b.organisation_id,
        Party: lambda p: p.organisation_id,
        Dwelling: lambda d: d.building.organisation_id,
        Inspection: lambda i: i.organisation_id,
        Order: lambda o: o.finding.inspection.organisation_id,
        Photo: lambda p: p.inspection.organisation_id,
        FineProceeding: lambda f: f.order.finding.inspection.organisation_id,
        Finding: lambda f: f.inspection.organisation_id,
        Closure: lambda c: c.inspection.organisation_id,
    }[type(target)](target)
    return organisation_id in ids


for model in (Building, Party, Dwelling, Inspection, Finding, Order, Photo, FineProceeding, Closure):
    access.check(model, "edit")(lambda user, target: _object_in(user, target, C.EDIT_CASES))
    access.check(model, "view")(lambda user, target: _object_in(user, target, C.VIEW_CASES))


@access.reason(Organisation, "housing_figures", "housing_or_aggregates")
def organisations_with_housing_figures(user: Any) -> Q | None:
    ids = _organisations(user, C.VIEW_CASES)
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id and policy.has_capability(user, C.VIEW_AGGREGATES, organisation_id=organisation_id):
        ids.add(organisation_id)
    return Q(pk__in=ids) if ids else None


@access.check(Organisation, "housing_figures")
def sees_housing_figures(user: Any, target: Any) -> bool:
    return organisations_with_housing_figures(user) is not None


@access.check(Organisation, "housing_figures_in_full")
def sees_small_counts(user: Any, target: Any) -> bool:
    """The unit itself sees every count; outside it, counts below five are suppressed."""
    return bool(housing_units(user, C.VIEW_CASES))
