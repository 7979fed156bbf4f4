"""parse_birth_date: formats, partial dates, placeholders, German errors; date comparison levels."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.people.matching import PartialDate, parse_birth_date
from lotse.people.matching import dates as d
from lotse.people.matching.dates import DATE_DISAGREE, DATE_EXACT, DATE_TYPO, compare_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-17", PartialDate(1990, 5, 17)),
        ("1990-05", PartialDate(1990, 5, None)),
        ("1990", PartialDate(1990, None, None)),
        ("17.05.1990", PartialDate(1990, 5, 17)),
        ("7.5.1990", PartialDate(1990, 5, 7)),
        ("00.00.1990", PartialDate(1990, None, None)),
        ("00.05.1990", PartialDate(1990, 5, None)),
        ("1990-00-00", PartialDate(1990, None, None)),
        ("19900517", PartialDate(1990, 5, 17)),
        (" 17.05.1990 ", PartialDate(1990, 5, 17)),
        ("29.02.2000", PartialDate(2000, 2, 29)),
    ],
)
def test_formats(text, expected):
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_is_none(text):
    assert parse_birth_date(text) is None


@pytest.mark.parametrize("text", ["01.01.1985", "1985-01-01", "1.1.1985"])
def test_first_of_january_is_a_placeholder(text):
    date = parse_birth_date(text)
    assert date is not None
    assert date.placeholder
    assert date.known == (1985, None, None)
    assert not date.is_full


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.1990", "Ungültiges Geburtsdatum „31.02.1990“: den 31. Februar gibt es nicht."),
        ("29.02.1990", "den 29. Februar gab es 1990 nicht"),
        ("31.04.1990", "den 31. April gibt es nicht"),
        ("12.13.1990", "einen Monat 13 gibt es nicht"),
        ("1990-13", "einen Monat 13 gibt es nicht"),
        ("32.01.1990", "einen Tag 32 gibt es nicht"),
        ("12.05.1850", "das Jahr 1850 liegt vor 1880"),
        ("1850", "das Jahr 1850 liegt vor 1880"),
        ("15.00.1990", "ein Tag ohne Monat"),
        ("12.05.90", "vierstellig"),
        ("Mai 1990", "unbekanntes Format"),
        ("0000", "das Jahr fehlt"),
    ],
)
def test_impossible_dates_raise_german_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_birth_date(text)


def test_future_dates_are_rejected():
    today = dt.date(2026, 3, 15)
    with pytest.raises(ValueError, match="liegt in der Zukunft"):
        parse_birth_date("16.03.2026", today=today)
    with pytest.raises(ValueError, match="das Jahr 2027 liegt in der Zukunft"):
        parse_birth_date("2027", today=today)
    with pytest.raises(ValueError, match="der April 2026 liegt in der Zukunft"):
        parse_birth_date("2026-04", today=today)
    assert parse_birth_date("15.03.2026", today=today) == PartialDate(2026, 3, 15)


def test_partial_date_validates_itself():
    with pytest.raises(ValueError, match=r"31\. Februar"):
        PartialDate(1990, 2, 31)
    assert str(PartialDate(1990, 5, None)) == "00.05.1990"


def P(text: str) -> PartialDate | None:
    return parse_birth_date(text)


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("17.05.1990", "17.05.1990", d.DATE_EXACT),
        ("05.11.1990", "11.05.1990", d.DATE_SWAPPED),
        ("17.05.1990", "17.05.1991", d.DATE_TYPO),  # one digit of the year
        ("17.05.1990", "17.05.1909", d.DATE_TYPO),  # transposed digits
        ("17.05.1990", "18.05.1990", d.DATE_TYPO),
        ("17.05.1990", "1990", d.DATE_YEAR),
        ("17.05.1990", "01.01.1990", d.DATE_YEAR),  # placeholder: any day of the year
        ("01.01.1990", "01.01.1990", d.DATE_YEAR),  # two placeholders are no strong evidence
        ("17.05.1990", "1990-05", d.DATE_YEAR_MONTH),
        ("17.05.1990", "00.05.1990", d.DATE_YEAR_MONTH),
        ("17.05.1990", "1991", d.DATE_YEAR_TYPO),
        ("17.05.1990", "1991-06", d.DATE_DISAGREE),
        ("17.05.1990", "1985", d.DATE_DISAGREE),
        ("17.05.1990", "", d.DATE_MISSING),
        ("17.05.1990", "03.09.1965", d.DATE_DISAGREE),
        ("17.05.1990", "17.05.1970", d.DATE_TYPO),  # a typo in the decade is still one digit
    ],
)
def test_date_levels(a, b, level):
    assert d.compare_dates(P(a), P(b)) == level
    assert d.compare_dates(P(b), P(a)) == level


@pytest.mark.parametrize(
    ("written", "real", "level"),
    [
        ("1955-11-92", "1955-11-29", DATE_TYPO),  # two digits transposed
        ("19910017", "1991-01-17", DATE_TYPO),  # a day without a month: one digit lost
        ("12.13.1990", "12.03.1990", DATE_TYPO),
        ("1955-11-92", "1955-11-92", DATE_EXACT),
        ("1955-11-92", "1970-04-02", DATE_DISAGREE),
    ],
)
def test_an_impossible_date_kept_as_written_is_compared_by_its_digits(written, real, level):
    with pytest.raises(ValueError):
        parse_birth_date(written)
    kept = parse_birth_date(written, keep_impossible=True)
    assert kept is not None and kept.impossible
    assert compare_dates(kept, parse_birth_date(real, keep_impossible=True)) == level


def test_an_unreadable_date_raises_even_when_impossible_ones_are_kept():
    with pytest.raises(ValueError, match="Format"):
        parse_birth_date("gestern", keep_impossible=True)
