"""Forms of housing inspection. The services check the rules; the forms convert input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.widgets import date_input
from lotse.housing.models import (
    Authority,
    Dwelling,
    Finding,
    FineProceeding,
    Inspection,
    Order,
    Party,
    PartyContact,
)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _area(label: Any, required: bool = False) -> forms.DecimalField:
    # No min/max here: the service says what is wrong with an area, in words, on the field.
    return forms.DecimalField(label=label, required=required, max_digits=6, decimal_places=1)


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class BuildingForm(VersionedForm):
    street = forms.CharField(label=_("Straße"), max_length=200)
    house_number = forms.CharField(label=_("Hausnummer"), max_length=20)
    postcode = forms.CharField(label=_("Postleitzahl"), max_length=10)
    city = forms.CharField(label=_("Ort"), max_length=100)
    district = forms.CharField(label=_("Stadtteil"), max_length=100, required=False)
    owner = PartyChoice(label=_("Eigentümer"), queryset=Party.objects.none(), required=False)
    manager = PartyChoice(label=_("Verwalter"), queryset=Party.objects.none(), required=False)
    year_built = forms.IntegerField(label=_("Baujahr"), required=False, min_value=1200, max_value=2100)

    def __init__(self, *args: Any, parties: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = parties  # type: ignore[attr-defined]
        self.fields["manager"].queryset = parties  # type: ignore[attr-defined]
        if editing:
            for name in ("street", "house_number", "postcode", "city"):
                del self.fields[name]


class DwellingForm(VersionedForm):
    label = forms.CharField(label=_("Lage"), max_length=60, help_text=_("z. B. „2. OG links“"))
    floor = forms.IntegerField(
        label=_("Geschoss"),
        required=False,
        min_value=-3,
        max_value=60,
        help_text=_("0 = Erdgeschoss, -1 = Keller"),
    )
    position = forms.CharField(label=_("Lage im Geschoss"), max_length=60, required=False)
    area_m2 = _area(_("Wohnfläche in m²"))
    rooms = forms.IntegerField(label=_("Zimmer"), required=False, min_value=0, max_value=50)
    kitchen = forms.ChoiceField(
        label=_("Küche"), choices=[("", _("nicht bekannt")), *Dwelling.Facility.choices], required=False
    )
    bath = forms.ChoiceField(
        label=_("Bad/Dusche und WC"),
        choices=[("", _("nicht bekannt")), *Dwelling.Facility.choices],
        required=False,
    )
    heating = forms.ChoiceField(
        label=_("Heizung"), choices=[("", _("nicht bekannt")), *Dwelling.Heating.choices], required=False
    )

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @classmethod
    def initial_for(cls, dwelling: Dwelling) -> dict[str, Any]:
        return {name: getattr(dwelling, name) for name in cls.base_fields if name != "version"} | {
            "version": dwelling.version
        }


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Raum"), max_length=60, help_text=_("z. B. Wohnzimmer"))
    area_m2 = _area(_("Fläche in m²"), required=True)


class PartyForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Art"), choices=Party.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Anschrift"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)


class ContactForm(forms.Form):
    happened_on = forms.DateField(label=_("Datum"), widget=date_input())
    channel = forms.ChoiceField(label=_("Weg"), choices=PartyContact.Channel.choices)
    building = forms.ModelChoiceField(label=_("Gebäude"), queryset=Party.objects.none(), required=False)
    summary = forms.CharField(label=_("Inhalt"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class InspectionPlanForm(forms.Form):
    cause = forms.ChoiceField(label=_("Anlass"), choices=Inspection.Cause.choices)
    cause_note = forms.CharField(label=_("Anlass im Einzelnen"), max_length=300, required=False)
    planned_on = forms.DateField(label=_("Tag"), widget=date_input())
    planned_time = forms.TimeField(
        label=_("Uhrzeit"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    announced = forms.TypedChoiceField(
        label=_("Angekündigt?"),
        choices=[("1", _("ja, angekündigt")), ("0", _("nein, unangekündigt"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    authorities = forms.MultipleChoiceField(
        label=_("Weitere Behörden (eingeladen)"),
        choices=Authority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follows = forms.ModelChoiceField(
        label=_("Nachkontrolle zu"), queryset=Inspection.objects.none(), required=False
    )
    inspectors = UserChoices(
        label=_("Team der Wohnraumkontrolle"),
        queryset=Inspection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ohne Auswahl: Sie selbst."),
    )
    service_fields = {"planned_at": "planned_on"}

    def __init__(self, *args: Any, earlier: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follows"].queryset = earlier  # type: ignore[attr-defined]
        self.fields["inspectors"].queryset = team  # type: ignore[attr-defined]


class InspectionRecordForm(VersionedForm):
    adults_found = forms.IntegerField(
        label=_("Erwachsene angetroffen"), min_value=0, max_value=99, required=False
    )
    children_ages = forms.CharField(
        label=_("Kinder angetroffen: Alter"),
        required=False,
        help_text=_("Alter in Jahren, durch Komma getrennt, z. B. „2, 5, 9“"),
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    service_fields = {"children_ages_found": "children_ages"}

    def __init__(self, *args: Any, checklist: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = checklist
        for item in checklist:
            self.fields[f"check_{item['key']}"] = forms.ChoiceField(
                label=f"{item['label']} ({item['citation']})",
                choices=[("", _("noch offen")), *Inspection.Check.choices],
                required=False,
                widget=forms.RadioSelect,
            )

    def clean_children_ages(self) -> list[int]:
        raw = self.cleaned_data.get("children_ages") or ""
        ages = []
        for part in raw.replace(";", ",").split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit() or int(part) > 17:
                raise forms.ValidationError(_("Bitte Alter zwischen 0 und 17 durch Kommas getrennt angeben."))
            ages.append(int(part))
        return ages

    def checklist(self) -> dict[str, str]:
        return {
            item["key"]: self.cleaned_data[f"check_{item['key']}"]
            for item in self.items
            if self.cleaned_data.get(f"check_{item['key']}")
        }

    def check_fields(self) -> list[Any]:
        return [self[f"check_{item['key']}"] for item in self.items]


class FindingForm(forms.Form):
    category = forms.ChoiceField(label=_("Bereich der Prüfliste"))
    severity = forms.ChoiceField(label=_("Schwere"), choices=Finding.Severity.choices)
    description = forms.CharField(label=_("Befund"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, checklist: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(item["key"], item["label"]) for item in checklist]  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Foto (JPEG oder PNG)"))
    caption = forms.CharField(label=_("Bildunterschrift"), max_length=200, required=False)


class OrderForm(forms.Form):
    text = forms.CharField(label=_("Anordnung"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Frist"), widget=date_input())


class OrderOutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Ergebnis"), choices=[c for c in Order.Outcome.choices if c[0] != Order.Outcome.OPEN]
    )
    outcome_on = forms.DateField(label=_("festgestellt am"), widget=date_input())


class FineForm(forms.Form):
    amount_eur = forms.DecimalField(label=_("Betrag in Euro"), required=False, min_value=Decimal("0.01"))
    note = forms.CharField(label=_("Aktenzeichen/Anmerkung"), max_length=200, required=False)


class FineStageForm(VersionedForm):
    stage = forms.ChoiceField(label=_("Stand"), choices=FineProceeding.Stage.choices)


class ClosureForm(forms.Form):
    vacate_by = forms.DateField(label=_("Zu räumen bis"), widget=date_input())
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}))
    referral_legal_basis = forms.CharField(
        label=_("Rechtsgrundlage der Verweisung an die Aufsuchende Sozialarbeit"),
        max_length=300,
        help_text=_("Je betroffener Familie geht eine Verweisung an die Aufsuchende Sozialarbeit."),
    )
