"""The shared interface between the reports app and the apps that contribute figures.

Each app that contributes has ``lotse/<app>/report.py`` with ``REPORT = [build]`` where
``build(scope: Scope) -> Section | None`` (None when the organisation has nothing of that
kind). Providers read aggregates only, with a fixed number of queries, never names. Small-count
suppression and the comparison with the period before are done by the reports app on these
tables, not by the providers.
"""

import datetime as dt
from dataclasses import dataclass, field

Number = int | float | None


@dataclass(frozen=True)
class Scope:
    organisation_id: int
    start: dt.date  # first day of the period
    end: dt.date  # last day of the period (inclusive)
    district: str = ""  # "" = all districts


@dataclass
class Table:
    key: str  # stable within the section, e.g. "referrals_by_route"
    caption: str  # German, shown above the table / chart
    columns: list[str]  # column headings after the row label
    rows: list[tuple[str, list[Number]]]  # (row label, values) — RAW numbers, never suppressed here
    counts: bool = True  # True: values are counts of people/records → small-count suppression applies
    total_row: bool = False  # True: the last row is the sum of the others (secondary suppression uses it)
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
