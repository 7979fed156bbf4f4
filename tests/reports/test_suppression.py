"""Small counts hidden outside the unit, and no hidden value recoverable from a total."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.core.reporting import Table
from lotse.reports.suppression import PRIMARY, SECONDARY, Cell, column_safe, suppress


def table(values: list[int], *, total: bool = True, counts: bool = True) -> Table:
    rows = [(f"r{i}", [v]) for i, v in enumerate(values)]
    if total:
        rows.append(("Insgesamt", [sum(values)]))
    return Table(key="t", caption="T", columns=["Anzahl"], rows=rows, total_row=total, counts=counts)


def shown(rows) -> list[str]:
    return [cells[0].display for _label, cells in rows]


def test_counts_from_one_to_four_are_hidden_outside_the_unit():
    rows = suppress(table([0, 1, 4, 5, 12], total=False), in_full=False)
    assert shown(rows) == ["0", "< 5", "< 5", "5", "12"]
    assert [cells[0].shown for _l, cells in rows] == [0, None, None, 5, 12]


def test_the_unit_itself_sees_every_value():
    rows = suppress(table([3, 9]), in_full=True)
    assert shown(rows) == ["3", "9", "12"]


def test_figures_that_are_not_counts_are_not_hidden():
    rows = suppress(table([2, 3], total=False, counts=False), in_full=False)
    assert shown(rows) == ["2", "3"]


def test_a_single_hidden_cell_beside_a_total_hides_the_next_smallest_too():
    # 3 + 7 + 20 = 30: with only the 3 hidden, 30 - 7 - 20 would give it away.
    rows = suppress(table([3, 7, 20]), in_full=False)
    assert shown(rows) == ["< 5", "x", "20", "30"]
    assert rows[1][1][0].hidden == SECONDARY


def test_zero_is_never_the_second_cell_hidden():
    # Hiding the 0 would tell nothing: whoever knows the rule knows a hidden „x“ is at least 5.
    rows = suppress(table([2, 0, 9]), in_full=False)
    assert shown(rows) == ["< 5", "0", "x", "11"]


def test_two_small_cells_that_can_only_be_ones_hide_a_third():
    # 1 + 1 + 12 = 14: two „< 5“ summing to 2 must both be 1.
    rows = suppress(table([1, 1, 12]), in_full=False)
    assert shown(rows) == ["< 5", "< 5", "x", "14"]


def test_two_small_cells_with_an_undetermined_sum_stay_as_they_are():
    rows = suppress(table([2, 3, 12]), in_full=False)
    assert shown(rows) == ["< 5", "< 5", "12", "17"]


def test_a_small_and_the_smallest_large_cell_that_still_give_it_away_hide_the_total():
    # 1 + 5 = 6: „< 5“ plus „x“ (at least 5) making 6 can only be 1 + 5.
    rows = suppress(table([1, 5]), in_full=False)
    assert shown(rows) == ["< 5", "x", "x"]


def test_below_a_small_total_the_whole_column_is_hidden():
    # Four rows of one each under a total below five would still say: one person in each row.
    rows = suppress(table([3, 0]), in_full=False)
    assert shown(rows) == ["< 5", "< 5", "< 5"]
    assert shown(suppress(table([1, 1, 1, 1]), in_full=False)) == ["< 5"] * 5


def test_each_column_on_its_own():
    t = Table(
        key="t",
        caption="T",
        columns=["a", "b"],
        rows=[("x", [3, 10]), ("y", [8, 10]), ("Insgesamt", [11, 20])],
        total_row=True,
    )
    rows = suppress(t, in_full=False)
    assert [[c.display for c in cells] for _l, cells in rows] == [["< 5", "10"], ["x", "10"], ["11", "20"]]


# --- the claim, checked by brute force ---------------------------------------------------------

BIG = 60


def solutions(cells: list[Cell], total: Cell) -> list[tuple[int, ...]]:
    """Every assignment of the hidden values that a reader who knows the rule would accept:
    „< 5“ is 1–4, „x“ at least 5 (zeros are never hidden), and the column adds up."""
    hidden = [c for c in [*cells, total] if c.hidden]
    low = 0 if total.hidden == PRIMARY else 1  # below a small total, zeros are „< 5“ too
    ranges = [range(low, 5) if c.hidden == PRIMARY else range(5, BIG + 1) for c in hidden[:-1]]
    if hidden:
        last = hidden[-1]
        ranges.append(range(1 if last is total else low, 5) if last.hidden == PRIMARY else range(5, BIG + 1))
    found = []
    for values in itertools.product(*ranges):
        assigned = iter(values)
        full = [next(assigned) if c.hidden else c.value for c in [*cells, total]]
        if sum(full[:-1]) == full[-1]:
            found.append(values)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=4))
def test_no_hidden_value_can_be_worked_out_from_the_total(values):
    rows = suppress(table(values), in_full=False)
    cells, total = [r[1][0] for r in rows[:-1]], rows[-1][1][0]
    # Nothing from 1 to 4 is shown, and only small counts are „< 5“.
    for cell in [*cells, total]:
        assert not (cell.shown is not None and 0 < cell.shown < 5)
        if total.value >= 5:
            assert (cell.hidden == PRIMARY) == (0 < cell.value < 5)
        assert not (cell.hidden == SECONDARY and cell.value == 0)
    if sum(values) > BIG:
        return
    found = solutions(cells, total)
    hidden_count = sum(1 for c in [*cells, total] if c.hidden)
    if hidden_count:
        # The true values are among the solutions, and every hidden value has more than one.
        truth = tuple(c.value for c in [*cells, total] if c.hidden)
        assert truth in found
        for position in range(hidden_count):
            assert len({solution[position] for solution in found}) > 1, (values, truth, found)
    assert column_safe(cells, total)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6))
def test_inside_the_unit_nothing_is_hidden(values):
    rows = suppress(table(values), in_full=True)
    assert all(not cells[0].hidden for _l, cells in rows)
    assert [cells[0].value for _l, cells in rows] == [*values, sum(values)]
