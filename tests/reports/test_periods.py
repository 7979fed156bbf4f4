"""Periods as people write them; a span that ends before it starts is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lotse.core.reporting import Scope
from lotse.reports import periods

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-Q2", D(2025, 4, 1), D(2025, 6, 30)),
        ("Q4 2024", D(2024, 10, 1), D(2024, 12, 31)),
        ("2024/q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("3.2025", D(2025, 3, 1), D(2025, 3, 31)),
        ("03/2025", D(2025, 3, 1), D(2025, 3, 31)),
    ],
)
def test_years_quarters_and_months(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2025-13", "Q5 2025", "letztes Jahr", "1999", "20251"])
def test_what_is_not_a_period_says_so_in_german(text):
    with pytest.raises(ValidationError) as raised:
        periods.parse(text)
    message = " ".join(raised.value.messages)
    assert any(word in message for word in ("kein Zeitraum", "Monat", "liegt nicht zwischen"))


def test_a_span_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as raised:
        periods.between(D(2025, 5, 1), D(2025, 1, 1))
    assert "endet (01.01.2025), bevor er beginnt (01.05.2025)" in raised.value.messages[0]
    assert periods.between(D(2025, 5, 1), D(2025, 5, 1)).days == 1


def test_the_period_before_is_the_year_quarter_month_or_as_many_days_before():
    assert periods.parse("2025-Q1").previous().label == periods.parse("2024-Q4").label
    assert periods.parse("2025").previous().start == D(2024, 1, 1)  # 366 days, a whole year
    assert (periods.parse("2025-03").previous().start, periods.parse("2025-01").previous().end) == (
        D(2025, 2, 1),
        D(2024, 12, 31),
    )
    span = periods.between(D(2025, 3, 1), D(2025, 3, 10)).previous()
    assert (span.start, span.end) == (D(2025, 2, 19), D(2025, 2, 28))
    scope = Scope(1, D(2025, 1, 1), D(2025, 1, 31), "Neustadt")
    assert scope.previous() == Scope(1, D(2024, 12, 1), D(2024, 12, 31), "Neustadt")
