"""Dashboards and the council report: the apps' sections for a period, hidden as the viewer
must see them, beside the period before.

The providers (``lotse/<app>/report.py``, found by ``lotse.core.reporting``) give raw counts.
Here they are suppressed (``suppression.suppress``; in full only for a unit's own dashboard
shown to its own staff), set beside the same figures of the period before (the year, quarter
or month before; a free span the as many days before), and drawn as charts from the very rows
of the table. The page, the PDF, the spreadsheet and the CSV are all made from one ``Report``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, Unit, UnitOrganisation
from lotse.core import access
from lotse.core.reporting import Scope, Table, kept_sections_for, sections_for
from lotse.housing.models import Building
from lotse.reports import charts
from lotse.reports.periods import Period
from lotse.reports.sections import DETAIL_PAGES, UNIT_SECTIONS
from lotse.reports.suppression import Cell, suppress


@dataclass
class Row:
    label: str
    cells: list[Cell]
    before: list[Cell]
    change: list[Cell]
    total: bool = False

    @property
    def values(self) -> list[tuple[Cell, Cell, Cell]]:
        """Per column: this period, the period before, the change."""
        return list(zip(self.cells, self.before, self.change, strict=False))


@dataclass
class ShownTable:
    key: str
    caption: str
    columns: list[str]
    rows: list[Row]
    unit: str
    source: str
    counts: bool
    chart: SafeString
    compare: bool

    @property
    def hidden_any(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in (*row.cells, *row.before))


@dataclass
class ShownSection:
    key: str
    title: str
    text: str
    tables: list[ShownTable] = field(default_factory=list)


@dataclass
class Report:
    title: str
    organisation: Organisation
    period: Period
    before: Period
    district: str
    in_full: bool
    sections: list[ShownSection]
    as_of: dt.datetime | None = None  # figures read from the store kept since then (None: now)

    @property
    def empty(self) -> bool:
        """No figure of the period is more than zero (a year without data)."""
        return not any(
            isinstance(cell.value, int | float) and cell.value
            for section in self.sections
            for table in section.tables
            for row in table.rows
            for cell in row.cells
        )


def _change(now: Cell, then: Cell) -> Cell:
    if now.hidden or then.hidden:
        return Cell(None, hidden="x")
    if isinstance(now.value, int | float) and isinstance(then.value, int | float):
        return Cell(now.value - then.value)
    return Cell(None)


def _shown(
    section_key: str, table: Table, before: Table | None, *, in_full: bool, compare: bool
) -> ShownTable:
    rows = suppress(table, in_full=in_full)
    earlier_rows = suppress(before, in_full=in_full) if before is not None else []
    earlier = dict(earlier_rows)
    if earlier_rows and len(earlier_rows) == len(rows) and not earlier.keys() & {label for label, _c in rows}:
        # A series (months of the year): the same position in the period before.
        earlier = {label: cells for (label, _c), (_l, cells) in zip(rows, earlier_rows, strict=True)}
    width = len(table.columns)
    shown_rows = []
    for index, (label, cells) in enumerate(rows):
        then = earlier.get(label) or [Cell(0 if table.counts else None) for _ in range(width)]
        shown_rows.append(
            Row(
                label=label,
                cells=cells,
                before=then,
                change=[_change(now, was) for now, was in zip(cells, then, strict=False)],
                total=table.total_row and index == len(rows) - 1,
            )
        )
    chart_rows = [(row.label, row.cells) for row in shown_rows if not row.total]
    return ShownTable(
        key=table.key,
        caption=table.caption,
        columns=table.columns,
        rows=shown_rows,
        unit=table.unit,
        source=table.source,
        counts=table.counts,
        chart=charts.chart(
            table.chart, f"chart-{section_key}-{table.key}", table.caption, table.columns, chart_rows
        ),
        compare=compare,
    )


def build_report(
    title: str,
    organisation: Organisation,
    period: Period,
    *,
    district: str = "",
    in_full: bool = False,
    apps_only: frozenset[str] | None = None,
    compare: bool = True,
    keep: bool = False,
) -> Report:
    """The sections of ``organisation`` for ``period`` (and the period before); with ``keep``
    (dashboards) slow sections from the store of kept figures, else all computed now."""

    before = period.previous()
    scopes = [
        Scope(organisation.pk, p.start, p.end, district) for p in ([period, before] if compare else [period])
    ]
    if keep:
        found, as_of = kept_sections_for(scopes, apps_only)
    else:
        found, as_of = [sections_for(scope, apps_only) for scope in scopes], None
    now = found[0]
    then = {section.key: section for section in (found[1] if compare else [])}
    shown = []
    for section in now:
        earlier = {table.key: table for table in then[section.key].tables} if section.key in then else {}
        shown.append(
            ShownSection(
                key=section.key,
                title=section.title,
                text=section.text,
                tables=[
                    _shown(section.key, table, earlier.get(table.key), in_full=in_full, compare=compare)
                    for table in section.tables
                ],
            )
        )
    return Report(
        title=title,
        organisation=organisation,
        period=period,
        before=before,
        district=district,
        in_full=in_full,
        sections=shown,
        as_of=as_of,
    )


# --- who sees which ------------------------------------------------------------------------------


def dashboard_units_for(user: Any) -> QuerySet[Unit]:
    return access.visible(user, Unit, "dashboard").distinct().order_by("name")


def detail_pages_for(user: Any) -> list[dict[str, str]]:
    """The units' own detailed figures pages the user may open (label and address)."""
    return [
        {"label": str(entry.label), "url": reverse(entry.url_name)}
        for entry in DETAIL_PAGES.values()
        if entry.allowed(user)
    ]


def office_organisation_for(user: Any) -> Organisation | None:
    return access.visible(user, Organisation, "office_dashboard").first()


def get_dashboard_unit_for(user: Any, slug: str) -> Unit:
    unit = dashboard_units_for(user).filter(slug=slug).first()
    if unit is None:
        raise Http404
    return unit


def unit_organisation(user: Any, unit: Unit) -> Organisation:
    """Whose figures a unit's dashboard shows: the viewer's employer if it runs the unit (a
    joint team shows each organisation its own), else the unit's lead organisation."""
    organisations = [
        link.organisation
        for link in UnitOrganisation.objects.filter(unit=unit)
        .select_related("organisation")
        .order_by("-lead", "pk")
    ]
    for organisation in organisations:
        if organisation.pk == user.organisation_id:
            return organisation
    if not organisations:
        raise Http404
    return organisations[0]


def unit_dashboard(user: Any, unit: Unit, period: Period, district: str = "") -> Report:
    return build_report(
        _("Kennzahlen: %(unit)s") % {"unit": unit.name},
        unit_organisation(user, unit),
        period,
        district=district,
        in_full=access.can(user, "dashboard_in_full", unit),
        apps_only=UNIT_SECTIONS.get(unit.kind, frozenset()),
        keep=True,
    )


def office_dashboard(user: Any, period: Period, district: str = "") -> Report:
    organisation = office_organisation_for(user)
    if organisation is None:
        raise Http404
    return build_report(
        _("Kennzahlen des Amtes: %(organisation)s") % {"organisation": organisation.name},
        organisation,
        period,
        district=district,
        keep=True,
    )


def districts_of(organisation_id: int | None) -> list[str]:
    """The districts the organisation's buildings lie in (the filter of the dashboards)."""
    if organisation_id is None:
        return []
    return list(
        Building.objects.filter(organisation_id=organisation_id)
        .exclude(district="")
        .values_list("district", flat=True)
        .distinct()
        .order_by("district")
    )


def organisation_for_report(key: str | None) -> Organisation:
    """The organisation a council report is for: by its key, or the one with an office."""
    if key:
        found = Organisation.objects.filter(slug=key).first()
        if found is None:
            raise LookupError(_("Eine Organisation „%(key)s“ gibt es nicht.") % {"key": key})
        return found
    offices = list(Organisation.objects.filter(units__kind=Unit.Kind.OFFICE).distinct().order_by("slug"))
    if len(offices) != 1:
        keys = ", ".join(o.slug for o in offices) or _("keine")
        raise LookupError(
            _("Bitte die Organisation mit --organisation angeben (in Frage kommen: %(keys)s).")
            % {"keys": keys}
        )
    return offices[0]


def council_report(organisation: Organisation, year: Period) -> Report:
    return build_report(
        _("Bericht an den Rat %(year)s: %(organisation)s")
        % {"year": year.label, "organisation": organisation.name},
        organisation,
        year,
    )
