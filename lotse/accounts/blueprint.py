"""The accounts part of a blueprint: organisations and units.

Demo staff and the demo's partner organisations come from the demo part (``lotse/demo/``),
which loads its organisations and units through ``load_structure`` too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts import services
from lotse.accounts.models import JointArrangement, Organisation, Unit


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    return load_structure(data) + load_arrangements(data.get("joint_arrangements") or [])


def load_arrangements(entries: list[dict[str, Any]]) -> list[str]:
    """Record the joint-controller arrangements (Art. 26 DSGVO) of units staffed by several
    organisations, as the operator set them up: confirmed by all, found by unit and start."""
    created = 0
    for entry in entries:
        unit = Unit.objects.get(slug=entry["unit"])
        if JointArrangement.objects.filter(unit=unit, valid_from=entry["valid_from"]).exists():
            continue
        organisations = list(Organisation.objects.filter(slug__in=entry["organisations"]))
        if len(organisations) != len(set(entry["organisations"])):
            raise ImproperlyConfigured(f"Vereinbarung der Einheit {unit.slug}: unbekannte Organisation")
        services.joint_arrangement_record(
            actor=None,
            unit=unit,
            organisations=organisations,
            purposes=entry["purposes"],
            valid_from=entry["valid_from"],
            valid_until=entry.get("valid_until"),
            document=entry["document"],
        )
        created += 1
    return [f"{created} Vereinbarungen über gemeinsame Verantwortung"] if created else []


def load_structure(data: dict[str, Any]) -> list[str]:
    """Create or update the ``organisations`` and ``units`` of ``data`` (found by slug)."""
    organisations = [
        services.organisation_upsert(actor=None, **entry) for entry in data.get("organisations", [])
    ]
    by_slug = {o.slug: o for o in Organisation.objects.all()}
    units = []
    for entry in data.get("units", []):
        entry = dict(entry)
        try:
            entry["organisations"] = [by_slug[slug] for slug in entry["organisations"]]
        except KeyError as missing:
            raise ImproperlyConfigured(
                f"Einheit {entry['slug']}: unbekannte Organisation {missing}"
            ) from None
        units.append(services.unit_upsert(actor=None, **entry))
    lines = []
    if organisations:
        lines.append(f"{len(organisations)} Organisationen: " + ", ".join(map(str, organisations)))
    if units:
        lines.append(f"{len(units)} Einheiten: " + ", ".join(map(str, units)))
    return lines
