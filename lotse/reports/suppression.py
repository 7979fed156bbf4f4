"""Small counts hidden from whoever is outside the unit, so that nobody becomes recognisable.

Primary suppression: a count from 1 to 4 is shown as „< 5“ (``SMALL``). Zero is shown: it
names nobody.

When the total itself is below five, every cell of its column is „< 5“ (zeros too): the
column then says no more than that its total is small.

Secondary suppression: in a table whose last row is the total of the others, a column is a
sum ``x₁ + … + xₙ = total``. A reader who sees the total and all cells but one hidden value
would subtract; so would a reader who knows that every hidden value is 1 to 4 and sees a sum
that only one choice can make (two hidden cells adding up to 2 must both be 1). A reader is
assumed to know the rule: a „< 5“ cell holds 1–4, a cell hidden for the sum's sake („x“) holds
at least 5 (zeros are never hidden, they would give nothing away). A column is safe when no
hidden value is determined: no hidden cell at all, or at least two hidden values whose sum lies
strictly between the smallest and the largest sum they could make. Until it is, the smallest
shown non-zero cell is hidden too (then the total). ``tests/reports/test_suppression.py``
checks the claim by enumerating every solution of hand-made and generated tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lotse.core.reporting import Number, Table

SMALL = 5
PRIMARY = "<5"  # the CSV's flag for a small count
SECONDARY = "x"  # the CSV's flag for a cell hidden so that a small one cannot be computed


@dataclass
class Cell:
    value: Number  # the raw value (kept for the unit itself; never shown when hidden)
    hidden: str = ""  # "", PRIMARY or SECONDARY

    @property
    def shown(self) -> Number:
        """The value as it may leave the unit: None when hidden."""
        return None if self.hidden else self.value

    @property
    def display(self) -> str:
        if self.hidden == PRIMARY:
            return _("< 5")
        if self.hidden == SECONDARY:
            return "x"
        return number_text(self.value)


def number_text(value: Number) -> str:
    """A number in German notation (1.234; 12,5), „–“ for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def _small(value: Number) -> bool:
    return isinstance(value, int | float) and 0 < value < SMALL


def _bounds(cell: Cell, small_total: bool = False) -> tuple[float, float]:
    """What a reader knows of a hidden value (in a column whose total is below five every
    cell is „< 5“, zeros too: 0 to 4)."""
    if cell.hidden == PRIMARY:
        return (0 if small_total else 1, SMALL - 1)
    return (SMALL, math.inf)


def column_safe(cells: list[Cell], total: Cell | None) -> bool:
    """Whether no hidden value of the column can be worked out from its total.

    The column says ``Σ cells − total = 0``; moving the shown values to the right gives a sum of
    hidden unknowns (the total counted negatively) equal to a known number. That is
    undetermined exactly when there are at least two unknowns and the number lies strictly
    inside the range of sums the unknowns could make (their ranges are never a single value).
    """
    if total is None:
        return True
    unknowns: list[tuple[float, float]] = []
    known = 0.0
    small_total = total.hidden == PRIMARY
    for cell in cells:
        if cell.hidden:
            unknowns.append(_bounds(cell, small_total))
        else:
            known -= cell.value or 0
    if total.hidden:
        low, high = _bounds(total)
        unknowns.append((-high, -low))
    else:
        known += total.value or 0
    if not unknowns:
        return True
    if len(unknowns) < 2:
        return False
    return sum(low for low, _high in unknowns) < known < sum(high for _low, high in unknowns)


def suppress(table: Table, *, in_full: bool) -> list[tuple[str, list[Cell]]]:
    """The table's rows as cells, hidden as they must be for a viewer (``in_full``: the unit
    itself, which sees every value)."""
    rows = [(label, [Cell(value) for value in values]) for label, values in table.rows]
    if in_full or not table.counts:
        return rows
    for _label, cells in rows:
        for cell in cells:
            if _small(cell.value):
                cell.hidden = PRIMARY
    if not table.total_row or len(rows) < 2:
        return rows
    body, total = [cells for _label, cells in rows[:-1]], rows[-1][1]
    for column in range(len(table.columns)):
        cells = [row[column] for row in body if column < len(row)]
        total_cell = total[column] if column < len(total) else None
        if total_cell is not None and total_cell.hidden == PRIMARY:
            # A total below five: the whole column is „< 5“, zeros too, or a column of ones
            # would still say that each of its few people is in a different row.
            for cell in cells:
                cell.hidden = PRIMARY
        while not column_safe(cells, total_cell):
            candidates = [c for c in cells if not c.hidden and c.value]
            if candidates:
                min(candidates, key=lambda c: c.value or 0).hidden = SECONDARY
            elif total_cell is not None and not total_cell.hidden and total_cell.value:
                total_cell.hidden = SECONDARY
            else:
                break  # everything that could be hidden is: nothing more to give away
    return rows
