"""Access rules of the person register: the register's own reason to see a person.

- The register of an organisation is read by staff of its units that work with it
  (``Unit.register_access``, ``VIEW_REGISTER``) and kept — persons entered, changed, merged,
  households formed, imports and interviews — by those that keep it (``write``,
  ``KEEP_REGISTER``); only for their own employer's register.
- A person or household is *seen* for this reason by the register's readers; other apps add
  their own reasons (a case file, a referral, ...) in their ``access.py``. The register's
  pages (search, duplicates, history, merge) need the register itself: action ``register``.

Registered with ``lotse.core.access`` by ``PeopleConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Organisation, RegisterAccess, Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.people.models import Household, Person


def _reads(user: Any) -> set[int]:
    return policy.register_organisation_ids(user, C.VIEW_REGISTER)


def _keeps(user: Any) -> set[int]:
    return policy.register_organisation_ids(user, C.KEEP_REGISTER)


def _organisations(organisation_ids: set[int]) -> Q | None:
    return Q(pk__in=organisation_ids) if organisation_ids else None


def _of_register(organisation_ids: set[int]) -> Q | None:
    return Q(organisation_id__in=organisation_ids) if organisation_ids else None


# Seeing a person or a household, and working with the register's own pages.
access.reason(Person, "view", "register")(lambda user: _of_register(_reads(user)))
access.reason(Person, "register", "register")(lambda user: _of_register(_reads(user)))
access.reason(Household, "view", "register")(lambda user: _of_register(_reads(user)))
access.reason(Household, "register", "register")(lambda user: _of_register(_reads(user)))
access.reason(Organisation, "register", "reader")(lambda user: _organisations(_reads(user)))
access.reason(Organisation, "keep_register", "keeper")(lambda user: _organisations(_keeps(user)))
# Changing them: the register's keepers.
access.reason(Person, "edit", "register")(lambda user: _of_register(_keeps(user)))
access.reason(Household, "edit", "register")(lambda user: _of_register(_keeps(user)))


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


@access.check(Person, "edit")
def may_change_person(user: Any, person: Person) -> bool:
    return person.organisation_id in _keeps(user)


@access.check(Household, "edit")
def may_change_household(user: Any, household: Household) -> bool:
    return household.organisation_id in _keeps(user)


@access.check(Person, "list")
def may_search_register(user: Any, target: Any) -> bool:
    return bool(_reads(user))


@access.check(Person, "create")
def may_enter_persons(user: Any, target: Any) -> bool:
    return bool(_keeps(user))


@access.check(Organisation, "keep_register")
def keeps_register_of(user: Any, organisation: Organisation | type[Organisation]) -> bool:
    """Write the register of ``organisation`` (the class: of any organisation)."""
    keeps = _keeps(user)
    return bool(keeps) if isinstance(organisation, type) else organisation.pk in keeps
