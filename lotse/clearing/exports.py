"""The Clearingstelle figures as a spreadsheet (openpyxl): the same cells as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lotse.clearing.selectors import Figures, PeriodFigures
from lotse.people.countries import country_name


def _row(label: str, row: PeriodFigures) -> list[str]:
    return [
        label,
        row.interviews.display,
        row.adults.display,
        row.children.display,
        row.men.share,
        *(cell.share for cell in row.nationalities.values()),
        row.other_nationality.share,
        *(cell.share for cell in row.sectors.values()),
        row.no_job.share,
        row.no_training.share,
    ]


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
        sheet.append(_row(row.label, row))
    sheet.append(_row(_("Insgesamt"), figures.total))
    sheet.append([])
    sheet.append([_("Zahlen unter 5 sind als „<5“ ausgewiesen.")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    months = workbook.create_sheet(_("Monate"))
    months.append([_("Monat"), _("Gespräche")])
    for label, cell in figures.months:
        months.append([label, cell.display])
    months["A1"].font = months["B1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
