"""The council report as a file: PDF (with the charts), XLSX (one sheet per section, numbers as
numbers) and CSV (the aggregate figures as open data, long format).

All three are made from one ``selectors.Report``, already suppressed: a hidden cell is the
text „< 5“ or „x“ in the spreadsheet (never a number that could be summed), and empty with
its flag in the CSV.
"""

from __future__ import annotations

import csv
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lotse.core.exports import spreadsheet_text
from lotse.core.pdf import render_pdf
from lotse.reports.selectors import Report
from lotse.reports.suppression import PRIMARY, Cell

COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
CHANGE_FORMAT = "+#,##0;-#,##0;0"
CSV_COLUMNS = ["section", "table", "row", "column", "value", "flag"]


def report_pdf(report: Report) -> bytes:
    return render_pdf(
        "reports/pdf/council_report.html",
        {"report": report, "made_on": timezone.localdate(), "small": 5},
    )


def _sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or _("Abschnitt")
    name, number = base, 2
    while name in taken:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def _put(sheet, row: int, column: int, cell: Cell, number_format: str) -> None:  # type: ignore[no-untyped-def]
    target = sheet.cell(row=row, column=column)
    if cell.hidden:
        target.value = cell.display
    elif isinstance(cell.value, int | float):
        target.value = cell.value
        target.number_format = DECIMAL_FORMAT if isinstance(cell.value, float) else number_format
    else:
        target.value = None


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    taken = {_sheet_title(_("Übersicht"), set())}
    cover.title = _("Übersicht")
    cover.append([spreadsheet_text(report.title)])
    cover["A1"].font = Font(bold=True, size=13)
    cover.append([_("Zeitraum"), report.period.label])
    cover.append([_("Vergleich mit"), report.before.label])
    cover.append([])
    cover.append(
        [
            _(
                "Zahlen von 1 bis 4 sind als „< 5“ ausgewiesen; „x“: ausgeblendet, "
                "damit sich keine kleine Zahl aus der Summe errechnen lässt."
            )
        ]
    )
    if report.empty:
        cover.append([_("Für diesen Zeitraum liegen keine Zahlen vor.")])
    for section in report.sections:
        cover.append([spreadsheet_text(section.title), spreadsheet_text(section.text)])
        sheet = workbook.create_sheet(_sheet_title(section.title, taken))
        sheet.append([spreadsheet_text(section.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        for table in section.tables:
            sheet.append([])
            sheet.append([spreadsheet_text(table.caption)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            header = [""]
            for column in table.columns:
                header += [column, _("%(column)s (Vorzeitraum)") % {"column": column}, _("Veränderung")]
            sheet.append(header)
            for heading in sheet[sheet.max_row]:
                heading.font = Font(bold=True)
            for row in table.rows:
                line = sheet.max_row + 1
                sheet.cell(row=line, column=1, value=spreadsheet_text(row.label))
                if row.total:
                    sheet.cell(row=line, column=1).font = Font(bold=True)
                for index, (now, then, change) in enumerate(
                    zip(row.cells, row.before, row.change, strict=False)
                ):
                    first = 2 + 3 * index
                    _put(sheet, line, first, now, COUNT_FORMAT)
                    _put(sheet, line, first + 1, then, COUNT_FORMAT)
                    _put(sheet, line, first + 2, change, CHANGE_FORMAT)
            if table.source:
                sheet.append([spreadsheet_text(_("Quelle: %(source)s") % {"source": table.source})])
        sheet.column_dimensions["A"].width = 48
        for number in range(2, 14):
            sheet.column_dimensions[get_column_letter(number)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_csv(report: Report) -> str:
    """One line per figure of the period: section, table, row, column, value; a hidden value
    is empty, with ``<5`` or ``x`` in ``flag``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.columns, row.cells, strict=False):
                    value = "" if cell.hidden or cell.value is None else cell.value
                    writer.writerow(
                        [
                            section.key,
                            table.key,
                            spreadsheet_text(row.label),
                            spreadsheet_text(column),
                            value,
                            "<5" if cell.hidden == PRIMARY else cell.hidden,
                        ]
                    )
    return out.getvalue()
