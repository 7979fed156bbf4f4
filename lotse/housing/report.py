"""Housing inspection's part of the dashboards and the council report: inspections by cause,
findings by area of the checklist, overcrowding, orders and closures (``figures.counts_of``,
the same counting as the unit's figures page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.reporting import Scope, Section, Table, row
from lotse.housing.figures import counts_of


def build(scope: Scope) -> Section | None:
    organisation = (
        Organisation.objects.filter(pk=scope.organisation_id, units__kind=Unit.Kind.HOUSING)
        .distinct()
        .first()
    )
    if organisation is None:
        return None
    counts = counts_of(organisation, start=scope.start, end=scope.end, district=scope.district)
    source = _("Abgeschlossene Wohnungskontrollen, nach Tag des Abschlusses; Stadtteil des Gebäudes.")
    return Section(
        key="housing",
        title=_("Wohnraumkontrolle"),
        order=30,
        text=_("%(n)s Kontrollen abgeschlossen; %(found)s Wohnungen überbelegt vorgefunden.")
        % {"n": counts.done, "found": counts.overcrowded_found},
        tables=[
            Table(
                key="inspections_by_cause",
                caption=_("Abgeschlossene Kontrollen nach Anlass"),
                columns=[_("Kontrollen")],
                rows=[*(row(label, n) for label, n in counts.by_cause), (_("Insgesamt"), [counts.done])],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=source,
            ),
            Table(
                key="findings_by_category",
                caption=_("Befunde nach Bereich der Prüfliste"),
                columns=[_("Befunde")],
                rows=[(label, [n]) for label, n in counts.by_category],
                unit=_("Anzahl"),
                chart="bar",
                source=_("Befunde dieser Kontrollen."),
            ),
            Table(
                key="outcomes",
                caption=_("Überbelegung, Anordnungen und Unbewohnbarkeit"),
                columns=[_("Anzahl")],
                rows=[(label, [n]) for label, n in counts.totals()],
                unit=_("Anzahl"),
                source=_("Wohnungen, Anordnungen und Erklärungen aus diesen Kontrollen."),
            ),
        ],
    )


REPORT = [build]
