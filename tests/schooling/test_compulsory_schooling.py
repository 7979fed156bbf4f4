"""Compulsory schooling and school days from the state law data, against hand-computed cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from lotse.core.statelaw import schooling

D = dt.date


@pytest.mark.parametrize(
    ("born", "state", "starts"),
    [
        # ST, cut-off 30 June (§ 37 Abs. 1 SchulG LSA): born 1 July 2020 completes the sixth year
        # of life at the end of 30 June 2026 (§ 187 Abs. 2, § 188 Abs. 2 BGB) – still in.
        (D(2020, 6, 30), "ST", D(2026, 8, 1)),
        (D(2020, 7, 1), "ST", D(2026, 8, 1)),
        (D(2020, 7, 2), "ST", D(2027, 8, 1)),
        (D(2020, 1, 1), "ST", D(2026, 8, 1)),
        # NI, cut-off 30 September (§ 64 Abs. 1 NSchG): born 1 October still in, 2 October not.
        (D(2020, 10, 1), "NI", D(2026, 8, 1)),
        (D(2020, 10, 2), "NI", D(2027, 8, 1)),
        # The same child, two states: data, not code.
        (D(2020, 8, 15), "ST", D(2027, 8, 1)),
        (D(2020, 8, 15), "NI", D(2026, 8, 1)),
        # 29 February: the birthday in a common year is 1 March, the year completed on 28 February.
        (D(2020, 2, 29), "ST", D(2026, 8, 1)),
    ],
)
def test_the_duty_starts_with_the_school_year_after_the_cut_off(born, state, starts) -> None:
    assert schooling.duty_starts(born, state) == starts


def test_full_time_then_vocational_then_over() -> None:
    born = D(2020, 7, 1)  # duty from 1 August 2026 (ST)
    before = schooling.duty(born, D(2026, 7, 31), "ST")
    assert (before.school_age, before.kind) == (False, None)
    first_day = schooling.duty(born, D(2026, 8, 1), "ST")
    assert (first_day.school_age, first_day.kind) == (True, schooling.FULL_TIME)
    # Nine years full time (§ 40 Abs. 2): school years 2026/27 … 2034/35.
    assert first_day.full_time_until == D(2035, 7, 31)
    # Twelve years in all (§ 40 Abs. 1): until the end of school year 2037/38.
    assert first_day.ends == D(2038, 7, 31)
    assert "§ 37 Abs. 1 SchulG LSA" in first_day.citation
    assert schooling.duty(born, D(2035, 7, 31), "ST").kind == schooling.FULL_TIME
    vocational = schooling.duty(born, D(2035, 8, 1), "ST")
    assert (vocational.school_age, vocational.kind) == (True, schooling.VOCATIONAL)
    assert "§ 40 Abs. 3" in vocational.citation
    assert schooling.duty(born, D(2038, 7, 31), "ST").school_age is True
    assert schooling.duty(born, D(2038, 8, 1), "ST").school_age is False


def test_an_age_alone_is_school_age_from_the_entry_age_to_the_end_of_the_duty() -> None:
    assert [age for age in range(0, 25) if schooling.may_be_school_age(age, "ST")] == list(range(6, 19))
    assert schooling.may_be_school_age(None, "ST") is False


def test_a_state_without_schooling_rules_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="Bayern"):
        schooling.duty_starts(D(2020, 1, 1), "BY")


# --- School days, counted by hand on the 2026 calendar of Saxony-Anhalt -----------------------


def test_weekend_and_ascension_day_are_not_school_days() -> None:
    # Report on Tuesday 12 May 2026: Wed 13 (1), Thu 14 Ascension Day, Fri 15 (2),
    # Sat 16, Sun 17, Mon 18 (3).
    assert schooling.add_school_days(D(2026, 5, 12), 3, "ST") == D(2026, 5, 18)


def test_labour_day_and_a_weekend() -> None:
    # Thursday 30 April 2026: Fri 1 May holiday, Sat, Sun, Mon 4 (1), Tue 5 (2), Wed 6 (3).
    assert schooling.add_school_days(D(2026, 4, 30), 3, "ST") == D(2026, 5, 6)


def test_autumn_holidays_and_reformation_day() -> None:
    # Friday 16 Oct 2026: autumn holidays 19–30 Oct, Sat 31 Oct Reformation Day, Sun 1 Nov;
    # Mon 2 Nov (1), Tue 3 (2), Wed 4 (3).
    assert schooling.add_school_days(D(2026, 10, 16), 3, "ST") == D(2026, 11, 4)
    assert schooling.school_holiday(D(2026, 10, 20), "ST") == "Herbstferien"


def test_a_plain_week() -> None:
    # Monday 8 June 2026: Tue 9, Wed 10, Thu 11.
    assert schooling.add_school_days(D(2026, 6, 8), 3, "ST") == D(2026, 6, 11)
    assert schooling.school_days_between(D(2026, 6, 8), D(2026, 6, 14), "ST") == 5


def test_christmas_holidays_span_the_new_year() -> None:
    # Friday 18 Dec 2026: holidays 21 Dec – 2 Jan; Mon 4 Jan 2027 (1), Tue 5 (2), Wed 6 is
    # Epiphany in Saxony-Anhalt, Thu 7 (3).
    assert schooling.add_school_days(D(2026, 12, 18), 3, "ST") == D(2027, 1, 7)


def test_a_school_year_without_holiday_data_is_a_german_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="Schuljahr 2030/31"):
        schooling.is_school_day(D(2030, 9, 2), "ST")
