"""Forms of steering. They check the shape of the input; the services check the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit, User
from lotse.core.widgets import date_input
from lotse.planning.models import (
    ConceptVersion,
    FieldOfAction,
    Grant,
    Indicator,
    PlanningGoal,
    PlanningMeasure,
)


def _period_check(form: forms.Form, start: str, end: str) -> None:
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, _("Das Ende des Zeitraums liegt vor seinem Beginn."))


class ConceptForm(forms.Form):
    title = forms.CharField(label=_("Titel des Konzepts"), max_length=200)
    label = forms.CharField(
        label=_("Bezeichnung der ersten Fassung"), max_length=200, initial=_("Erste Fassung")
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VersionForm(forms.Form):
    label = forms.CharField(label=_("Bezeichnung"), max_length=200)
    status = forms.ChoiceField(
        label=_("Stand"),
        choices=[(s.value, s.label) for s in ConceptVersion.Status if s != ConceptVersion.Status.SUPERSEDED],
    )
    valid_from = forms.DateField(label=_("gilt ab"), required=False, widget=date_input())
    council_decision_on = forms.DateField(
        label=_("Beschluss des Rates am"), required=False, widget=date_input()
    )
    council_decision_number = forms.CharField(
        label=_("Beschlussnummer / Drucksache"), max_length=60, required=False
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContinueForm(forms.Form):
    label = forms.CharField(
        label=_("Bezeichnung der Fortschreibung"), max_length=200, help_text=_("z. B. „Fortschreibung 2026“")
    )


class ParticipationForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=date_input())
    format = forms.CharField(label=_("Form"), max_length=200, help_text=_("z. B. Workshop, Online-Umfrage"))
    participants = forms.CharField(
        label=_("Wer war beteiligt?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Institutionen, Vereine, Migrantenorganisationen – ohne Namen von Personen"),
    )
    note = forms.CharField(label=_("Ergebnis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    field = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=FieldOfAction.objects.none())
    goal = forms.ModelChoiceField(
        label=_("Ziel"),
        queryset=PlanningGoal.objects.none(),
        required=False,
        help_text=_("ein Ziel des Handlungsfelds"),
    )
    title = forms.CharField(label=_("Maßnahme"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(
        label=_("verantwortliche Organisation"), queryset=Organisation.objects.none()
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("verantwortliche Einheit"), queryset=Unit.objects.none(), required=False
    )
    partners = forms.CharField(label=_("Partner"), max_length=500, required=False)
    starts_on = forms.DateField(label=_("Beginn"), required=False, widget=date_input())
    ends_on = forms.DateField(label=_("Ende"), required=False, widget=date_input())
    status = forms.ChoiceField(label=_("Stand"), choices=PlanningMeasure.Status.choices)
    budget_eur = forms.DecimalField(
        label=_("Budget in Euro"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    funding_source = forms.CharField(
        label=_("Finanzierung"),
        max_length=200,
        required=False,
        help_text=_("z. B. Haushalt der Stadt, Landesmittel"),
    )
    grant = forms.ModelChoiceField(label=_("Zuwendung"), queryset=Grant.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, fields: Any, organisations: Any, units: Any, grants: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["field"]).queryset = fields
        goal = cast(forms.ModelChoiceField, self.fields["goal"])
        goal.queryset = PlanningGoal.objects.filter(field__in=fields).select_related("field")
        goal.label_from_instance = lambda goal: f"{goal.field.number}. {goal.text}"  # type: ignore[method-assign,assignment]
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["responsible_unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["grant"]).queryset = grants

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _period_check(self, "starts_on", "ends_on")
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Kennzahl"), max_length=200)
    slug = forms.SlugField(
        label=_("Kurzname"), max_length=60, help_text=_("nur Kleinbuchstaben, Ziffern und -")
    )
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Art des Werts"), choices=Indicator.Kind.choices)
    unit_label = forms.CharField(
        label=_("Einheit"), max_length=40, help_text=_("z. B. Tage, Prozent, Personen")
    )
    direction = forms.ChoiceField(label=_("Richtung"), choices=Indicator.Direction.choices)
    source = forms.CharField(label=_("Quelle der Werte"), max_length=300)


class TargetForm(forms.Form):
    period_start = forms.DateField(label=_("Zeitraum von"), widget=date_input())
    period_end = forms.DateField(label=_("Zeitraum bis"), widget=date_input())
    value = forms.CharField(label=_("Zielwert"), max_length=20)
    note = forms.CharField(label=_("Anmerkung"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _period_check(self, "period_start", "period_end")
        return data


class ValueForm(forms.Form):
    period_start = forms.DateField(label=_("Zeitraum von"), widget=date_input())
    period_end = forms.DateField(label=_("Zeitraum bis"), widget=date_input())
    value = forms.CharField(label=_("Wert"), max_length=20)
    district = forms.CharField(
        label=_("Stadtteil"), max_length=100, required=False, help_text=_("leer: ganze Stadt")
    )
    source = forms.CharField(label=_("Quelle"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _period_check(self, "period_start", "period_end")
        return data


class PopulationForm(forms.Form):
    reference_date = forms.DateField(label=_("Stichtag"), widget=date_input())
    district = forms.CharField(
        label=_("Stadtteil"), max_length=100, required=False, help_text=_("leer: ganze Stadt")
    )
    residents = forms.IntegerField(label=_("Einwohnerinnen und Einwohner"), min_value=0)
    foreign_residents = forms.IntegerField(label=_("davon ausländische Staatsangehörigkeit"), min_value=0)
    source = forms.CharField(label=_("Quelle"), max_length=300)


class RoundTableForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    held_on = forms.DateField(label=_("Datum"), widget=date_input())
    institutions = forms.CharField(
        label=_("Beteiligte Institutionen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("eine je Zeile"),
    )
    minutes = forms.CharField(label=_("Protokoll"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(
        label=_("Beschlüsse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("einer je Zeile"),
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Was ist zu tun?"), max_length=300)
    owner = forms.ModelChoiceField(label=_("zuständig"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("fällig am"), widget=date_input())

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = staff
        owner.label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[method-assign,assignment]


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("erledigt am"), widget=date_input())


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Förderprogramm"), max_length=200)
    funder = forms.CharField(label=_("Fördermittelgeber"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GrantForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=200)
    reference = forms.CharField(label=_("Aktenzeichen des Bescheids"), max_length=100, required=False)
    starts_on = forms.DateField(label=_("Beginn"), widget=date_input())
    ends_on = forms.DateField(label=_("Ende"), widget=date_input())
    amount_eur = forms.DecimalField(
        label=_("Gesamtsumme in Euro"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    shares = forms.CharField(
        label=_("Finanzierungsanteile"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ein Geldgeber je Zeile mit seinem Anteil in Prozent, z. B. „Land: 50“; zusammen 100"),
    )

    def clean_shares(self) -> list[tuple[str, str]]:
        parts = []
        for line in self.cleaned_data["shares"].splitlines():
            if not line.strip():
                continue
            funder, colon, share = line.rpartition(":")
            if not colon or not funder.strip():
                raise forms.ValidationError(
                    _("Bitte jede Zeile als „Geldgeber: Anteil“ schreiben (Zeile „%(line)s“).")
                    % {"line": line.strip()}
                )
            parts.append((funder.strip(), share.strip().removesuffix("%").strip()))
        return parts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _period_check(self, "starts_on", "ends_on")
        return data


class PostForm(forms.Form):
    title = forms.CharField(label=_("Stelle"), max_length=200)
    holder_name = forms.CharField(label=_("Stelleninhaber/in"), max_length=200, required=False)
    fte = forms.DecimalField(
        label=_("Stellenanteil (Vollzeit = 1)"),
        min_value=Decimal("0.05"),
        max_value=Decimal(1),
        decimal_places=2,
    )
    starts_on = forms.DateField(label=_("Beginn"), widget=date_input())
    ends_on = forms.DateField(
        label=_("befristet bis"), required=False, widget=date_input(), help_text=_("leer: unbefristet")
    )
    grant = forms.ModelChoiceField(
        label=_("finanziert aus Zuwendung"), queryset=Grant.objects.none(), required=False
    )

    def __init__(self, *args: Any, grants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["grant"]).queryset = grants

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _period_check(self, "starts_on", "ends_on")
        return data


class DeadlineForm(forms.Form):
    title = forms.CharField(
        label=_("Was ist einzureichen?"), max_length=200, help_text=_("z. B. Verwendungsnachweis")
    )
    due_on = forms.DateField(label=_("fällig am"), widget=date_input())
    remind_days = forms.IntegerField(
        label=_("Erinnerung Tage vorher"), min_value=0, max_value=365, initial=28
    )


class SubmittedForm(forms.Form):
    submitted_on = forms.DateField(label=_("eingereicht am"), widget=date_input())
