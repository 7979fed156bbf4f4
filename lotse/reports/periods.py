"""Periods of the figures: a year, a quarter, a month or any span from one day to another.

Written as people write them: „2025“, „2025-Q2“ (also „Q2 2025“, „2025/Q2“), „2025-03“ (also
„03/2025“, „3.2025“); a free span is two dates. A span that ends before it starts is refused
with a message that says so. The period before is the year, quarter or month before, a free span
the as many days before.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = 2000
LATEST = 2100

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/ ]\s*Q([1-4])|Q([1-4])\s*[-/ ]?\s*(\d{4}))$", re.IGNORECASE)
_MONTH = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})[./](\d{4}))$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    kind: str = "span"  # "year", "quarter", "month" or "span"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The year, quarter or month before; for a free span the as many days before."""
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            return quarter(self.start.year - 1, 4) if number == 1 else quarter(self.start.year, number - 1)
        if self.kind == "month":
            return (
                month(self.start.year - 1, 12)
                if self.start.month == 1
                else month(self.start.year, self.start.month - 1)
            )
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=self.days - 1)
        return Period(start, end, describe(start, end))


def _year(text: str) -> int:
    year = int(text)
    if not EARLIEST <= year <= LATEST:
        raise ValidationError(
            _("Das Jahr %(year)s liegt nicht zwischen %(first)s und %(last)s.")
            % {"year": year, "first": EARLIEST, "last": LATEST}
        )
    return year


def year(value: int) -> Period:
    value = _year(str(value))
    return Period(dt.date(value, 1, 1), dt.date(value, 12, 31), str(value), "year")


def quarter(value_year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    end = dt.date(value_year, last_month, calendar.monthrange(value_year, last_month)[1])
    label = _("%(q)s. Quartal %(y)s") % {"q": number, "y": value_year}
    return Period(dt.date(value_year, first_month, 1), end, label, "quarter")


def month(value_year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise ValidationError(_("Einen Monat %(month)s gibt es nicht.") % {"month": number})
    start = dt.date(value_year, number, 1)
    end = dt.date(value_year, number, calendar.monthrange(value_year, number)[1])
    return Period(start, end, date_format(start, "F Y"), "month")


def parse(text: str) -> Period:
    """A year, quarter or month as written; a clear message for anything else."""
    text = text.strip()
    if match := _YEAR.match(text):
        return year(int(match[1]))
    if match := _QUARTER.match(text):
        value_year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        return quarter(_year(value_year), int(number))
    if match := _MONTH.match(text):
        value_year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        return month(_year(value_year), int(number))
    raise ValidationError(
        _(
            "„%(text)s“ ist kein Zeitraum. Bitte ein Jahr (2025), ein Quartal (2025-Q2) "
            "oder einen Monat (2025-03) angeben."
        )
        % {"text": text}
    )


def describe(start: dt.date, end: dt.date) -> str:
    return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}"


def between(start: dt.date, end: dt.date) -> Period:
    """A free span; refused when it ends before it starts."""
    if end < start:
        raise ValidationError(
            _(
                "Der Zeitraum endet (%(end)s), bevor er beginnt (%(start)s). "
                "Bitte das Ende nach dem Anfang wählen."
            )
            % {"start": date_format(start, "SHORT_DATE_FORMAT"), "end": date_format(end, "SHORT_DATE_FORMAT")}
        )
    for day in (start, end):
        _year(str(day.year))
    return Period(start, end, describe(start, end))
