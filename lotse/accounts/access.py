"""Access rules of the organisation's own set-up: units, staff and roles, the audit trail.

- A unit is seen by its members; organisation-wide roles (head of office, data protection,
  administration, statistics) see all units of their employer, joint ones included.
- An administrator (``MANAGE_USERS``) manages the accounts and roles of their own employer;
  ``MANAGE_CONFIGURATION`` sets up its organisation and units. The system itself (blueprints,
  ``actor=None`` in the services) needs no right.
- A role that opens personal data, granted by a person, is approved by a second one: another
  administrator of the grantee's employer or the lead of the unit — never by whoever granted
  it, never by the grantee.
- A joint-controller arrangement of a unit staffed by several organisations is recorded and
  confirmed by those who set up each of them (``MANAGE_CONFIGURATION``), each for their own
  organisation; any of them may end it.
- The audit trail of an organisation is read by its data protection officer (``VIEW_AUDIT``):
  what its staff did, and every access to a record it holds, by whomever. The events of no
  organisation (failed logins, the system's work) by the DPO of the organisation that operates
  the installation.

Registered with ``lotse.core.access`` by ``AccountsConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import JointArrangement, Membership, Organisation, Unit, User
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.core.models import AuditEvent


@access.reason(Unit, "view", "member_or_organisation")
def units_of_user(user: Any) -> Q:
    condition = Q(memberships__user=user)
    if policy.organisation_scoped(user) and user.organisation_id:
        condition |= Q(organisations=user.organisation_id)
    return Q(pk__in=Unit.objects.filter(condition).values("pk"))


def _administers(user: Any) -> bool:
    return bool(user.organisation_id) and policy.has_capability(
        user, C.MANAGE_USERS, organisation_id=user.organisation_id
    )


@access.reason(Organisation, "administer", "own_employer")
def administered_organisations(user: Any) -> Q | None:
    return Q(pk=user.organisation_id) if _administers(user) else None


@access.reason(User, "administer", "staff_of_own_employer")
def administered_staff(user: Any) -> Q | None:
    return Q(organisation_id=user.organisation_id) if _administers(user) else None


@access.reason(Membership, "administer", "roles_of_own_staff")
def administered_memberships(user: Any) -> Q | None:
    return Q(user__organisation_id=user.organisation_id) if _administers(user) else None


def _leads(user: Any) -> set[int]:
    return policy.unit_ids(user, C.MANAGE_UNIT)


@access.reason(Membership, "approve", "second_person")
def roles_to_approve(user: Any) -> Q | None:
    """Roles waiting for approval that the user may approve: as an administrator of the
    grantee's employer, or as the lead of the unit — never their own grant, never their own role."""
    condition = Q(unit_id__in=_leads(user))
    if _administers(user):
        condition |= Q(user__organisation_id=user.organisation_id)
    return Q(approved_at__isnull=True) & condition & ~Q(granted_by=user) & ~Q(user=user)


@access.check(Membership, "approve")
def may_approve(user: Any, membership: Membership) -> bool:
    if membership.approved_at is not None or user.pk in (membership.granted_by_id, membership.user_id):
        return False
    if membership.unit_id in _leads(user):
        return True
    return _administers(user) and membership.user.organisation_id == user.organisation_id


@access.check(Organisation, "administer")
def may_administer(user: Any, organisation: Organisation | type[Organisation]) -> bool:
    """Manage accounts and roles: of one's own employer (the class: of any organisation)."""
    if isinstance(organisation, type):
        return _administers(user)
    return _administers(user) and organisation.pk == user.organisation_id


@access.check(Organisation, "configure")
def may_configure(user: Any, organisation: Organisation | type[Organisation]) -> bool:
    """Set up the organisation and its units (the class: a new organisation)."""
    organisation_id = None if isinstance(organisation, type) else organisation.pk
    return policy.has_capability(user, C.MANAGE_CONFIGURATION, organisation_id=organisation_id)


@access.reason(AuditEvent, "view", "data_protection_officer")
def audit_events_of_organisation(user: Any) -> Q | None:
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(user, C.VIEW_AUDIT, organisation_id=organisation_id):
        condition = Q(organisation_id=organisation_id) | Q(holder_id=organisation_id)
        if user.organisation.operates_installation:
            condition |= Q(organisation_id__isnull=True, holder_id__isnull=True)
        return condition
    return None


@access.check(AuditEvent, "list")
def may_read_audit_trail(user: Any, target: Any) -> bool:
    return audit_events_of_organisation(user) is not None


def _configures_own(user: Any) -> bool:
    return bool(user.organisation_id) and policy.has_capability(
        user, C.MANAGE_CONFIGURATION, organisation_id=user.organisation_id
    )


@access.reason(JointArrangement, "view", "party")
def arrangements_of_own_organisation(user: Any) -> Q | None:
    """Who works for a party sees the arrangement (it names no person)."""
    return Q(confirmations__organisation_id=user.organisation_id) if user.organisation_id else None


@access.check(Unit, "arrange")
def may_record_arrangement(user: Any, unit: Unit) -> bool:
    """Record a joint-controller arrangement: who sets up one of the unit's organisations."""
    organisations = {organisation.pk for organisation in unit.organisations.all()}
    return len(organisations) > 1 and user.organisation_id in organisations and _configures_own(user)


@access.check(JointArrangement, "confirm")
def may_confirm_arrangement(user: Any, arrangement: JointArrangement) -> bool:
    """Confirm (or end) it for one's own organisation, which must be a party to it."""
    parties = {confirmation.organisation_id for confirmation in arrangement.confirmations.all()}
    return user.organisation_id in parties and _configures_own(user)
