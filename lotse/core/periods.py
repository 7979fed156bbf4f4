"""Days as ranges of moments: filter a DateTimeField by calendar days of the installation's
time zone without a per-row transform.

``created_at__date__gte=start`` makes the database convert every row (SQLite calls a Python
function per row, PostgreSQL converts the time zone per row), so no index can be used and the
whole table is read. A half-open range of aware datetimes — local midnight at the start of the
first day up to local midnight after the last — selects the same rows and can use an index.
Each bound is computed from its own date, so days of 23 or 25 hours (DST) come out right.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def midnight(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the current time zone (``settings.TIME_ZONE``), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def on_days(field: str, first: dt.date | None = None, last: dt.date | None = None) -> dict[str, dt.datetime]:
    """Lookups for ``.filter(**…)``: ``field`` falls on the days ``first`` to ``last``
    (inclusive) in local time; a missing end leaves that side open. Same rows as
    ``field__date__gte=first, field__date__lte=last``."""
    lookups: dict[str, dt.datetime] = {}
    if first is not None:
        lookups[f"{field}__gte"] = midnight(first)
    if last is not None:
        lookups[f"{field}__lt"] = midnight(last + dt.timedelta(days=1))
    return lookups
