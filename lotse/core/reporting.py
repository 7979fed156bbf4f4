"""Figures for dashboards and the council report: what each app contributes, in one shape.

Each app that contributes figures lists them as ``REPORT`` in its ``report.py``: functions
``build(scope) -> Section | None`` (None when the organisation has nothing of that kind). A
provider reads aggregates only, with a fixed number of queries whatever the data, and never a
name; its tables hold the raw counts. Small-count and secondary suppression, and the
comparison with the period before, are the reports app's work on these tables
(``lotse.reports``), not the providers'.

Core knows no app: the providers are found through the app registry, as the agenda's are.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps

from lotse.core.kept import keepable, kept_all

Number = int | float | None


@dataclass(frozen=True)
class Scope:
    organisation_id: int
    start: dt.date  # first day of the period
    end: dt.date  # last day of the period (inclusive)
    district: str = ""  # "" = all districts

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Scope:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Scope(self.organisation_id, end - dt.timedelta(days=self.days - 1), end, self.district)


@dataclass
class Table:
    key: str  # stable within the section, e.g. "referrals_by_route"
    caption: str  # German, shown above the table / chart
    columns: list[str]  # column headings after the row label
    rows: list[tuple[str, list[Number]]]  # (row label, values) — RAW numbers, never suppressed here
    counts: bool = True  # values are counts of people/records → small-count suppression applies
    total_row: bool = False  # the last row is the sum of the others (secondary suppression uses it)
    unit: str = ""  # e.g. "Anzahl", "Prozent", "Tage"
    chart: str = ""  # "bar", "line" or "" (none)
    source: str = ""  # in words: what is counted, from which records (the query behind it)


@dataclass
class Section:
    key: str  # e.g. "clearing", "housing", "planning"
    title: str
    order: int
    tables: list[Table] = field(default_factory=list)
    text: str = ""  # short German summary sentence(s), no names


def row(label: str, *values: Number) -> tuple[str, list[Number]]:
    """A row of a table: its label and values."""
    return (label, list(values))


def months_of(scope: Scope) -> list[str]:
    """``MM.YYYY`` of every month the period touches (rows of a table by month)."""
    labels = []
    year, month = scope.start.year, scope.start.month
    while (year, month) <= (scope.end.year, scope.end.month):
        labels.append(f"{month:02d}.{year}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


Provider = Callable[[Scope], Section | None]


@cache
def providers() -> list[Provider]:
    found: list[Provider] = []
    for config in apps.get_app_configs():
        module = f"{config.name}.report"
        if config.name.startswith("lotse.") and importlib.util.find_spec(module) is not None:
            found.extend(getattr(importlib.import_module(module), "REPORT", []))
    return found


def section_of(build: Provider) -> str:
    """What a provider is asked for by: its app's label, unless it names its own section (an
    app with two, like case work's organisation-wide figures and the outreach unit's)."""
    return str(getattr(build, "section", build.__module__.split(".")[1]))


def _wanted(apps_only: frozenset[str] | None) -> list[Provider]:
    return [build for build in providers() if apps_only is None or section_of(build) in apps_only]


def _ordered(sections: list[Section | None]) -> list[Section]:
    return sorted((s for s in sections if s is not None), key=lambda section: (section.order, section.key))


def sections_for(scope: Scope, apps_only: frozenset[str] | None = None) -> list[Section]:
    """Every provider's section for ``scope`` that has something, in their order; with
    ``apps_only`` only those of the named sections (``section_of``: a unit's dashboard asks
    its own). Computed now (the council report)."""
    return _ordered([build(scope) for build in _wanted(apps_only)])


@keepable
def section_figures(
    section: str, organisation_id: int, start: dt.date, end: dt.date, district: str
) -> Section | None:
    """One provider's section, by the name ``section_of`` gives it (what ``kept`` stores)."""
    build = next(build for build in providers() if section_of(build) == section)
    return build(Scope(organisation_id, start, end, district))


def kept_sections_for(
    scopes: list[Scope], apps_only: frozenset[str] | None = None
) -> tuple[list[list[Section]], dt.datetime | None]:
    """``sections_for`` each scope, for dashboards (a period and the one before, asked together):
    sections slow to compute come from the store of kept figures (``lotse.core.kept``); with
    them the time of the oldest section read from there."""
    wanted = _wanted(apps_only)
    found = kept_all(
        [
            (
                section_figures,
                (section_of(build), scope.organisation_id, scope.start, scope.end, scope.district),
            )
            for scope in scopes
            for build in wanted
        ]
    )
    as_of = min((k.as_of for k in found if k.as_of is not None), default=None)
    values, width = [k.value for k in found], len(wanted)
    return [_ordered(values[i * width : (i + 1) * width]) for i in range(len(scopes))], as_of
