"""Partial birth dates: parsing, validation and comparison levels."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from operator import ne

MIN_YEAR = 1880

MONTH_NAMES = (
    "",
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


@dataclass(frozen=True)
class PartialDate:
    """A birth date of which the day, the month or both may be unknown.

    ``placeholder`` marks the register's frequent ``01.01.YYYY`` stand-in for an unknown day
    and month: for matching such a date counts as "year only". ``impossible`` marks a date kept
    as written although it cannot exist ("1955-11-92" in a file to be checked for duplicates):
    its digits still carry evidence (a typo of 1955-11-29), so it is compared like any other.
    """

    year: int | None
    month: int | None = None
    day: int | None = None
    placeholder: bool = False
    impossible: bool = False

    def __post_init__(self) -> None:
        if self.impossible:
            return
        problem = _problem(self.year, self.month, self.day)
        if problem:
            raise ValueError(f"Ungültiges Geburtsdatum „{self}“: {problem}")

    @cached_property
    def known(self) -> tuple[int | None, int | None, int | None]:
        """(year, month, day) as far as they count for matching (placeholders drop day and month)."""
        if self.placeholder:
            return (self.year, None, None)
        return (self.year, self.month, self.day)

    @cached_property
    def digits(self) -> str:
        """YYYYMMDD of the known parts (for typo checks); placeholders give YYYY only."""
        y, m, d = self.known
        return f"{y or 0:04d}{m or 0:02d}{d or 0:02d}" if m is not None and d is not None else f"{y or 0:04d}"

    @property
    def is_full(self) -> bool:
        return (
            not self.placeholder and self.year is not None and self.month is not None and self.day is not None
        )

    def __str__(self) -> str:
        year = f"{self.year:04d}" if self.year else "0000"
        return f"{self.day or 0:02d}.{self.month or 0:02d}.{year}"


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2}$")

FORMAT_HINT = "erlaubt sind TT.MM.JJJJ (00 für Unbekanntes), JJJJ-MM-TT, JJJJ-MM, JJJJ oder JJJJMMTT"


def _problem(year: int | None, month: int | None, day: int | None, today: dt.date | None = None) -> str:
    """A German sentence naming what is impossible about the date, or '' when it is possible."""
    today = today or dt.date.today()
    if year is None:
        if month is not None or day is not None:
            return "Tag oder Monat ohne Jahr ist nicht möglich."
        return "das Jahr fehlt."
    if year < MIN_YEAR:
        return f"das Jahr {year} liegt vor {MIN_YEAR}."
    if year > today.year:
        return f"das Jahr {year} liegt in der Zukunft."
    if month is None:
        if day is not None:
            return "ein Tag ohne Monat ist nicht möglich."
        return ""
    if not 1 <= month <= 12:
        return f"einen Monat {month} gibt es nicht."
    if year == today.year and month > today.month:
        return f"der {MONTH_NAMES[month]} {year} liegt in der Zukunft."
    if day is None:
        return ""
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if month == 2 and day == 29:
            return f"den 29. Februar gab es {year} nicht (kein Schaltjahr)."
        if day < 1 or day > 31:
            return f"einen Tag {day} gibt es nicht."
        return f"den {day}. {MONTH_NAMES[month]} gibt es nicht."
    if dt.date(year, month, day) > today:
        return "das Datum liegt in der Zukunft."
    return ""


def parse_birth_date(
    text: str, *, today: dt.date | None = None, keep_impossible: bool = False
) -> PartialDate | None:
    """Parse a possibly partial birth date; ``""`` gives ``None``.

    Accepted: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``DD.MM.YYYY`` (``00`` for an unknown day or
    month, also ``00.00.YYYY``) and the compact ``YYYYMMDD``. ``01.01.YYYY`` / ``YYYY-01-01`` are
    marked as placeholders. Impossible dates raise ``ValueError`` with a German message; with
    ``keep_impossible`` a well-formed one (day 92, month 13, 31 February) comes back as written,
    marked ``impossible`` – the batch search compares its digits. An unknown format or a missing
    year raises either way.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    year: int | None
    month: int | None
    day: int | None
    if m := _ISO.match(raw):
        year, month, day = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    elif m := _GERMAN.match(raw):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _COMPACT.match(raw):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif _SHORT_YEAR.match(raw):
        raise ValueError(f"Ungültiges Geburtsdatum „{raw}“: die Jahreszahl muss vierstellig sein.")
    else:
        raise ValueError(f"Ungültiges Geburtsdatum „{raw}“: unbekanntes Format; {FORMAT_HINT}.")
    # "00" stands for an unknown part.
    if month == 0:
        month = None
    if day == 0:
        day = None
    if year == 0:
        raise ValueError(f"Ungültiges Geburtsdatum „{raw}“: das Jahr fehlt.")
    problem = _problem(year, month, day, today)
    if problem:
        if keep_impossible:
            # A day without a month keeps its "00": the digits are compared, not the parts.
            return PartialDate(year, 0 if month is None and day is not None else month, day, impossible=True)
        raise ValueError(f"Ungültiges Geburtsdatum „{raw}“: {problem}")
    placeholder = day == 1 and month == 1
    return PartialDate(year, month, day, placeholder)


# --- comparison levels -------------------------------------------------------------------------

DATE_EXACT = "exact"
DATE_SWAPPED = "swapped"  # day and month swapped
DATE_TYPO = "typo"  # one digit wrong or two neighbouring digits transposed
DATE_YEAR_MONTH = "year_month"  # only year and month known on one side; they agree
DATE_YEAR = "year"  # only the year known (or a 01.01 placeholder) on one side; it agrees
DATE_YEAR_TYPO = "year_typo"  # partial date whose year differs by one digit
DATE_MISSING = "missing"
DATE_DISAGREE = "disagree"


def one_digit_apart(a: str, b: str) -> bool:
    """Same length; one digit differs, or two neighbouring digits are transposed."""
    if len(a) != len(b):
        return False
    count = sum(map(ne, a, b))
    if count == 1:
        return True
    if count != 2:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> str:
    """The agreement level of two partial dates (one of the ``DATE_*`` constants)."""
    if a is None or b is None:
        return DATE_MISSING
    ya, ma, da = a.known
    yb, mb, db = b.known
    if ya is None or yb is None:
        return DATE_MISSING
    if da is not None and db is not None and ma is not None and mb is not None:
        if ya == yb and ma == mb and da == db:
            return DATE_EXACT
        if ya == yb and ma == db and da == mb:
            return DATE_SWAPPED
        if one_digit_apart(a.digits, b.digits):
            return DATE_TYPO
        return DATE_DISAGREE
    # At least one side is partial: compare what both know.
    if ya != yb:
        if one_digit_apart(f"{ya:04d}", f"{yb:04d}") and abs(ya - yb) < 10:
            if ma is not None and mb is not None and ma != mb:
                return DATE_DISAGREE
            return DATE_YEAR_TYPO
        return DATE_DISAGREE
    if ma is not None and mb is not None:
        if ma == mb:
            return DATE_YEAR_MONTH
        # A known day on the other side may be the month with day and month swapped.
        if (da is not None and da == mb) or (db is not None and db == ma):
            return DATE_YEAR
        return DATE_DISAGREE
    return DATE_YEAR
