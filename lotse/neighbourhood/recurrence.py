"""Dates of an activity as RFC 5545 text: ``DTSTART``, ``RRULE``, ``EXDATE`` and ``RDATE``
lines, expanded with python-dateutil. The text is stored as is, so that a calendar feed
(``icalendar``) can carry it unchanged.

Times are local wall-clock times of the office without a zone (RFC 5545 "floating" time); the
feed adds the installation's ``TIME_ZONE`` as ``TZID``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.rrule import rrule, rruleset, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMAT = "%Y%m%dT%H%M%S"

# What the form offers; every other rule can be typed as RRULE text.
PATTERNS = {
    "once": "",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",  # the same weekday of the month, see ``rule_for``
}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Far enough for a programme; keeps an open-ended rule from running forever.
HORIZON_YEARS = 5


@dataclass(frozen=True)
class Dates:
    start: dt.datetime
    rule: str = ""
    excluded: tuple[dt.date, ...] = ()
    extra: tuple[dt.datetime, ...] = ()


def rule_for(pattern: str, start: dt.datetime, until: dt.date | None) -> str:
    """The RRULE value for a pattern of the form: ``monthly`` repeats the weekday's position in
    the month (the first Wednesday; the last one when it falls in the last seven days)."""
    rule = PATTERNS[pattern]
    if not rule:
        return ""
    if pattern == "monthly":
        nth = (start.day - 1) // 7 + 1
        if start.day + 7 > _days_in_month(start):
            nth = -1
        rule = f"{rule};BYDAY={nth}{WEEKDAYS[start.weekday()]}"
    if until is not None:
        rule += f";UNTIL={dt.datetime.combine(until, dt.time(23, 59, 59)).strftime(FORMAT)}"
    return rule


def _days_in_month(day: dt.datetime) -> int:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - dt.timedelta(days=1)).day


def to_text(dates: Dates) -> str:
    """The RFC 5545 lines; excluded dates are excluded at the start's time of day."""
    lines = [f"DTSTART:{dates.start.strftime(FORMAT)}"]
    if dates.rule:
        lines.append(f"RRULE:{dates.rule}")
    if dates.excluded:
        excluded = sorted(dt.datetime.combine(day, dates.start.time()) for day in set(dates.excluded))
        lines.append("EXDATE:" + ",".join(moment.strftime(FORMAT) for moment in excluded))
    if dates.extra:
        lines.append("RDATE:" + ",".join(moment.strftime(FORMAT) for moment in sorted(set(dates.extra))))
    return "\n".join(lines)


def parse(text: str) -> rruleset:
    """The rule set of the stored text; a German ``ValidationError`` for what is not RFC 5545."""
    try:
        parsed = rrulestr(text, forceset=True)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("Die Terminregel ist nicht lesbar (%(error)s). Bitte prüfen Sie Wiederholung und Daten.")
            % {"error": error},
            code="rule",
        ) from None
    assert isinstance(parsed, rruleset)
    if not parsed._rrule:
        # Without a rule the start is the one date (RFC 5545: DTSTART is the first instance);
        # dateutil counts only rules and RDATEs, so it is added here (an EXDATE still wins).
        start = next((line[8:] for line in text.splitlines() if line.startswith("DTSTART:")), "")
        if start:
            parsed.rdate(dt.datetime.strptime(start.strip(), FORMAT))
    return parsed


def _bounded(rules: rruleset) -> rruleset:
    """The rule set, with open-ended rules cut at the horizon."""
    bounded = rruleset()
    for rule in rules._rrule:
        if rule._until is None and rule._count is None:
            assert rule._dtstart is not None
            horizon = rule._dtstart.replace(year=rule._dtstart.year + HORIZON_YEARS)
            rule = rule.replace(until=horizon)
        bounded.rrule(rule)
    for moment in rules._rdate:
        bounded.rdate(moment)
    for moment in rules._exdate:
        bounded.exdate(moment)
    for rule in rules._exrule:
        bounded.exrule(rule)
    return bounded


def occurrences(text: str, start: dt.date, end: dt.date) -> list[dt.datetime]:
    """Starts of the dates from ``start`` to ``end`` (both days included), in order."""
    rules = _bounded(parse(text))
    return list(
        rules.between(
            dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end, dt.time.max), inc=True
        )
    )


def first_and_last(text: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first and the last date (the last within the horizon of an open-ended rule)."""
    rules = _bounded(parse(text))
    first = next(iter(rules), None)
    last = None
    if first is not None:
        last = rules.before(dt.datetime.max, inc=True)
    return first, last


def require_a_date(text: str) -> None:
    """A rule must give at least one date."""
    first, _last = first_and_last(text)
    if first is None:
        raise ValidationError(
            _(
                "Diese Angaben ergeben keinen einzigen Termin (z. B. ein Ende vor dem ersten Termin "
                "oder alle Termine als Ausnahme gestrichen). Bitte prüfen Sie Wiederholung, Ende "
                "und Ausnahmen."
            ),
            code="no_date",
        )


def parse_days(text: str) -> list[dt.date]:
    """``"24.12.2026, 31.12.2026"`` (or ISO dates), one or several, separated by commas,
    semicolons or new lines."""
    days = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                days.append(dt.datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("„%(text)s“ ist kein Datum. Bitte so schreiben: 24.12.2026.") % {"text": part},
                code="date",
            )
    return days


def describe(text: str) -> dict[str, Iterable[dt.datetime] | str]:
    """The parts of the stored text for a page: the rule and the extra and excluded dates."""
    rules = parse(text)
    rule = next((line[6:] for line in text.splitlines() if line.startswith("RRULE:")), "")
    return {"rule": rule, "excluded": list(rules._exdate), "extra": list(rules._rdate)}


__all__ = ["Dates", "occurrences", "parse", "require_a_date", "rrule", "rule_for", "to_text"]
