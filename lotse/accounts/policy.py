"""Building blocks of the access rules: a user's memberships, and where they hold which
capability. The apps' rules (``lotse/<app>/access.py``) combine these into rows and checks;
nothing else decides with them (``tests/test_architecture.py``).

Scope runs organisation → unit → case ownership, assignment, referral and consent. Unit-scoped
roles act only in the units they are members of; organisation-scoped roles act across their
own employer's units; partner staff see only what is referred to them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lotse.accounts.models import JointArrangement, Membership, RegisterAccess, Unit
from lotse.accounts.roles import (
    PERSONAL_DATA_CAPABILITIES,
    Capability,
    Role,
    Scope,
    capabilities_for,
    scope_for,
)


def memberships_of(user: Any) -> list[Membership]:
    """The user's roles in force (a granted role waiting for its second approval does not
    count yet), with their units, loaded once per user object (two queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_lotse_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, approved_at__isnull=False)
            .select_related("unit")
            .prefetch_related("unit__organisations")
            .order_by("unit__name", "role")
        )
        user._lotse_memberships = cached
    return cached


def joint_arrangements(user: Any) -> dict[int, list[tuple[int, frozenset[int]]]]:
    """For each unit the user is a member of: the joint-controller arrangements in force today
    that include the user's employer, as (arrangement id, organisation ids). Loaded once per
    user object (one query)."""
    cached: dict[int, list[tuple[int, frozenset[int]]]] | None = getattr(user, "_lotse_arrangements", None)
    if cached is not None:
        return cached
    cached = {}
    # Only units staffed by several organisations have arrangements (their organisations come
    # with the memberships: no query for anyone else).
    units = {
        membership.unit_id
        for membership in memberships_of(user)
        if len(membership.unit.organisations.all()) > 1
    }
    if units and user.organisation_id:
        today = timezone.localdate()
        arrangements = (
            JointArrangement.objects.filter(
                unit_id__in=units, confirmations__organisation_id=user.organisation_id, valid_from__lte=today
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .prefetch_related("confirmations")
        )
        for arrangement in arrangements:
            confirmations = arrangement.confirmations.all()
            if all(confirmation.confirmed_at is not None for confirmation in confirmations):
                parties = frozenset(confirmation.organisation_id for confirmation in confirmations)
                cached.setdefault(arrangement.unit_id, []).append((arrangement.pk, parties))
    user._lotse_arrangements = cached
    return cached


def capabilities(user: Any) -> frozenset[Capability]:
    result: set[Capability] = set()
    for membership in memberships_of(user):
        result |= capabilities_for(membership.role)
    return frozenset(result)


def has_capability(
    user: Any,
    capability: Capability,
    *,
    unit: Unit | None = None,
    organisation_id: int | None = None,
) -> bool:
    """Whether ``user`` holds ``capability`` anywhere, or for the given unit or organisation."""
    for membership in memberships_of(user):
        if capability not in capabilities_for(membership.role):
            continue
        scope = scope_for(membership.role)
        if unit is None and organisation_id is None:
            return True
        if scope is Scope.ORGANISATION:
            if organisation_id is not None and organisation_id == user.organisation_id:
                return True
            if unit is not None and user.organisation_id in _organisation_ids(unit):
                return True
        elif unit is not None and membership.unit_id == unit.pk:
            return True
    return False


def unit_ids(user: Any, *wanted: Capability) -> set[int]:
    """Units in which the user holds any of ``wanted`` through a unit-bound membership."""
    return {
        membership.unit_id
        for membership in memberships_of(user)
        if scope_for(membership.role) is not Scope.ORGANISATION
        and set(wanted) & capabilities_for(membership.role)
    }


def unit_roles_with(*wanted: Capability) -> list[str]:
    """The unit-bound roles that hold any of ``wanted`` (to find who holds them in a unit)."""
    return [
        role.value
        for role in Role
        if scope_for(role) is not Scope.ORGANISATION and set(wanted) & capabilities_for(role)
    ]


def holds_in_unit(unit_id: int, *wanted: Capability) -> Q:
    """Users (as a ``Q`` over users) holding any of ``wanted`` through a membership of the unit."""
    return Q(memberships__unit_id=unit_id, memberships__role__in=unit_roles_with(*wanted))


def requires_second_factor(user: Any) -> bool:
    """Everyone who can see personal data logs in with a second factor (not in demo mode)."""
    if not settings.LOTSE_ENFORCE_SECOND_FACTOR:
        return False
    return bool(user.is_superuser or capabilities(user) & PERSONAL_DATA_CAPABILITIES)


def organisation_scoped(user: Any) -> bool:
    return any(scope_for(m.role) is Scope.ORGANISATION for m in memberships_of(user))


def _organisation_ids(unit: Unit) -> set[int]:
    return {organisation.pk for organisation in unit.organisations.all()}


def register_organisation_ids(user: Any, capability: Capability) -> set[int]:
    """Organisations whose person register the user may use with ``capability``
    (``VIEW_REGISTER`` or ``KEEP_REGISTER``).

    Only through a membership with that capability in a unit that works with the register
    (``Unit.register_access``; keeping it needs ``write``), and only for the user's own
    employer: the registration office's data stay with the authority that keeps them.
    """
    if not getattr(user, "organisation_id", None):
        return set()
    needed = (
        {RegisterAccess.WRITE}
        if capability is Capability.KEEP_REGISTER
        else {RegisterAccess.READ, RegisterAccess.WRITE}
    )
    for membership in memberships_of(user):
        if (
            membership.unit.register_access in needed
            and capability in capabilities_for(membership.role)
            and user.organisation_id in _organisation_ids(membership.unit)
        ):
            return {user.organisation_id}
    return set()


def own_records_unit_ids(user: Any, capability: Capability) -> set[int]:
    """Units whose own records the user works with: ``VIEW_REGISTER`` reads them,
    ``KEEP_REGISTER`` enters and changes persons in them.

    Only units that keep their own records (``RegisterAccess.OWN``, a small municipality, the
    county's outreach) and of which the user's employer is part; the records are that
    organisation's, seen by the unit that entered them (need to know).
    """
    if not getattr(user, "organisation_id", None):
        return set()
    return {
        membership.unit_id
        for membership in memberships_of(user)
        if membership.unit.register_access == RegisterAccess.OWN
        and capability in capabilities_for(membership.role)
        and user.organisation_id in _organisation_ids(membership.unit)
    }
