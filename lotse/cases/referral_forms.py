"""Forms of the referral pages. They check the input; ``services.referrals`` decides and writes.

(Kept apart from ``lotse.cases.forms`` so that the engineers working on case files and on
referrals do not edit one module at the same time.)
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.cases.models import Consent, Referral, SharedPart
from lotse.cases.models.case import AssessmentDomain
from lotse.core.widgets import date_input


class VersionForm(forms.Form):
    """Accept, start: nothing to enter but the version that was read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label=_("Grund der Ablehnung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die verweisende Stelle liest ihn in Lotse, z. B. „nicht zuständig, bitte an … wenden“."),
    )


class CompleteForm(VersionForm):
    outcome = forms.CharField(
        label=_("Ergebnis"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was ist erreicht? Die verweisende Stelle prüft später, ob es gehalten hat."),
    )


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Grund der Rücknahme"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckForm(VersionForm):
    result = forms.ChoiceField(
        label=_("Hat das Ergebnis gehalten?"),
        choices=[(value, label) for value, label in Referral.CheckResult.choices if value],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anmerkung"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Keine Gesundheits- oder Familiendetails; nur, was für die Auswertung zählt."),
    )


def consent_label(consent: Consent) -> str:
    recipients = ", ".join(str(o) for o in consent.recipients.all())
    until = (
        _("bis %(date)s") % {"date": date_format(consent.valid_until, "d.m.Y")}
        if consent.valid_until
        else _("unbefristet")
    )
    return _("„%(purpose)s“ vom %(given)s, %(until)s – an %(recipients)s") % {
        "purpose": consent.purpose,
        "given": date_format(consent.given_on, "d.m.Y"),
        "until": until,
        "recipients": recipients,
    }


class ReferralForm(forms.Form):
    """A new referral of one person. The basis fields matter only when the data leave the
    sending organisation; the page says so after the receiving unit is chosen."""

    from_unit = forms.TypedChoiceField(label=_("Von (Ihre Einheit)"), coerce=int)
    to_unit = forms.TypedChoiceField(label=_("An"), coerce=int)
    reason = forms.CharField(
        label=_("Anlass"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was soll die empfangende Stelle tun? Nur, was sie dafür wissen muss."),
    )
    due_date = forms.DateField(
        label=_("Zu erledigen bis"),
        required=False,
        widget=date_input(),
        help_text=_("Leer lassen: die übliche Frist des Verweisungswegs."),
    )
    case = forms.TypedChoiceField(label=_("Fallakte mitgeben"), coerce=int, required=False, empty_value=None)
    shared = forms.MultipleChoiceField(
        label=_("Was geht mit?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=SharedPart.choices,
        help_text=_(
            "Name, Geburtsdatum, Sprachen und der Anlass gehen immer mit. Wählen Sie nur, was die "
            "empfangende Stelle für ihre Aufgabe braucht; mit einer Einwilligung nur, was sie umfasst."
        ),
    )
    assessment_domains = forms.MultipleChoiceField(
        label=_("Bereiche der Einschätzung, die mitgehen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=AssessmentDomain.choices,
    )
    consent = forms.TypedChoiceField(
        label=_("Einwilligung der Person"), coerce=int, required=False, empty_value=None
    )
    provision = forms.ChoiceField(label=_("Rechtsvorschrift aus der Liste"), required=False)
    legal_basis = forms.CharField(
        label=_("Andere Rechtsvorschrift"),
        max_length=300,
        required=False,
        help_text=_("Mit Paragraf oder Artikel und Gesetz, z. B. „§ 34 Abs. 1 BMG“."),
    )

    def __init__(
        self,
        *args: Any,
        from_units: list[Unit],
        to_units: list[Unit],
        consents: list[Consent],
        provisions: list[str],
        cases: list[Any] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in [*from_units, *to_units]}
        self.consents = {consent.pk: consent for consent in consents}
        self.cases = {case.pk: case for case in cases}
        cast(forms.ChoiceField, self.fields["from_unit"]).choices = [(u.pk, u.name) for u in from_units]
        if len(from_units) == 1:
            self.fields["from_unit"].widget = forms.HiddenInput()
            self.fields["from_unit"].initial = from_units[0].pk
        cast(forms.ChoiceField, self.fields["to_unit"]).choices = [("", _("– bitte wählen –"))] + [
            (u.pk, u.name) for u in to_units
        ]
        cast(forms.ChoiceField, self.fields["consent"]).choices = [("", _("keine"))] + [
            (c.pk, consent_label(c)) for c in consents
        ]
        if provisions:
            cast(forms.ChoiceField, self.fields["provision"]).choices = [("", _("keine"))] + [
                (p, p) for p in provisions
            ]
        else:  # no provision configured for this way: the sender names one or asks for consent
            del self.fields["provision"]
        if cases:
            cast(forms.ChoiceField, self.fields["case"]).choices = [("", _("keine – nur die Person"))] + [
                (c.pk, c.title) for c in cases
            ]
        else:  # without a case file only the contact data can go beyond the minimum
            del self.fields["case"]
            del self.fields["assessment_domains"]
            cast(forms.ChoiceField, self.fields["shared"]).choices = [
                (SharedPart.CONTACT_DATA.value, SharedPart.CONTACT_DATA.label)
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("legal_basis") or "").strip()
        data["legal_basis"] = text or data.get("provision") or ""
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "from_unit": self.units[data["from_unit"]],
            "to_unit": self.units[data["to_unit"]],
            "reason": data["reason"],
            "due_date": data["due_date"],
            "legal_basis": data["legal_basis"],
            "consent": self.consents.get(data["consent"]) if data.get("consent") else None,
            "case": self.cases.get(data["case"]) if data.get("case") else None,
            "shared": data.get("shared") or [],
            "assessment_domains": data.get("assessment_domains") or [],
        }
