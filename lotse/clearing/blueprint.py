"""The Clearingstelle part of a blueprint: state rules, routes and the information library.

Demo arrival interviews come from the demo part (``lotse/demo/interviews.py``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Organisation
from lotse.clearing import services


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    try:
        organisation = Organisation.objects.get(slug=data["organisation"])
    except Organisation.DoesNotExist:
        raise ImproperlyConfigured(
            f"Clearingstelle: unbekannte Organisation {data['organisation']}"
        ) from None
    services.routing_rules_set(
        actor=None,
        organisation=organisation,
        state_rules=data.get("state_rules", {}),
        routes=data.get("routes", []),
    )
    count = services.materials_upsert(
        actor=None,
        organisation=organisation,
        entries=data.get("materials", []),
        languages=data.get("languages", []),
    )
    return [f"{len(data.get('routes', []))} Verweisungsregeln, {count} Informationsmaterialien"]
