"""The neighbourhood office's part of a blueprint: topics of the counselling log and the
office's rules. Demo activities, rooms and volunteers come from ``lotse/demo/neighbourhood.py``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Unit
from lotse.neighbourhood import services


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    lines = []
    for office in (data or {}).get("offices", []):
        unit = Unit.objects.filter(slug=office["unit"]).first()
        if unit is None:
            raise ImproperlyConfigured(f"Stadtteilbüro: unbekannte Einheit {office['unit']}")
        count = services.office_configure(
            unit=unit, topics=office.get("topics", []), rules=office.get("rules", {})
        )
        lines.append(f"{unit.name}: {count} Beratungsthemen")
    return lines
