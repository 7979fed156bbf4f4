"""Reads of organisations, units and staff, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts import policy
from lotse.accounts.models import JointArrangement, Membership, Organisation, Unit, User
from lotse.core import access


def memberships_of(user: Any) -> list[Membership]:
    """The user's own roles, by unit (for the start and account pages)."""
    return policy.memberships_of(user)


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """Units the user works in, and for organisation-wide roles all units of their employer."""
    return access.visible(user, Unit).prefetch_related("organisations").order_by("name")


def units_with_organisations(user: Any) -> list[Unit]:
    """``units_visible_to`` as a list, for the start page: the user's own units are the ones
    ``memberships_of`` loaded with their organisations already; only the others' organisations
    are read (no query for whom sees only their own units)."""
    own = {m.unit_id: m.unit for m in memberships_of(user)}
    units = [own.get(unit.pk, unit) for unit in access.visible(user, Unit).order_by("name")]
    prefetch_related_objects([unit for unit in units if unit.pk not in own], "organisations")
    return units


def get_unit_for(user: Any, slug: str) -> Unit:
    """The unit, or 404 when the user may not see it (existence is not revealed)."""
    unit = units_visible_to(user).filter(slug=slug).first()
    if unit is None:
        raise Http404
    return unit


def arrangements_of(user: Any, unit: Unit) -> list[JointArrangement]:
    """The unit's joint-controller arrangements the user's organisation is a party to."""
    rows = access.visible(user, JointArrangement).filter(unit=unit)
    return list(rows.prefetch_related("confirmations__organisation", "confirmations__confirmed_by"))


def get_arrangement_for(user: Any, unit: Unit, arrangement_id: int) -> JointArrangement:
    return access.get(user, JointArrangement.objects.filter(unit=unit), arrangement_id)


def unit_members(unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit, user__is_active=True)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "role")
    )


def organisations_administered_by(user: Any) -> QuerySet[Organisation]:
    """The organisation whose set-up the user administers (their own employer), if any."""
    return access.visible(user, Organisation, "administer")


def staff_of(user: Any) -> QuerySet[User]:
    """Accounts an administrator manages: the staff of their own organisation."""
    return (
        access.visible(user, User, "administer")
        .select_related("organisation")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("unit")))
        .order_by("last_name", "first_name", "username")
    )


def membership_administered_by(user: Any, membership_id: int) -> Membership:
    """A membership of a staff member the administrator manages, or 404."""
    return access.get(user, Membership.objects.select_related("user", "unit"), membership_id, "administer")


def confirmed_device_of(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device_of(user: Any) -> TOTPDevice | None:
    """The authenticator being set up (not yet confirmed), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def roles_to_approve(user: Any) -> QuerySet[Membership]:
    """Granted roles waiting for the user's approval (as a second administrator or unit lead)."""
    return (
        access.visible(user, Membership, "approve")
        .select_related("user", "unit", "granted_by")
        .order_by("pk")
    )


def get_role_to_approve(user: Any, membership_id: int) -> Membership:
    return access.get(
        user, Membership.objects.select_related("user", "unit", "granted_by"), membership_id, "approve"
    )
