"""Access rules of the dashboards and the council report (aggregates only, never a name).

- A unit's dashboard: its own staff (a role in the unit that works with its cases or sees its
  figures: caseworker, unit lead) see it in full; whoever sees the aggregates of the whole
  organisation (head of office, statistics) sees the dashboards of all the organisation's
  units that have figures, with counts below five suppressed. Nobody else, and no other
  organisation's units.
- The office's dashboard (all sections of the organisation) and the council report: whoever
  sees the aggregates of the whole organisation; always suppressed, because both leave the
  units.

Registered with ``lotse.core.access`` by ``ReportsConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation, Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.reports.sections import DETAIL_PAGES, UNIT_SECTIONS


def _staff_units(user: Any) -> set[int]:
    return policy.unit_ids(user, C.VIEW_CASES, C.VIEW_AGGREGATES)


def _organisation_aggregates(user: Any) -> int | None:
    """The user's organisation, if the user sees its aggregates as a whole."""
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(user, C.VIEW_AGGREGATES, organisation_id=organisation_id):
        return int(organisation_id)
    return None


@access.reason(Unit, "dashboard", "staff_or_aggregates")
def dashboard_units(user: Any) -> Q | None:
    kinds = list(UNIT_SECTIONS)
    result = None
    if staff := _staff_units(user):
        result = Q(pk__in=sorted(staff), kind__in=kinds)
    if (organisation_id := _organisation_aggregates(user)) is not None:
        whole = Q(kind__in=kinds, pk__in=Unit.objects.filter(organisations__pk=organisation_id).values("pk"))
        result = whole if result is None else result | whole
    return result


@access.check(Unit, "dashboard")
def sees_dashboards(user: Any, target: Any) -> bool:
    if isinstance(target, type):  # the navigation asks: from the loaded memberships, no query
        if _organisation_aggregates(user) is not None:
            return True
        staff = _staff_units(user)
        return any(m.unit_id in staff and m.unit.kind in UNIT_SECTIONS for m in policy.memberships_of(user))
    return Unit.objects.filter(dashboard_units(user) or access.NOTHING, pk=target.pk).exists()


@access.check(Unit, "figures_menu")
def sees_any_figures(user: Any, target: Any) -> bool:
    """The one „Kennzahlen“ entry of the navigation: for whoever sees a dashboard or one of the
    units' detailed figures pages (``sections.DETAIL_PAGES``)."""
    return sees_dashboards(user, Unit) or any(entry.allowed(user) for entry in DETAIL_PAGES.values())


@access.check(Unit, "dashboard_in_full")
def works_in(user: Any, target: Any) -> bool:
    """Inside the unit: its dashboard shows small counts unsuppressed."""
    return not isinstance(target, type) and target.pk in _staff_units(user)


@access.reason(Organisation, "office_dashboard", "aggregates")
def office_organisations(user: Any) -> Q | None:
    organisation_id = _organisation_aggregates(user)
    return Q(pk=organisation_id) if organisation_id is not None else None


@access.check(Organisation, "office_dashboard")
def sees_office(user: Any, target: Any) -> bool:
    organisation_id = _organisation_aggregates(user)
    if isinstance(target, type):
        return organisation_id is not None
    return organisation_id == target.pk
