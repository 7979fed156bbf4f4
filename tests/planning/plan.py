"""Test data of steering, built through its services (the head of office of Weißenfels)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lotse.planning import services
from lotse.planning.models import ConceptVersion, FieldOfAction, Indicator


def concept(head: Any, fields: tuple[str, ...] = ("Bildung und Sprachförderung", "Wohnen")) -> ConceptVersion:
    version = services.concept_create(
        actor=head, organisation=head.organisation, title="Integrationskonzept", label="Erste Fassung"
    )
    for number, title in enumerate(fields, start=1):
        field = services.field_create(actor=head, version=version, number=number, title=title)
        services.goal_create(actor=head, field=field, text=f"Ziel zu {title}")
    return version


def field(version: ConceptVersion, number: int = 1) -> FieldOfAction:
    return version.fields.get(number=number)


def indicator(head: Any, **changes: Any) -> Indicator:
    values = {
        "slug": "fortbildungen",
        "name": "Fortbildungen",
        "definition": "Beschäftigte mit Fortbildung zur interkulturellen Kompetenz",
        "kind": Indicator.Kind.COUNT,
        "unit_label": "Beschäftigte",
        "source": "Personalamt",
        **changes,
    }
    return services.indicator_create(actor=head, organisation=head.organisation, **values)


YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
