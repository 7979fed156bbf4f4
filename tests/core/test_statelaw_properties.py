"""Properties of the state rules (``lotse.core.statelaw``) for every state that has them:
overcrowding, the start of compulsory schooling, school days and the deadlines counted in them.

Pure arithmetic, no database. CI runs the ``ci`` profile (tests/properties.py); by hand::

    LOTSE_DEBUG=1 .venv/bin/pytest -n 0 --hypothesis-profile=thorough tests/core/test_statelaw_properties.py
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from lotse.core import statelaw
from lotse.core.statelaw import housing, schooling
from lotse.schooling.models import MissedSchoolingReport
from lotse.schooling.services import report_deadlines

HOUSING_STATES = statelaw.states_with("housing")
SCHOOLING_STATES = statelaw.states_with("schooling")
HOLIDAY_STATES = statelaw.states_with("school_holidays")

areas = st.decimals(min_value=0, max_value=400, places=2)
ages = st.lists(st.one_of(st.none(), st.integers(0, 17)), max_size=8)


# --- overcrowding ----------------------------------------------------------------------------


@given(
    state=st.sampled_from(HOUSING_STATES),
    area=areas,
    more=areas,
    persons=st.integers(1, 20),
    children=ages,
)
def test_more_area_never_makes_a_dwelling_more_overcrowded(state, area, more, persons, children):
    smaller = housing.assess(state, area, persons=persons, children_ages=children)
    larger = housing.assess(state, area + more, persons=persons, children_ages=children)
    assert smaller is not None and larger is not None
    assert larger.required_m2 == smaller.required_m2
    assert not (larger.overcrowded and not smaller.overcrowded)


@given(
    state=st.sampled_from(HOUSING_STATES),
    area=areas,
    persons=st.integers(1, 20),
    children=ages,
    newcomer_age=st.one_of(st.none(), st.integers(0, 90)),
)
def test_one_more_person_never_makes_a_dwelling_less_overcrowded(
    state, area, persons, children, newcomer_age
):
    children = children[:persons]
    before = housing.assess(state, area, persons=persons, children_ages=children)
    after = housing.assess(state, area, persons=persons + 1, children_ages=[*children, newcomer_age])
    assert before is not None and after is not None
    assert after.required_m2 > before.required_m2
    assert not (before.overcrowded and not after.overcrowded)


@given(state=st.sampled_from(HOUSING_STATES), persons=st.integers(1, 20), children=ages)
def test_exactly_the_minimum_is_not_overcrowded_a_little_less_is(state, persons, children):
    children = children[:persons]
    required = housing.assess(state, Decimal(0), persons=persons, children_ages=children).required_m2
    assert not housing.assess(state, required, persons=persons, children_ages=children).overcrowded
    assert housing.assess(
        state, required - Decimal("0.01"), persons=persons, children_ages=children
    ).overcrowded


@given(state=st.sampled_from(HOUSING_STATES), persons=st.integers(1, 20), children=ages)
def test_a_child_never_needs_more_than_an_adult_nor_an_older_child_less(state, persons, children):
    children = children[:persons]
    full = housing.required_area(state, persons=persons)
    with_children = housing.assess(state, Decimal(0), persons=persons, children_ages=children).required_m2
    assert with_children <= full
    older = [None if age is None else age + 1 for age in children]
    assert (
        housing.assess(state, Decimal(0), persons=persons, children_ages=older).required_m2 >= with_children
    )
    # Unknown ages count at the full rate.
    unknown = housing.assess(state, Decimal(0), persons=persons, children_ages=[None] * len(children))
    assert unknown.required_m2 == full


# --- compulsory schooling --------------------------------------------------------------------

births = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


def _cutoff(state: str, year: int) -> dt.date:
    month, day = (int(part) for part in schooling.rule(state)["cutoff"].split("-"))
    return dt.date(year, month, day)


@given(state=st.sampled_from(SCHOOLING_STATES), born=births)
def test_schooling_starts_with_the_first_school_year_after_the_cut_off_that_finds_the_child_of_age(
    state, born
):
    starts = schooling.duty_starts(born, state)
    assert starts == schooling.school_year_start(starts.year, state)
    completed = schooling.completes_year_of_life(born, schooling.entry_age(state))
    # Of entry age by this school year's cut-off, but not yet by the one before.
    assert completed <= _cutoff(state, starts.year)
    assert completed > _cutoff(state, starts.year - 1)


@given(state=st.sampled_from(SCHOOLING_STATES), born=births, later=st.integers(0, 800))
def test_a_younger_child_never_starts_school_earlier(state, born, later):
    younger = born + dt.timedelta(days=later)
    assert schooling.duty_starts(younger, state) >= schooling.duty_starts(born, state)


@given(state=st.sampled_from(SCHOOLING_STATES), born=births, days=st.integers(0, 365 * 22))
def test_the_duty_on_a_day_follows_its_own_dates(state, born, days):
    on = born + dt.timedelta(days=days)
    duty = schooling.duty(born, on, state)
    assert duty.starts <= duty.full_time_until < duty.ends
    assert duty.school_age == (duty.starts <= on <= duty.ends)
    if duty.school_age:
        assert duty.kind == (schooling.FULL_TIME if on <= duty.full_time_until else schooling.VOCATIONAL)
        assert schooling.may_be_school_age(_age(born, on), state)
    else:
        assert duty.kind is None
    assert duty.citation


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- school days and deadlines ---------------------------------------------------------------

# The days for which school holidays are kept (two school years of Saxony-Anhalt); a deadline
# of up to 20 school days from here stays inside them.
starts = st.dates(min_value=dt.date(2025, 8, 1), max_value=dt.date(2027, 4, 30))


def _is_free(day: dt.date, state: str) -> bool:
    return day.weekday() >= 5 or bool(
        schooling.public_holiday(day, state) or schooling.school_holiday(day, state)
    )


@given(state=st.sampled_from(HOLIDAY_STATES), start=starts, count=st.integers(1, 20))
def test_a_deadline_in_school_days_lands_on_a_school_day_no_sooner_than_in_calendar_days(state, start, count):
    due = schooling.add_school_days(start, count, state)
    assert not _is_free(due, state)
    assert due.weekday() < 5
    assert (due - start).days >= count
    assert schooling.school_days_between(start + dt.timedelta(days=1), due, state) == count
    assert schooling.add_school_days(start, count - 1, state) < due


@given(state=st.sampled_from(HOLIDAY_STATES), start=starts)
def test_zero_school_days_is_the_day_itself(state, start):
    assert schooling.add_school_days(start, 0, state) == start


@given(
    state=st.sampled_from(sorted(set(HOLIDAY_STATES) & set(SCHOOLING_STATES))),
    received=starts,
    done_after=st.lists(st.integers(0, 6), min_size=5, max_size=5),
    steps_done=st.integers(0, 5),
)
def test_each_step_of_a_missed_schooling_report_is_due_on_a_school_day(
    state, received, done_after, steps_done
):
    report = MissedSchoolingReport(received_on=received)
    previous = received
    for step, days in zip(MissedSchoolingReport.STEPS[:steps_done], done_after, strict=False):
        previous = previous + dt.timedelta(days=days)
        setattr(report, f"{step}_on", previous)
    assume(previous <= dt.date(2027, 4, 30))
    due = report_deadlines(report, state)
    deadlines = schooling.rule(state)["missed_schooling_deadlines"]
    before = received
    for index, step in enumerate(MissedSchoolingReport.STEPS):
        if index > steps_done:
            assert due[step] is None  # the step before is not done yet
            continue
        assert due[step] is not None
        assert not _is_free(due[step], state)
        assert (due[step] - before).days >= int(deadlines[step])
        before = getattr(report, f"{step}_on") or before
