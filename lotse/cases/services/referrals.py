"""Writes of referrals. For now: creating a referral as „vorgeschlagen“.

Lawful sharing (BRIEF, flow 3): city and county are different controllers. A referral stays
inside the person's organisation only if *every* organisation responsible for the receiving
unit is the person's organisation. A joint unit (the Schulteam of city and county) counts as
sharing, because the county's staff in it read the referral. Sharing needs a recorded basis:
a named legal provision, or a consent written as text („Einwilligung vom 03.11.2026 …“) until
the consent model exists. Each disclosure is its own audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.accounts import policy
from lotse.accounts.models import Unit
from lotse.accounts.roles import Capability
from lotse.cases.models import Referral
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create

DISCLOSE = AuditEvent.Action.DISCLOSE


def crosses_organisation(*, organisation_id: int, to_unit: Unit) -> bool:
    """True if someone outside the person's organisation works in ``to_unit``."""
    return {o.pk for o in to_unit.organisations.all()} != {organisation_id}


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    person: Any,
    from_unit: Unit,
    to_unit: Unit,
    reason: str,
    legal_basis: str = "",
    due_date: dt.date | None = None,
    interview: Any = None,
) -> Referral:
    # ``actor=None`` is the system (demo data); people need the edit right in the sending unit.
    if actor is not None and not (
        policy.has_capability(actor, Capability.EDIT_CASES, unit=from_unit)
        and person.organisation_id in policy.register_organisation_ids(actor, Capability.EDIT_CASES)
    ):
        raise PermissionDenied
    if to_unit.pk == from_unit.pk:
        raise ValidationError({"to_unit": _("Eine Einheit verweist nicht an sich selbst.")})
    legal_basis = legal_basis.strip()
    shared = crosses_organisation(organisation_id=person.organisation_id, to_unit=to_unit)
    if shared and not legal_basis:
        raise ValidationError(
            {
                "legal_basis": _(
                    "„%(unit)s“ gehört (auch) zu einer anderen Behörde oder einem Träger. Ohne "
                    "Rechtsgrundlage – eine benannte Vorschrift oder „Einwilligung vom …“ – "
                    "dürfen die Daten nicht übermittelt werden."
                )
                % {"unit": to_unit.name}
            }
        )
    referral = audited_create(
        actor=actor,
        instance=Referral(
            person=person,
            household=person.household if person.household_id else None,
            from_unit=from_unit,
            to_unit=to_unit,
            reason=reason.strip(),
            legal_basis=legal_basis,
            due_date=due_date,
            interview=interview,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
    )
    if shared:
        audit_record(
            actor=actor,
            action=DISCLOSE,
            obj=referral,
            organisation_id=person.organisation_id,
            changes={
                "person": [None, person.pk],
                "to_unit": [None, to_unit.pk],
                "recipients": [None, sorted(o.pk for o in to_unit.organisations.all())],
                "legal_basis": [None, legal_basis],
            },
        )
    return referral
