"""The case-work part of a blueprint: referral routes.

Loading is idempotent: routes are found by (from unit, to unit) and updated. Demo consents,
referrals and case files come from the demo part (``lotse/demo/``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Unit
from lotse.cases.services.routes import referral_route_upsert


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    return [f"{routes_upsert(data.get('routes', []))} Verweisungswege"]


def _unit(slug: str) -> Unit:
    try:
        return Unit.objects.get(slug=slug)
    except Unit.DoesNotExist:
        raise ImproperlyConfigured(f"Verweisungsweg: unbekannte Einheit {slug}") from None


def routes_upsert(entries: list[dict[str, Any]]) -> int:
    """Create or update the referral routes ``entries`` (``from``: a unit's slug or ``any``,
    ``to``, ``label``, ``due_in_days``, ``check_after_weeks``, ``suggested_legal_basis``)."""
    for entry in entries:
        referral_route_upsert(
            actor=None,
            from_unit=None if entry["from"] == "any" else _unit(entry["from"]),
            to_unit=_unit(entry["to"]),
            label=entry["label"],
            check_after_weeks=int(entry.get("check_after_weeks", 8)),
            due_in_days=entry.get("due_in_days"),
            suggested_legal_basis=entry.get("suggested_legal_basis", ""),
        )
    return len(entries)
