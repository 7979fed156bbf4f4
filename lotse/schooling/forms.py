"""Forms of the school team: what is typed in; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.core.widgets import date_input
from lotse.schooling.models import MissedSchoolingReport, School


def _today() -> Any:
    return timezone.localdate()


SCHOOL_FIELDS = [
    "name", "kind", "street", "postcode", "city", "grades", "language_class_places",
    "contact_name", "contact_phone", "contact_email",
]  # fmt: skip


class SchoolForm(forms.Form):
    """A school's fields as the model names them; the service checks and saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, school: School | None = None, **kwargs: Any) -> None:
        if school is not None:
            kwargs.setdefault("initial", {}).update(
                {**model_to_dict(school, fields=SCHOOL_FIELDS), "version": school.version}
            )
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(School, fields=SCHOOL_FIELDS))


class RegisterForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Schule oder Kita"), queryset=School.objects.none())
    on = forms.DateField(label=_("Angemeldet am"), widget=date_input(), initial=_today)

    service_fields = {"registered_on": "on"}

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class StepForm(forms.Form):
    """One step of the path; which fields show depends on the step."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Datum"), widget=date_input(), initial=_today)
    assessment = forms.CharField(
        label=_("Ergebnis der Sprachstandsfeststellung"), max_length=200, required=False
    )
    class_name = forms.CharField(label=_("Klasse oder Gruppe"), max_length=50, required=False)
    language_class = forms.BooleanField(label=_("in einer Sprachklasse"), required=False)

    service_fields = {
        "assessed_on": "on",
        "placed_on": "on",
        "first_day": "on",
    }

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "assessed": _("Sprachstand festgestellt am"),
            "placed": _("Zugewiesen am"),
            "first_day": _("Erster Schultag"),
        }
        self.fields["on"].label = labels.get(step, _("Datum"))
        if step != "assessed":
            del self.fields["assessment"]
        if step != "placed":
            del self.fields["class_name"]
            del self.fields["language_class"]


class EndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Beendet am"), widget=date_input(), initial=_today)
    end_reason = forms.CharField(label=_("Grund"), max_length=200)

    service_fields = {"ended_on": "on"}


class ReportForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Meldende Schule"), queryset=School.objects.none())
    received_on = forms.DateField(label=_("Meldung eingegangen am"), widget=date_input(), initial=_today)
    missed_from = forms.DateField(label=_("Gefehlt vom"), widget=date_input())
    missed_to = forms.DateField(label=_("Gefehlt bis"), widget=date_input())
    days_missed = forms.IntegerField(label=_("Fehltage"), min_value=1, max_value=365)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("missed_from"), data.get("missed_to")
        if first and last and last < first:
            self.add_error("missed_to", _("Das Ende liegt vor dem Beginn."))
        return data


class ReportStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Datum"), widget=date_input(), initial=_today)
    outreach_unit = forms.ModelChoiceField(
        label=_("Hausbesuch durch"), queryset=Unit.objects.none(), required=False
    )
    legal_basis = forms.CharField(
        label=_("Rechtsgrundlage der Übermittlung"),
        max_length=300,
        required=False,
        help_text=_("Die Vorschrift, die die Weitergabe an die aufsuchende Sozialarbeit erlaubt."),
    )

    def __init__(self, *args: Any, step: str, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_fields = {f"{step}_on": "on"}
        if step == "home_visit":
            self.fields["outreach_unit"].queryset = units  # type: ignore[attr-defined]
            self.fields["outreach_unit"].required = True
        else:
            del self.fields["outreach_unit"]
            del self.fields["legal_basis"]


class ReportCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=MissedSchoolingReport.Outcome.choices)
    on = forms.DateField(label=_("Abgeschlossen am"), widget=date_input(), initial=_today)

    service_fields = {"closed_on": "on"}


class TargetForm(forms.Form):
    target_days = forms.IntegerField(
        label=_("Ziel: höchstens so viele Tage von der Ankunft bis zum ersten Schultag"),
        min_value=1,
        max_value=365,
    )
