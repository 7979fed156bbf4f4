"""Figures of housing inspection, counted by hand: overcrowded dwellings found and resolved,
orders complied with in time, closures; small counts only for the unit itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.housing import figures, services
from lotse.housing.models import Inspection

pytestmark = pytest.mark.django_db


def _done(housing, inspection, adults, children=()):
    services.inspection_record(
        actor=housing.inspector,
        inspection=inspection,
        checklist={},
        adults_found=adults,
        children_ages_found=list(children),
    )
    inspection.refresh_from_db()
    return services.inspection_complete(actor=housing.inspector, inspection=inspection)


def test_found_resolved_and_in_time(housing, personas):
    crowded = housing.dwelling(area="27")  # 3 persons fit (27 m²), 4 do not
    first = housing.inspection(crowded, days=1)
    finding = services.finding_add(
        actor=housing.inspector,
        inspection=first,
        category="fire",
        description="keine Melder",
        severity="minor",
    )
    order = services.order_issue(
        actor=housing.inspector,
        finding=finding,
        text="Melder",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    _done(housing, first, adults=4)
    services.order_outcome(actor=housing.inspector, order=order, outcome="complied")
    again = Inspection.objects.get(follows=first)
    _done(housing, again, adults=3)  # exactly the minimum: no longer overcrowded
    still = housing.dwelling(housing.building("Zeitzer Straße", "3"), area="20")
    _done(housing, housing.inspection(still, days=2), adults=2, children=[1, 4, 8])  # 9+9+9+6+6 = 39 m²

    [block] = figures.figures_for(personas.housing)
    totals = dict(block.totals)
    assert totals["Kontrollen abgeschlossen"] == "3"
    assert totals["Überbelegte Wohnungen festgestellt"] == "2"
    assert totals["davon nicht mehr überbelegt"] == "1"
    assert totals["Anordnungen mit Ergebnis"] == "1" and totals["davon fristgerecht erfüllt"] == "1"
    assert dict(block.by_cause)["Nachkontrolle"] == "1"
    assert dict(block.by_category)["Brandschutz (Rauchwarnmelder)"] == "1"

    [seen_by_head] = figures.figures_for(personas.head)
    assert dict(seen_by_head.totals)["Kontrollen abgeschlossen"] == "< 5"
    assert figures.figures_for(personas.clearing) == []
