"""Cells of exported spreadsheets (CSV, XLSX) that a spreadsheet shows and never runs, and
read in their own writing direction.

A name or a note that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice (CSV/formula injection, OWASP): it is written with a leading
apostrophe, which the spreadsheet shows as text. Every export of personal data writes its
cells through ``spreadsheet_text``.

A name or note in Arabic script is read right to left in an XLSX cell (issue 15): every XLSX
export calls ``xlsx_reading_order`` on its workbook before saving it, which sets the cell's
reading order (``Alignment(readingOrder=2)``) where the text begins in a right-to-left script
(``lotse.core.bidi``); other cells keep the context order of the spreadsheet.
"""

from __future__ import annotations

from typing import Any

from lotse.core.bidi import is_rtl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


READING_ORDER_RTL = 2  # openpyxl/OOXML: 0 context, 1 left to right, 2 right to left


def xlsx_reading_order(workbook: Any) -> int:
    """Right-to-left reading order for every text cell of ``workbook`` (an openpyxl
    ``Workbook``) that begins in a right-to-left script, keeping its other alignment. Returns
    the number of cells changed."""
    from copy import copy

    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_rtl(cell.value):
                    alignment = copy(cell.alignment)
                    alignment.readingOrder = READING_ORDER_RTL
                    cell.alignment = alignment
                    changed += 1
    return changed
