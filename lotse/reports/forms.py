"""The period and district of a dashboard, and the year and format of the council report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.core.widgets import date_input
from lotse.reports import periods

FORMATS = [
    ("pdf", _("PDF (Bericht mit Diagrammen)")),
    ("xlsx", _("Tabelle (XLSX)")),
    ("csv", _("Offene Daten (CSV)")),
]


class PeriodForm(forms.Form):
    """Read from the query string: ``zeitraum`` (2025, 2025-Q2, 2025-03) or ``von`` and
    ``bis``; without either, the current year."""

    zeitraum = forms.CharField(
        label=_("Zeitraum"),
        required=False,
        max_length=20,
        help_text=_("Ein Jahr (2025), ein Quartal (2025-Q2) oder ein Monat (2025-03)."),
    )
    von = forms.DateField(label=_("oder von"), required=False, widget=date_input())
    bis = forms.DateField(label=_("bis"), required=False, widget=date_input())
    stadtteil = forms.ChoiceField(label=_("Stadtteil"), required=False)

    def __init__(self, *args: Any, districts: list[str], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choices = [("", _("alle Stadtteile")), *((d, d) for d in districts)]
        self.fields["stadtteil"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, text = data.get("von"), data.get("bis"), data.get("zeitraum") or ""
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise ValidationError(_("Für einen freien Zeitraum bitte Anfang und Ende angeben."))
            data["period"] = periods.between(start, end)
        elif text:
            try:
                data["period"] = periods.parse(text)
            except ValidationError as error:
                self.add_error("zeitraum", error)
        else:
            data["period"] = periods.year(self.today.year)
        return data


class CouncilReportForm(forms.Form):
    jahr = forms.IntegerField(label=_("Jahr"), min_value=periods.EARLIEST, max_value=periods.LATEST)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect)
