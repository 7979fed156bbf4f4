"""Access rules of the public pages' editing side.

- The public pages themselves need no rule: they show no personal data (addresses and
  opening hours of an office, public activities, partners, material), so nobody needs a
  reason to read them (decision 0030). Their selectors take no user.
- Who edits an organisation's portal (translations, which activities are public): the staff
  of a neighbourhood unit of that organisation (the publishing unit) with the case-work or
  the volunteer-coordination capability, for their employer's organisation only.
- An activity is made public or private by the same people, for the activities of their unit.
- The same people create their organisation's portal (``Organisation`` ``open_portal``) and keep
  its partner directory (``Portal`` ``translate``).

Registered with ``lotse.core.access`` by ``PortalConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation, Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.neighbourhood.models import Activity
from lotse.portal.models import Portal, PortalPartner


def publishing_units(user: Any) -> dict[int, int]:
    """Neighbourhood units whose public pages the user edits → the user's organisation."""
    found: dict[int, int] = {}
    for membership in policy.memberships_of(user):
        unit = membership.unit
        if unit.kind != Unit.Kind.NEIGHBOURHOOD:
            continue
        if not {C.EDIT_CASES, C.MANAGE_VOLUNTEERS} & policy.capabilities_for(membership.role):
            continue
        if user.organisation_id in {o.pk for o in unit.organisations.all()}:
            found[unit.pk] = user.organisation_id
    return found


@access.reason(Portal, "edit", "publishing_unit")
def edited_portals(user: Any) -> Q | None:
    units = publishing_units(user)
    return Q(organisation_id__in=set(units.values())) if units else None


@access.reason(PortalPartner, "edit", "publishing_unit")
def edited_partners(user: Any) -> Q | None:
    """Entries of the partner directories of the portals the user edits."""
    units = publishing_units(user)
    return Q(portal__organisation_id__in=set(units.values())) if units else None


@access.check(Portal, "translate")
def translates(user: Any, target: Any) -> bool:
    units = publishing_units(user)
    if isinstance(target, type):
        return bool(units)
    return target.organisation_id in set(units.values())


@access.check(Organisation, "open_portal")
def opens_portal(user: Any, target: Any) -> bool:
    """Who may create the public pages of an organisation: its publishing unit's staff."""
    units = publishing_units(user)
    if isinstance(target, type):
        return bool(units)
    return target.pk in set(units.values())


@access.reason(Activity, "publish", "publishing_unit")
def publishable_activities(user: Any) -> Q | None:
    units = publishing_units(user)
    if not units:
        return None
    result = access.NOTHING
    for unit_id, organisation_id in units.items():
        result |= Q(unit_id=unit_id, organisation_id=organisation_id)
    return result


@access.check(Activity, "publish")
def publishes(user: Any, target: Any) -> bool:
    units = publishing_units(user)
    if isinstance(target, type):
        return bool(units)
    return units.get(target.unit_id) == target.organisation_id
