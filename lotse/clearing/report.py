"""The Clearingstelle's part of the dashboards and the council report: arrival interviews,
the people they registered, their nationalities, work and training (aggregates of
``selectors.interview_tallies``, the same counting as the unit's figures page)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Unit
from lotse.clearing.selectors import NATIONALITIES, SECTORS, interview_tallies
from lotse.core.reporting import Scope, Section, Table, months_of, row
from lotse.people.countries import country_name

SECTOR_LABELS = {
    "food": gettext_lazy("Lebensmittelverarbeitung"),
    "services": gettext_lazy("Dienstleistungen"),
    "logistics": gettext_lazy("Logistik"),
}


def build(scope: Scope) -> Section | None:
    if not Unit.objects.filter(kind=Unit.Kind.CLEARING, organisations__pk=scope.organisation_id).exists():
        return None
    _quarters, months, total = interview_tallies(
        [scope.organisation_id], start=scope.start, end=scope.end, district=scope.district
    )
    known = sum(total.nationalities.get(code, 0) for code in NATIONALITIES)
    women_or_other = total.adults - total.men
    employed = total.interviews - total.no_job
    other_sector = employed - sum(total.sectors.get(code, 0) for code in SECTORS)
    source = _("Ankunftsgespräche der Clearingstelle, nach Tag des Gesprächs; Wohnort laut Melderegister.")
    return Section(
        key="clearing",
        title=_("Clearingstelle"),
        order=10,
        text=_("%(n)s Ankunftsgespräche; dabei %(adults)s Erwachsene und %(children)s Kinder erfasst.")
        % {"n": total.interviews, "adults": total.adults, "children": total.children},
        tables=[
            Table(
                key="arrivals",
                caption=_("Ankunftsgespräche und erfasste Personen"),
                columns=[_("Anzahl")],
                rows=[
                    (_("Ankunftsgespräche"), [total.interviews]),
                    (_("Erwachsene"), [total.adults]),
                    (_("Kinder"), [total.children]),
                ],
                unit=_("Anzahl"),
                chart="bar",
                source=source,
            ),
            Table(
                key="adults_by_nationality",
                caption=_("Erwachsene nach Staatsangehörigkeit"),
                columns=[_("Erwachsene")],
                rows=[
                    *(row(country_name(code), total.nationalities.get(code, 0)) for code in NATIONALITIES),
                    (_("andere Staaten"), [total.adults - known]),
                    (_("Insgesamt"), [total.adults]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=source,
            ),
            Table(
                key="adults_by_sex",
                caption=_("Erwachsene nach Geschlecht"),
                columns=[_("Erwachsene")],
                rows=[
                    (_("Männer"), [total.men]),
                    (_("Frauen und andere Angaben"), [women_or_other]),
                    (_("Insgesamt"), [total.adults]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                source=source,
            ),
            Table(
                key="work",
                caption=_("Arbeit der befragten Person"),
                columns=[_("Befragte")],
                rows=[
                    *(row(str(SECTOR_LABELS[code]), total.sectors.get(code, 0)) for code in SECTORS),
                    (_("andere Branche"), [other_sector]),
                    (_("ohne Arbeit"), [total.no_job]),
                    (_("Insgesamt"), [total.interviews]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=source,
            ),
            Table(
                key="interviews_by_month",
                caption=_("Ankunftsgespräche nach Monat"),
                columns=[_("Gespräche")],
                rows=[(label, [months.get(label, 0)]) for label in months_of(scope)],
                unit=_("Anzahl"),
                chart="line",
                source=source,
            ),
        ],
    )


REPORT = [build]
