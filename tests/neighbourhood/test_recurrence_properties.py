"""Property tests: the dates Lotse stores as RFC 5545 text expand to exactly what dateutil's
rrule gives for the same rule, minus the excluded and plus the extra dates."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.neighbourhood import recurrence

starts = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
patterns = st.sampled_from(["weekly", "biweekly", "monthly"])


@settings(max_examples=150, deadline=None)
@given(
    start=starts,
    pattern=patterns,
    weeks=st.integers(min_value=0, max_value=60),
    drop=st.lists(st.integers(min_value=0, max_value=40), max_size=5),
    extra_days=st.lists(st.integers(min_value=1, max_value=400), max_size=4),
)
def test_expansion_equals_dateutil(start, pattern, weeks, drop, extra_days):
    until = (start + dt.timedelta(weeks=weeks)).date()
    reference_rule = rrule(
        MONTHLY if pattern == "monthly" else WEEKLY,
        dtstart=start,
        interval=2 if pattern == "biweekly" else 1,
        until=dt.datetime.combine(until, dt.time(23, 59, 59)),
        **({"byweekday": _nth_weekday(start)} if pattern == "monthly" else {}),
    )
    expected = list(reference_rule)
    excluded = {expected[i].date() for i in drop if i < len(expected)}
    extra = {start + dt.timedelta(days=n) for n in extra_days}
    text = recurrence.to_text(
        recurrence.Dates(
            start=start,
            rule=recurrence.rule_for(pattern, start, until),
            excluded=tuple(excluded),
            extra=tuple(extra),
        )
    )
    want = sorted(
        ({moment for moment in expected if moment.date() not in excluded} | extra)
        - {dt.datetime.combine(day, start.time()) for day in excluded}
    )
    window_end = (start + dt.timedelta(days=800)).date()
    got = recurrence.occurrences(text, start.date(), window_end)
    assert got == want
    # Every date lies in the window, in order, none twice, none excluded.
    assert got == sorted(set(got))
    assert not {moment.date() for moment in got} & excluded - {m.date() for m in extra}


def _nth_weekday(start: dt.datetime):
    from dateutil.rrule import weekday

    last_week = start.day + 7 > _days_in_month(start)
    return weekday(start.weekday(), -1 if last_week else (start.day - 1) // 7 + 1)


def _days_in_month(day: dt.datetime) -> int:
    import calendar

    return calendar.monthrange(day.year, day.month)[1]


@settings(max_examples=100, deadline=None)
@given(
    start=starts,
    span=st.integers(min_value=0, max_value=120),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_occurrences_in_a_window_are_those_of_the_whole_series_in_it(start, span, offset):
    text = recurrence.to_text(recurrence.Dates(start=start, rule="FREQ=WEEKLY;COUNT=30"))
    window_start = start.date() + dt.timedelta(days=offset)
    window_end = window_start + dt.timedelta(days=span)
    whole = list(rrule(WEEKLY, dtstart=start, count=30))
    assert recurrence.occurrences(text, window_start, window_end) == [
        moment for moment in whole if window_start <= moment.date() <= window_end
    ]
