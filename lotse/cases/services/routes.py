"""Writes of referral routes: the configured ways from one unit (or any unit) to another.

Configuration, not personal data, and audited like units: validated before it is written,
changed by those who configure every organisation responsible for the receiving unit (the way
leads into its work); ``actor=None`` is the blueprint loader.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lotse.accounts.models import Unit
from lotse.cases.models import ReferralRoute
from lotse.core import access
from lotse.core.services import audited_create, audited_delete, audited_update


def _require_configure(actor: Any, to_unit: Unit) -> None:
    if actor is None:
        return
    for organisation in to_unit.organisations.all():
        access.require(actor, "configure", organisation)


@transaction.atomic
def referral_route_upsert(
    *,
    actor: Any,
    from_unit: Unit | None,
    to_unit: Unit,
    label: str,
    check_after_weeks: int = 8,
    due_in_days: int | None = None,
    suggested_legal_basis: str = "",
) -> ReferralRoute:
    """The way from ``from_unit`` (None: any unit) to ``to_unit``, created or updated."""
    _require_configure(actor, to_unit)
    data = {
        "label": label.strip(),
        "check_after_weeks": check_after_weeks,
        "due_in_days": due_in_days,
        "suggested_legal_basis": suggested_legal_basis.strip(),
    }
    route = ReferralRoute.objects.filter(from_unit=from_unit, to_unit=to_unit).first()
    if route is None:
        return audited_create(
            actor=actor, instance=ReferralRoute(from_unit=from_unit, to_unit=to_unit, **data)
        )
    return audited_update(actor=actor, instance=route, data=data)[0]


@transaction.atomic
def referral_route_delete(*, actor: Any, route: ReferralRoute) -> None:
    """Remove a way; referrals sent on it keep what they took from it (due date, check weeks)."""
    _require_configure(actor, route.to_unit)
    audited_delete(actor=actor, instance=route)
