"""Days as ranges of moments (``lotse.core.periods``): the same rows as ``__date`` lookups,
across the DST changes of Europe/Berlin, on the database in use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lotse.accounts.models import Unit
from lotse.core.periods import midnight, on_days
from lotse.neighbourhood.models import Room, RoomBooking

BERLIN = ZoneInfo("Europe/Berlin")
SPRING = dt.date(2026, 3, 29)  # last Sunday of March: 23 hours
AUTUMN = dt.date(2026, 10, 25)  # last Sunday of October: 25 hours
DAY = dt.timedelta(days=1)


def local(day: dt.date, hour: int, minute: int = 0, microsecond: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, 0, microsecond), BERLIN)


def test_the_installation_counts_days_in_berlin(settings):
    assert settings.TIME_ZONE == "Europe/Berlin"


@pytest.mark.parametrize(("day", "hours"), [(SPRING, 23), (AUTUMN, 25), (dt.date(2026, 6, 1), 24)])
def test_a_day_is_as_long_as_the_clock_says(day, hours):
    lookups = on_days("starts_at", day, day)
    assert lookups["starts_at__gte"] == local(day, 0)
    # In UTC: between two datetimes of one zone Python subtracts wall-clock times.
    start, end = (lookups[key].astimezone(dt.UTC) for key in ("starts_at__gte", "starts_at__lt"))
    assert end - start == dt.timedelta(hours=hours)


def test_an_open_end_leaves_that_side_out():
    assert on_days("completed_at", last=SPRING) == {"completed_at__lt": midnight(SPRING + DAY)}
    assert on_days("completed_at", SPRING) == {"completed_at__gte": midnight(SPRING)}
    assert on_days("completed_at") == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last"),
    [(SPRING, SPRING), (AUTUMN, AUTUMN), (SPRING - DAY, SPRING), (AUTUMN, AUTUMN + DAY), (SPRING, AUTUMN)],
)
def test_the_range_selects_the_rows_of_the_date_lookup(first, last):
    unit = Unit.objects.filter(kind=Unit.Kind.NEIGHBOURHOOD).first()
    room = Room.objects.create(unit=unit, name="Saal")
    moments = {
        "just before the first day": local(first, 0) - dt.timedelta(microseconds=1),
        "00:30 on the first day": local(first, 0, 30),  # the UTC date is the day before
        "23:30 on the last day": local(last, 23, 30),
        "00:00 the day after": local(last + DAY, 0),  # the UTC date is still the last day
    }
    ids = {
        name: RoomBooking.objects.create(
            room=room, title=name, starts_at=moment, ends_at=moment + dt.timedelta(minutes=30)
        ).pk
        for name, moment in moments.items()
    }
    assert moments["00:30 on the first day"].astimezone(dt.UTC).date() == first - DAY
    assert moments["00:00 the day after"].astimezone(dt.UTC).date() == last

    by_range = set(
        RoomBooking.objects.filter(**on_days("starts_at", first, last)).values_list("pk", flat=True)
    )
    by_date = set(
        RoomBooking.objects.filter(starts_at__date__gte=first, starts_at__date__lte=last).values_list(
            "pk", flat=True
        )
    )
    assert by_range == {ids["00:30 on the first day"], ids["23:30 on the last day"]}
    assert by_range == by_date
