"""The data-protection part of a blueprint: the record of processing activities per unit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Unit
from lotse.privacy.services import processing_activity_upsert

FIELDS = ("purposes", "legal_bases", "data_subjects", "data_categories", "special_categories")


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    entries = data.get("processing") or []
    for entry in entries:
        unit = Unit.objects.filter(slug=entry["unit"]).first()
        if unit is None:
            raise ImproperlyConfigured(f"Verarbeitungstätigkeit: unbekannte Einheit {entry['unit']}")
        processing_activity_upsert(
            actor=None,
            unit=unit,
            retention=entry["retention"],
            **{name: list(entry.get(name) or []) for name in FIELDS},
        )
    return [f"{len(entries)} Verarbeitungstätigkeiten"] if entries else []
