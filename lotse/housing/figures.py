"""Figures of housing inspection for the unit and the head of office: inspections by cause,
findings by category, overcrowded dwellings found and resolved, orders complied with in time,
closures. Aggregates only; outside the unit, counts below five are shown as „< 5“."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation
from lotse.core import access
from lotse.core.statelaw import housing as statelaw
from lotse.housing.models import Closure, Finding, Inspection, Order

SMALL = 5


@dataclass
class Figures:
    organisation: str
    in_full: bool
    by_cause: list[tuple[str, str]] = field(default_factory=list)
    by_category: list[tuple[str, str]] = field(default_factory=list)
    totals: list[tuple[str, str]] = field(default_factory=list)


def shown(count: int, in_full: bool) -> str:
    """A count as shown: below five only to the unit itself."""
    if in_full or count == 0 or count >= SMALL:
        return str(count)
    return _("< 5")


def _overcrowding(inspections: list[Inspection], state: str) -> tuple[int, int]:
    """Dwellings found overcrowded at an inspection, and of them those a later inspection found
    no longer overcrowded."""
    latest_verdict: dict[int, list[bool]] = {}
    for inspection in inspections:  # oldest first
        area = inspection.dwelling.area_m2
        if area is None or inspection.adults_found is None:
            continue
        result = statelaw.assess(
            state, area, persons=inspection.persons_found or 0, children_ages=inspection.children_ages_found
        )
        if result is not None:
            latest_verdict.setdefault(inspection.dwelling_id, []).append(result.overcrowded)
    found = [verdicts for verdicts in latest_verdict.values() if any(verdicts)]
    resolved = [v for v in found if not v[-1]]
    return len(found), len(resolved)


def figures_for(user: Any) -> list[Figures]:
    in_full = access.can(user, "housing_figures_in_full", Organisation)
    result = []
    for organisation in access.visible(user, Organisation, "housing_figures").order_by("name"):
        state = organisation.state
        done = Inspection.objects.filter(organisation=organisation, status=Inspection.Status.DONE)
        labels = dict(Inspection.Cause.choices)
        causes = dict(done.values_list("cause").annotate(n=Count("pk")).values_list("cause", "n"))
        checklist = {item["key"]: item["label"] for item in statelaw.checklist(state)} if state else {}
        categories = dict(
            Finding.objects.filter(inspection__organisation=organisation)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        orders = Order.objects.filter(finding__inspection__organisation=organisation)
        decided = orders.exclude(outcome=Order.Outcome.OPEN)
        in_time = decided.filter(outcome=Order.Outcome.COMPLIED, outcome_on__lte=F("deadline")).count()
        closures = Closure.objects.filter(inspection__organisation=organisation).aggregate(
            declared=Count("pk"), lifted=Count("pk", filter=Q(lifted_on__isnull=False))
        )
        found, resolved = (
            _overcrowding(list(done.select_related("dwelling").order_by("completed_at", "pk")), state)
            if state
            else (0, 0)
        )
        result.append(
            Figures(
                organisation=organisation.name,
                in_full=in_full,
                by_cause=[(str(label), shown(causes.get(key, 0), in_full)) for key, label in labels.items()],
                by_category=[
                    (label, shown(categories.get(key, 0), in_full)) for key, label in checklist.items()
                ],
                totals=[
                    (_("Kontrollen abgeschlossen"), shown(done.count(), in_full)),
                    (_("Überbelegte Wohnungen festgestellt"), shown(found, in_full)),
                    (_("davon nicht mehr überbelegt"), shown(resolved, in_full)),
                    (_("Anordnungen mit Ergebnis"), shown(decided.count(), in_full)),
                    (_("davon fristgerecht erfüllt"), shown(in_time, in_full)),
                    (
                        _("Anordnungen offen"),
                        shown(orders.filter(outcome=Order.Outcome.OPEN).count(), in_full),
                    ),
                    (_("Unbewohnbarkeitserklärungen"), shown(closures["declared"], in_full)),
                    (_("davon aufgehoben"), shown(closures["lifted"], in_full)),
                ],
            )
        )
    return result
