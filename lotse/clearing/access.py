"""Access rules of the Clearingstelle: register imports, arrival interviews, occupancy plans
and its figures.

- Imports and interviews belong to the organisation whose register they write; they are
  seen and worked with by those who keep that register (the Clearingstelle). A person can be
  interviewed by them while the record is current (not merged away).
- An occupancy plan shows a building where persons of that register live, to its keepers.
- The Clearingstelle figures (aggregates only) are seen by the register's keepers and by
  whoever sees the aggregates of their own organisation (head of office, statistics).
- The information library (leaflets, no personal data) is read by the staff of its
  organisation who work with people (case work) and by those who keep it; it is kept (materials created, PDFs
  uploaded, the current version chosen) by the register's keepers (Clearingstelle), the head
  of office / integration officer (who steers the organisation's integration work, also where
  there is no register) and the organisation's administrators. A hand-out is shown with its
  interview. Nobody else sees a library, not even that it exists; the public sees only the
  current files of public materials (``lotse.clearing.selectors.public_materials``).

Registered with ``lotse.core.access`` by ``ClearingConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation
from lotse.accounts.roles import Capability as C
from lotse.clearing.models import ArrivalInterview, Material, MaterialVersion, RegisterImport
from lotse.core import access
from lotse.housing.models import Building
from lotse.people.models import Person


def _keeps(user: Any) -> set[int]:
    return policy.register_organisation_ids(user, C.KEEP_REGISTER)


def _of_register(user: Any) -> Q | None:
    keeps = _keeps(user)
    return Q(organisation_id__in=keeps) if keeps else None


access.reason(RegisterImport, "view", "register_keeper")(_of_register)
access.reason(ArrivalInterview, "view", "register_keeper")(_of_register)
access.reason(ArrivalInterview, "edit", "register_keeper")(_of_register)


@access.check(RegisterImport, "list")
def may_import(user: Any, target: Any) -> bool:
    return bool(_keeps(user))


@access.check(ArrivalInterview, "list")
def holds_interviews(user: Any, target: Any) -> bool:
    return bool(_keeps(user))


@access.reason(Person, "interview", "register_keeper")
def persons_to_interview(user: Any) -> Q | None:
    keeps = _keeps(user)
    return Q(organisation_id__in=keeps, kept_by__isnull=True, merged_into__isnull=True) if keeps else None


@access.reason(Building, "occupancy", "register_keeper")
def buildings_of_register(user: Any) -> Q | None:
    """Buildings where current persons of the register live."""
    keeps = _keeps(user)
    if not keeps:
        return None
    return Q(
        pk__in=Building.objects.filter(
            dwellings__registered_persons__organisation_id__in=keeps,
            dwellings__registered_persons__kept_by__isnull=True,
            dwellings__registered_persons__merged_into__isnull=True,
        ).values("pk")
    )


@access.reason(Organisation, "figures", "register_keeper_or_aggregates")
def organisations_with_figures(user: Any) -> Q | None:
    ids = set(_keeps(user))
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(user, C.VIEW_AGGREGATES, organisation_id=organisation_id):
        ids.add(organisation_id)
    return Q(pk__in=ids) if ids else None


@access.check(Organisation, "figures")
def sees_figures(user: Any, target: Any) -> bool:
    return organisations_with_figures(user) is not None


# --- The information library --------------------------------------------------------------


def _library_readers(user: Any) -> set[int]:
    """Keepers, and staff who work with people (case work: they hand leaflets out)."""
    ids = _library_keepers(user)
    if user.organisation_id and C.VIEW_CASES in policy.capabilities(user):
        ids.add(user.organisation_id)
    return ids


def _library_keepers(user: Any) -> set[int]:
    ids = set(_keeps(user))
    organisation_id = user.organisation_id
    if organisation_id and any(
        policy.has_capability(user, capability, organisation_id=organisation_id)
        for capability in (C.MANAGE_PLANNING, C.MANAGE_CONFIGURATION)
    ):
        ids.add(organisation_id)
    return ids


@access.reason(Material, "view", "library_reader")
def materials_to_read(user: Any) -> Q | None:
    ids = _library_readers(user)
    return Q(organisation_id__in=ids) if ids else None


@access.reason(Material, "edit", "library_keeper")
def materials_to_keep(user: Any) -> Q | None:
    ids = _library_keepers(user)
    return Q(organisation_id__in=ids) if ids else None


@access.reason(MaterialVersion, "view", "library_reader")
def versions_to_read(user: Any) -> Q | None:
    ids = _library_readers(user)
    return Q(material__organisation_id__in=ids) if ids else None


@access.check(Material, "list")
def reads_a_library(user: Any, target: Any) -> bool:
    return bool(_library_readers(user))


@access.check(Organisation, "keep_library")
def keeps_library(user: Any, organisation: Organisation | type[Organisation]) -> bool:
    """Create materials and upload versions (the class: in any organisation)."""
    keepers = _library_keepers(user)
    return bool(keepers) if isinstance(organisation, type) else organisation.pk in keepers
