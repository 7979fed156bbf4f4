"""The school team part of a blueprint: each team's target and step days.

Schools and day-care centres are kept by the team itself (demo ones come from lotse/demo)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Unit
from lotse.schooling import services


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    teams = data.get("teams") or []
    for entry in teams:
        unit = Unit.objects.filter(slug=entry["unit"]).first()
        if unit is None:
            raise ImproperlyConfigured(f"Schulteam: unbekannte Einheit {entry['unit']}")
        services.team_settings_set(actor=None, unit=unit, data=entry)
    return [f"{len(teams)} Schulteam(s) mit Zielen"] if teams else []
