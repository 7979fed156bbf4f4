"""Figures of housing inspection for the unit and the head of office: inspections by cause,
findings by category, overcrowded dwellings found and resolved, orders complied with in time,
closures. Aggregates only; outside the unit, counts below five are shown as „< 5“."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation
from lotse.core import access
from lotse.core.kept import keepable, kept_all
from lotse.core.periods import on_days
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
    as_of: dt.datetime | None = None  # read from the kept figures computed then (None: now)


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


@dataclass
class Counts:
    """The raw counts of one organisation (for a period and a district, if given)."""

    by_cause: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    done: int
    overcrowded_found: int
    overcrowded_resolved: int
    orders_decided: int
    orders_in_time: int
    orders_open: int
    closures_declared: int
    closures_lifted: int

    def totals(self) -> list[tuple[str, int]]:
        return [
            (_("Kontrollen abgeschlossen"), self.done),
            (_("Überbelegte Wohnungen festgestellt"), self.overcrowded_found),
            (_("davon nicht mehr überbelegt"), self.overcrowded_resolved),
            (_("Anordnungen mit Ergebnis"), self.orders_decided),
            (_("davon fristgerecht erfüllt"), self.orders_in_time),
            (_("Anordnungen offen"), self.orders_open),
            (_("Unbewohnbarkeitserklärungen"), self.closures_declared),
            (_("davon aufgehoben"), self.closures_lifted),
        ]


def counts_of(
    organisation: Organisation,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    district: str = "",
) -> Counts:
    """Inspections completed from ``start`` to ``end`` (by day of completion) in ``district``,
    their findings, orders and closures; without a period, everything. Shared by the unit's
    figures page and the reports; a fixed number of queries."""
    state = organisation.state
    done = Inspection.objects.filter(organisation=organisation, status=Inspection.Status.DONE)
    done = done.filter(**on_days("completed_at", start, end))
    if district:
        done = done.filter(dwelling__building__district=district)
    labels = dict(Inspection.Cause.choices)
    causes = dict(done.values_list("cause").annotate(n=Count("pk")).values_list("cause", "n"))
    checklist = {item["key"]: item["label"] for item in statelaw.checklist(state)} if state else {}
    categories = dict(
        Finding.objects.filter(inspection__in=done.values("pk"))
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    orders = Order.objects.filter(finding__inspection__in=done.values("pk"))
    decided = orders.exclude(outcome=Order.Outcome.OPEN)
    in_time = decided.filter(outcome=Order.Outcome.COMPLIED, outcome_on__lte=F("deadline")).count()
    closures = Closure.objects.filter(inspection__in=done.values("pk")).aggregate(
        declared=Count("pk"), lifted=Count("pk", filter=Q(lifted_on__isnull=False))
    )
    found, resolved = (
        _overcrowding(list(done.select_related("dwelling").order_by("completed_at", "pk")), state)
        if state
        else (0, 0)
    )
    return Counts(
        by_cause=[(str(label), causes.get(key, 0)) for key, label in labels.items()],
        by_category=[(label, categories.get(key, 0)) for key, label in checklist.items()],
        done=done.count(),
        overcrowded_found=found,
        overcrowded_resolved=resolved,
        orders_decided=decided.count(),
        orders_in_time=in_time,
        orders_open=orders.filter(outcome=Order.Outcome.OPEN).count(),
        closures_declared=closures["declared"],
        closures_lifted=closures["lifted"],
    )


@keepable
def all_counts_of(organisation_id: int) -> Counts:
    """``counts_of`` over all time, as the figures page keeps them (``lotse.core.kept``)."""
    return counts_of(Organisation.objects.get(pk=organisation_id))


def figures_for(user: Any) -> list[Figures]:
    in_full = access.can(user, "housing_figures_in_full", Organisation)
    result = []
    organisations = list(access.visible(user, Organisation, "housing_figures").order_by("name"))
    found = kept_all([(all_counts_of, (organisation.pk,)) for organisation in organisations])
    for organisation, kept_counts in zip(organisations, found, strict=True):
        counts = kept_counts.value
        result.append(
            Figures(
                organisation=organisation.name,
                in_full=in_full,
                by_cause=[(label, shown(n, in_full)) for label, n in counts.by_cause],
                by_category=[(label, shown(n, in_full)) for label, n in counts.by_category],
                totals=[(label, shown(n, in_full)) for label, n in counts.totals()],
                as_of=kept_counts.as_of,
            )
        )
    return result
