"""Reads of organisations, units and staff, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts import policy
from lotse.accounts.models import Membership, Organisation, Unit, User
from lotse.accounts.roles import Capability


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """Units the user works in, and for organisation-wide roles all units of their employer."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    condition = Q(memberships__user=user)
    if policy.organisation_scoped(user) and user.organisation_id:
        condition |= Q(organisations=user.organisation_id)
    ids = Unit.objects.filter(condition).values("pk")
    return Unit.objects.filter(pk__in=ids).prefetch_related("organisations").order_by("name")


def get_unit_for(user: Any, slug: str) -> Unit:
    """The unit, or 404 when the user may not see it (existence is not revealed)."""
    unit = units_visible_to(user).filter(slug=slug).first()
    if unit is None:
        raise Http404
    return unit


def unit_members(unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit, user__is_active=True)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "role")
    )


def organisations_administered_by(user: Any) -> QuerySet[Organisation]:
    """The organisation whose set-up the user administers (their own employer), if any."""
    if not policy.has_capability(user, Capability.MANAGE_USERS):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=user.organisation_id)


def staff_of(user: Any) -> QuerySet[User]:
    """Accounts an administrator manages: the staff of their own organisation."""
    organisations = organisations_administered_by(user)
    return (
        User.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("unit")))
        .order_by("last_name", "first_name", "username")
    )


def membership_administered_by(user: Any, membership_id: int) -> Membership:
    """A membership of a staff member the administrator manages, or 404."""
    membership = (
        Membership.objects.filter(pk=membership_id, user__in=staff_of(user))
        .select_related("user", "unit")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def confirmed_device_of(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device_of(user: Any) -> TOTPDevice:
    """The authenticator being set up, created on first use (not yet confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    return device
