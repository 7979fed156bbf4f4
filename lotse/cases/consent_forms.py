"""Forms of the consent pages. They check the input; ``services.consents`` decides and writes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Consent, SharedPart
from lotse.core.widgets import date_input
from lotse.people.countries import language_name

# Languages of the information sheets (blueprint: Clearingstelle languages); the person's own
# languages come first.
COMMON_LANGUAGES = ["de", "ro", "bg", "pl", "hu", "uk", "ru", "tr", "ar", "en"]


class ConsentForm(forms.Form):
    service_fields = {"file": "upload"}  # the uploaded form is ``file`` to the service
    purpose = forms.CharField(
        label=_("Zweck"),
        max_length=300,
        help_text=_(
            "Wofür dürfen die Daten weitergegeben werden? z. B. „Vermittlung in die Migrationsberatung“"
        ),
    )
    recipients = forms.TypedMultipleChoiceField(
        label=_("An wen?"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Jede Organisation, an die Daten gehen dürfen. Innerhalb der eigenen Behörde braucht es keine."
        ),
    )
    data_parts = forms.MultipleChoiceField(
        label=_("Welche Daten dürfen mitgehen?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=SharedPart.choices,
        help_text=_(
            "Name, Geburtsdatum, Sprachen und der Anlass gehen mit jeder Verweisung. Kreuzen Sie nur an, "
            "wozu die Person darüber hinaus eingewilligt hat."
        ),
    )
    form = forms.ChoiceField(label=_("Form"), choices=Consent.Form.choices, widget=forms.RadioSelect)
    upload = forms.FileField(
        label=_("Unterschriebenes Formular"),
        required=False,
        help_text=_("PDF oder Foto des unterschriebenen Formulars (nur bei schriftlicher Einwilligung)."),
    )
    witness = forms.CharField(
        label=_("Zeugin oder Zeuge"),
        max_length=200,
        required=False,
        help_text=_(
            "Name und Funktion, z. B. „D. Ionescu, Sprachmittlerin“ (nur bei mündlicher Einwilligung)."
        ),
    )
    information_language = forms.ChoiceField(
        label=_("Sprache des Informationsblatts"),
        help_text=_("In dieser Sprache hat die Person erfahren, wofür sie einwilligt und wie sie widerruft."),
    )
    given_on = forms.DateField(label=_("Erteilt am"), widget=date_input())
    valid_until = forms.DateField(
        label=_("Gültig bis"),
        required=False,
        widget=date_input(),
        help_text=_("Leer lassen: bis zum Widerruf."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Any],
        person_languages: list[str],
        units: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.units = {u.pk: u for u in units or []}
        if len(self.units) > 1:  # only asked where the user records for several units
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("Eingeholt für die Einheit"),
                coerce=int,
                choices=[(u.pk, u.name) for u in units or []],
                help_text=_("Nur diese Einheit sieht die Einwilligung und kann sie widerrufen."),
            )
        cast(forms.ChoiceField, self.fields["recipients"]).choices = [(o.pk, o.name) for o in organisations]
        codes = list(dict.fromkeys([*person_languages, *COMMON_LANGUAGES]))
        cast(forms.ChoiceField, self.fields["information_language"]).choices = [
            (code, language_name(code)) for code in codes
        ]
        self.fields["given_on"].initial = timezone.localdate()
        if person_languages:
            self.fields["information_language"].initial = person_languages[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("form") == Consent.Form.SIGNED and not data.get("upload"):
            self.add_error("upload", _("Bitte das unterschriebene Formular hochladen."))
        if data.get("form") == Consent.Form.VERBAL_WITNESS and not (data.get("witness") or "").strip():
            self.add_error(
                "witness", _("Bei einer mündlichen Einwilligung bitte die Zeugin oder den Zeugen nennen.")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "recipients": [self.organisations[pk] for pk in data["recipients"]],
            "form": data["form"],
            "upload": data.get("upload") if data["form"] == Consent.Form.SIGNED else None,
            "witness": data.get("witness") or "",
            "information_language": data["information_language"],
            "given_on": data["given_on"],
            "valid_until": data.get("valid_until"),
            "unit": self.units.get(data["unit"]) if "unit" in data else None,
            "data_parts": data.get("data_parts") or [],
        }


class WithdrawConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    withdrawn_on = forms.DateField(label=_("Widerrufen am"), widget=date_input())
    note = forms.CharField(
        label=_("Anmerkung"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("z. B. „mündlich in der Sprechstunde, Sprachmittlung Rumänisch“"),
    )

    def __init__(self, *args: Any, on_request: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
        self.on_request = on_request
        if on_request:  # someone other than the obtaining unit records what the person declared
            note = self.fields["note"]
            note.required = True
            note.label = _("Wann und wie hat die Person den Widerruf bei Ihnen erklärt?")
            note.error_messages["required"] = _(
                "Bitte notieren Sie, wann und wie die Person den Widerruf bei Ihnen erklärt hat."
            )
