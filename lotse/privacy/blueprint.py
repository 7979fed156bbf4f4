"""The data-protection part of a blueprint: the record of processing activities per unit and
the retention rules per kind of record (decision 0027)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError

from lotse.accounts.models import Unit
from lotse.privacy.services import processing_activity_upsert, retention_rule_set

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
    lines = [f"{len(entries)} Verarbeitungstätigkeiten"] if entries else []
    rules = data.get("retention") or []
    for rule in rules:
        minimum = rule.get("minimum") or {}
        try:
            retention_rule_set(
                actor=None,
                kind=str(rule["kind"]),
                months=rule.get("months"),
                action=str(rule["action"]),
                minimum_months=int(minimum.get("months") or 0),
                minimum_source=str(minimum.get("source") or ""),
            )
        except KeyError as missing:
            raise ImproperlyConfigured(f"Aufbewahrungsregel ohne {missing}: {rule}") from None
        except ValidationError as error:
            raise ImproperlyConfigured(
                f"Aufbewahrungsregel {rule.get('kind')}: {' '.join(error.messages)}"
            ) from None
    if rules:
        lines.append(f"{len(rules)} Aufbewahrungsregeln")
    return lines
