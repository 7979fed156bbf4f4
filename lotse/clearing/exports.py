"""The Clearingstelle figures as a spreadsheet (openpyxl): the same cells as the page.

Counts and shares are numeric cells with a number format, so that they can be summed and
charted; only a suppressed count stays the text „<5“ (it must not be computed with).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format, time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from lotse.clearing.selectors import Cell, Figures, PeriodFigures
from lotse.core.exports import xlsx_reading_order
from lotse.people.countries import country_name

COUNT_FORMAT = "0"
# "%" multiplies by 100 in a number format: 0.714 shows as „71 %“, as on the page.
SHARE_FORMAT = "0 %"

# A value with its number format (None: text, written as it is).
Value = tuple[Any, str | None]


def _count(cell: Cell) -> Value:
    return (cell.display, None) if cell.suppressed else (cell.count, COUNT_FORMAT)


def _share(cell: Cell) -> Value:
    if cell.suppressed or not cell.base:
        return cell.share, None
    return cell.count / cell.base, SHARE_FORMAT


def _row(label: str, row: PeriodFigures) -> list[Value]:
    return [
        (label, None),
        _count(row.interviews),
        _count(row.adults),
        _count(row.children),
        _share(row.men),
        *(_share(cell) for cell in row.nationalities.values()),
        _share(row.other_nationality),
        *(_share(cell) for cell in row.sectors.values()),
        _share(row.no_job),
        _share(row.no_training),
    ]


def _append(sheet: Worksheet, values: Iterable[Value]) -> None:
    values = list(values)
    sheet.append([value for value, _format in values])
    for cell, (_value, number_format) in zip(sheet[sheet.max_row], values, strict=False):
        if number_format:
            cell.number_format = number_format


def figures_xlsx(figures: Figures) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Quartale")
    header = [
        _("Quartal"),
        _("Gespräche"),
        _("Erwachsene"),
        _("Kinder"),
        _("Männer"),
        *(country_name(code) for code in figures.total.nationalities),
        _("andere Staaten"),
        _("Lebensmittelverarbeitung"),
        _("Dienstleistungen"),
        _("Logistik"),
        _("ohne Arbeit"),
        _("ohne Berufsausbildung"),
    ]
    sheet.append(header)
    for row in figures.quarters:
        _append(sheet, _row(row.label, row))
    _append(sheet, _row(_("Insgesamt"), figures.total))
    sheet.append([])
    sheet.append([_("Zahlen unter 5 sind als „<5“ ausgewiesen.")])
    if figures.as_of:  # kept figures (lotse.core.kept): the sheet says how old, as the page does
        moment = localtime(figures.as_of)
        sheet.append(
            [
                _("Stand dieser Zahlen: %(day)s, %(hour)s Uhr.")
                % {"day": date_format(moment, "j. F Y"), "hour": time_format(moment, "H:i")}
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    months = workbook.create_sheet(_("Monate"))
    months.append([_("Monat"), _("Gespräche")])
    for label, cell in figures.months:
        _append(months, [(label, None), _count(cell)])
    months["A1"].font = months["B1"].font = Font(bold=True)
    xlsx_reading_order(workbook)  # labels in Arabic (the page's language) read right to left
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
