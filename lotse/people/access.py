"""Access rules of the person register: the register's own reason to see a person.

- The register of an organisation is read by staff of its units that work with it
  (``Unit.register_access``, ``VIEW_REGISTER``) and kept — persons entered, changed, merged,
  households formed, imports and interviews — by those that keep it (``write``,
  ``KEEP_REGISTER``); only for their own employer's register.
- A unit that keeps its own records (``own``: a small municipality without the register, the
  county's outreach for a first contact) enters persons itself, held by its staff's employer
  as controller and marked as its own (``Person.kept_by``). Its staff see and change those
  persons and households only, with the same capabilities; never the register, and the
  register's readers never see them (docs/decisions/0018).
- A person or household is *seen* for these reasons; other apps add their own reasons (a case
  file, a referral, ...) in their ``access.py``. The register's pages (search, duplicates,
  history, merge) work on these reasons alone: action ``register``.

Registered with ``lotse.core.access`` by ``PeopleConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation, RegisterAccess, Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.people.models import Household, Person, Restriction


def _reads(user: Any) -> set[int]:
    return policy.register_organisation_ids(user, C.VIEW_REGISTER)


def _keeps(user: Any) -> set[int]:
    return policy.register_organisation_ids(user, C.KEEP_REGISTER)


def _reads_own(user: Any) -> set[int]:
    return policy.own_records_unit_ids(user, C.VIEW_REGISTER)


def _keeps_own(user: Any) -> set[int]:
    return policy.own_records_unit_ids(user, C.KEEP_REGISTER)


def _organisations(organisation_ids: set[int]) -> Q | None:
    return Q(pk__in=organisation_ids) if organisation_ids else None


def _of_register(organisation_ids: set[int]) -> Q | None:
    # A unit's own records share the organisation, never the register.
    return Q(organisation_id__in=organisation_ids, kept_by__isnull=True) if organisation_ids else None


def _own_records(user: Any, unit_ids: set[int]) -> Q | None:
    return Q(kept_by_id__in=unit_ids, organisation_id=user.organisation_id) if unit_ids else None


def _keeps_record(user: Any, record: Person | Household) -> bool:
    if record.kept_by_id is None:
        return record.organisation_id in _keeps(user)
    return record.kept_by_id in _keeps_own(user) and record.organisation_id == user.organisation_id


# Seeing a person or a household, and working with the register's own pages.
for model in (Person, Household):
    for action in ("view", "register"):
        access.reason(model, action, "register")(lambda user: _of_register(_reads(user)))
        access.reason(model, action, "own_records")(lambda user: _own_records(user, _reads_own(user)))
    # Changing them: the keepers.
    access.reason(model, "edit", "register")(lambda user: _of_register(_keeps(user)))
    access.reason(model, "edit", "own_records")(lambda user: _own_records(user, _keeps_own(user)))
access.reason(Organisation, "register", "reader")(lambda user: _organisations(_reads(user)))
access.reason(Organisation, "keep_register", "keeper")(lambda user: _organisations(_keeps(user)))


@access.reason(Unit, "keep_register", "member")
def units_keeping_register(user: Any) -> Q | None:
    """The user's units that keep their employer's register (the Clearingstelle)."""
    if not _keeps(user):
        return None
    return Q(
        pk__in=policy.unit_ids(user, C.KEEP_REGISTER),
        register_access=RegisterAccess.WRITE,
        organisations=user.organisation_id,
    )


@access.reason(Unit, "keep_own_records", "member")
def units_keeping_own_records(user: Any) -> Q | None:
    """The user's units in which they enter persons into the unit's own records."""
    units = _keeps_own(user)
    return Q(pk__in=units) if units else None


@access.check(Unit, "keep_own_records")
def keeps_own_records_of(user: Any, unit: Unit) -> bool:
    return unit.pk in _keeps_own(user)


@access.check(Person, "edit")
def may_change_person(user: Any, person: Person) -> bool:
    return _keeps_record(user, person)


@access.check(Household, "edit")
def may_change_household(user: Any, household: Household) -> bool:
    return _keeps_record(user, household)


@access.check(Person, "list")
def may_search_register(user: Any, target: Any) -> bool:
    return bool(_reads(user) or _reads_own(user))


@access.check(Person, "create")
def may_enter_persons(user: Any, target: Any) -> bool:
    return bool(_keeps(user) or _keeps_own(user))


@access.check(Organisation, "keep_register")
def keeps_register_of(user: Any, organisation: Organisation | type[Organisation]) -> bool:
    """Write the register of ``organisation`` (the class: of any organisation)."""
    keeps = _keeps(user)
    return bool(keeps) if isinstance(organisation, type) else organisation.pk in keeps


# --- protection: restriction of processing, register block (docs/decisions/0028) ------------


def _privacy_officer_of(user: Any, organisation_id: int) -> bool:
    return organisation_id == user.organisation_id and any(
        policy.has_capability(user, capability, organisation_id=organisation_id)
        for capability in (C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS)
    )


@access.check(Person, "restrict")
def may_restrict(user: Any, person: Person) -> bool:
    """Restrict or lift the processing of a person (Art. 18 GDPR): the data protection officer
    of the person's organisation, or the keepers of the person's register (own records)."""
    return _privacy_officer_of(user, person.organisation_id) or _keeps_record(user, person)


@access.check(Person, "block")
def may_block(user: Any, person: Person) -> bool:
    """Record or lift the register's block: only the keepers of the register itself."""
    return person.kept_by_id is None and person.organisation_id in _keeps(user)


@access.check(Person, "whereabouts")
def sees_whereabouts(user: Any, person: Person) -> bool:
    """The address and dwelling of a person: to whoever sees the person, unless the register
    blocks it (§§ 51, 52 BMG); then only to the register's keepers."""
    if not person.register_block:
        return True
    return person.kept_by_id is None and person.organisation_id in _keeps(user)


# The persons whose processing the user restricts (the pages of the restriction): the register's
# keepers theirs; the data protection officer adds its own reason (lotse/privacy/access.py).
access.reason(Person, "restrict", "register")(lambda user: _of_register(_keeps(user)))
access.reason(Person, "restrict", "own_records")(lambda user: _own_records(user, _keeps_own(user)))


# A restriction is seen with its person, and by the data protection officer of the person's
# organisation (who sets it).
access.reason(Restriction, "view", "person")(
    lambda user: Q(person__in=access.visible(user, Person).values("pk"))
)
