"""Compulsory schooling and school days, computed from the state law kept as data.

``schooling.yaml`` holds per state the entry age and cut-off date, the years of full-time
schooling and of the whole duty (vocational school after the full-time years);
``school_holidays.yaml`` the school holidays per school year. Public holidays come from the
``holidays`` package with the state as subdivision. Nothing here knows a state by name: a
second state is a second entry in the YAML files.

"Das sechste Lebensjahr vollenden" follows §§ 187 Abs. 2, 188 Abs. 2 BGB: a year of life is
completed at the end of the day before the birthday, so a child born on 1 July has completed
its sixth year on 30 June and falls under a cut-off date of 30 June.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import holidays
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from lotse.core import statelaw

FULL_TIME = "full_time"
VOCATIONAL = "vocational"


def _month_day(value: str) -> tuple[int, int]:
    month, day = (int(part) for part in str(value).split("-"))
    return month, day


def _birthday(birth_date: dt.date, year: int) -> dt.date:
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a common year: the birthday is 1 March (§ 188 Abs. 3 BGB)
        return dt.date(year, 3, 1)


def completes_year_of_life(birth_date: dt.date, years: int) -> dt.date:
    """The day at whose end the ``years``-th year of life is completed (the day before the birthday)."""
    return _birthday(birth_date, birth_date.year + years) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Duty:
    """A child's compulsory schooling on a day, with the rule's citation."""

    school_age: bool
    kind: str | None  # FULL_TIME, VOCATIONAL or None (before or after the duty)
    starts: dt.date
    full_time_until: dt.date
    ends: dt.date
    citation: str

    @property
    def label(self) -> str:
        if self.kind == FULL_TIME:
            return _("Vollzeitschulpflicht")
        if self.kind == VOCATIONAL:
            return _("Pflicht zum Besuch einer berufsbildenden Schule")
        return _("nicht schulpflichtig")


def rule(state: str) -> dict[str, Any]:
    return statelaw.rule("schooling", state)


def school_year_start(year: int, state: str) -> dt.date:
    month, day = _month_day(rule(state)["school_year_starts"])
    return dt.date(year, month, day)


def duty_starts(birth_date: dt.date, state: str) -> dt.date:
    """First day of compulsory schooling: the start of the school year of the cut-off date by
    which the child completes the entry age."""
    entry = rule(state)
    completed = completes_year_of_life(birth_date, int(entry["entry_age"]))
    month, day = _month_day(entry["cutoff"])
    year = completed.year if completed <= dt.date(completed.year, month, day) else completed.year + 1
    return school_year_start(year, state)


def duty(birth_date: dt.date, on: dt.date, state: str) -> Duty:
    """Whether the child is of compulsory school age on ``on``, since and until when, and which duty."""
    entry = rule(state)
    starts = duty_starts(birth_date, state)
    full_time_until = school_year_start(starts.year + int(entry["full_time_years"]), state) - dt.timedelta(1)
    ends = school_year_start(starts.year + int(entry["total_years"]), state) - dt.timedelta(days=1)
    kind = None if on < starts or on > ends else FULL_TIME if on <= full_time_until else VOCATIONAL
    citation = entry["entry_citation"] if kind in (None, FULL_TIME) else entry["vocational_citation"]
    if kind == FULL_TIME:
        citation = f"{entry['entry_citation']}, {entry['full_time_citation']}"
    return Duty(
        school_age=kind is not None,
        kind=kind,
        starts=starts,
        full_time_until=full_time_until,
        ends=ends,
        citation=citation,
    )


def entry_age(state: str) -> int:
    return int(rule(state)["entry_age"])


def may_be_school_age(age: int | None, state: str) -> bool:
    """With only an age in whole years (a child told of in an interview): could the child be of
    compulsory school age? From the entry age up to the last year the duty can reach."""
    if age is None:
        return False
    entry = rule(state)
    return int(entry["entry_age"]) <= age <= int(entry["entry_age"]) + int(entry["total_years"])


# --- School days ----------------------------------------------------------------------------------


def school_year_label(day: dt.date, state: str) -> str:
    start = school_year_start(day.year, state)
    first = day.year if day >= start else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


@cache
def _holiday_ranges(state: str) -> dict[str, list[tuple[dt.date, dt.date, str]]]:
    entry = statelaw.rule("school_holidays", state)
    return {
        year: [(item["first"], item["last"], item["name"]) for item in items]
        for year, items in (entry.get("years") or {}).items()
    }


def school_holiday(day: dt.date, state: str) -> str | None:
    """The name of the school holidays ``day`` falls in, or None. A school year without data is
    a German configuration error, never silently a year without holidays."""
    label = school_year_label(day, state)
    ranges = _holiday_ranges(state)
    if label not in ranges:
        raise ImproperlyConfigured(
            f"Für das Schuljahr {label} sind keine Schulferien von {state} hinterlegt "
            f"(lotse/core/statelaw/school_holidays.yaml). Vorhanden: {', '.join(sorted(ranges)) or 'keine'}."
        )
    for first, last, name in ranges[label]:
        if first <= day <= last:
            return str(name)
    return None


@cache
def _public_holidays(state: str, year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("DE", subdiv=state, years=year))


def public_holiday(day: dt.date, state: str) -> str | None:
    return _public_holidays(state, day.year).get(day)


def is_school_day(day: dt.date, state: str) -> bool:
    """Monday to Friday, not a public holiday of the state, not in the state's school holidays."""
    if day.weekday() >= 5 or public_holiday(day, state):
        return False
    return school_holiday(day, state) is None


def add_school_days(start: dt.date, count: int, state: str) -> dt.date:
    """The ``count``-th school day after ``start`` (``start`` itself does not count, like a
    deadline that begins the day after the event, § 187 Abs. 1 BGB)."""
    day = start
    left = count
    while left > 0:
        day += dt.timedelta(days=1)
        if is_school_day(day, state):
            left -= 1
    return day


def school_days_between(first: dt.date, last: dt.date, state: str) -> int:
    """School days from ``first`` to ``last``, both included."""
    count = 0
    day = first
    while day <= last:
        count += is_school_day(day, state)
        day += dt.timedelta(days=1)
    return count
