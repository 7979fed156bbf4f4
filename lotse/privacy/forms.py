from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AuditEvent
from lotse.core.widgets import date_input
from lotse.people.models import Restriction
from lotse.privacy.models import SubjectRequest


class LogFilterForm(forms.Form):
    """What the data protection officer looks for in the log (a GET form: every filter is a
    link that can be kept and sent on)."""

    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=200,
        help_text=_("Name in beliebiger Schreibweise oder Kennung im Melderegister"),
    )
    benutzer = forms.CharField(label=_("Benutzername"), required=False, max_length=150)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    art = forms.ChoiceField(
        label=_("Art des Zugriffs"),
        required=False,
        choices=[("", _("alle")), *AuditEvent.Action.choices],
    )
    von = forms.DateField(label=_("von"), required=False, widget=date_input())
    bis = forms.DateField(label=_("bis"), required=False, widget=date_input())
    ruhezeit = forms.BooleanField(
        label=_("nur zwischen 22 und 6 Uhr"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )
    gesperrt = forms.BooleanField(
        label=_("nur Zugriffe auf Personen mit Sperre im Melderegister"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )

    def __init__(self, *args: Any, organisations: list[Any], with_person: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["organisation"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [("", _("alle")), *((o.pk, o.name) for o in organisations)]
        if not with_person:
            del self.fields["person"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("von"), data.get("bis")
        if since and until and until < since:
            self.add_error("bis", ValidationError(_("„bis“ liegt vor „von“.")))
        return data


class ErasureRequestForm(forms.Form):
    received_on = forms.DateField(label=_("Eingegangen am"), widget=date_input())
    note = forms.CharField(
        label=_("Anmerkung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie das Ersuchen kam (Brief, E-Mail, vor Ort) und was die Person wünscht."),
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("erase", _("löschen")), ("refuse", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bei einer Ablehnung Pflicht: welche Pflicht zur Aufbewahrung entgegensteht."),
    )


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Sperre"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    until = forms.DateField(
        label=_("Gesperrt bis"),
        required=False,
        widget=date_input(),
        help_text=_(
            "Leer lassen, wenn das Ende noch nicht feststeht; dann gilt die Sperre bis zur Aufhebung."
        ),
    )


class SubjectRequestForm(forms.Form):
    """A person's request about their data, as it came in."""

    kind = forms.ChoiceField(
        label=_("Art des Antrags"), choices=SubjectRequest.Kind.choices, widget=forms.RadioSelect
    )
    received_on = forms.DateField(label=_("Eingegangen am"), widget=date_input())
    description = forms.CharField(
        label=_("Was die Person verlangt"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "z. B. welche Angabe falsch ist und wie sie richtig lautet; wird verschlüsselt gespeichert"
        ),
    )


class LiftHoldForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Grund der Aufhebung"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubjectRequestDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[c for c in SubjectRequest.Status.choices if c[0] != SubjectRequest.Status.OPEN],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=_("Grund der Einschränkung"),
        choices=[("", _("– bei einem Antrag auf Einschränkung wählen –")), *Restriction.Ground.choices],
        required=False,
        help_text=_("Nur bei einem Antrag auf Einschränkung: Lotse schränkt die Verarbeitung sofort ein."),
    )
    decision = forms.CharField(
        label=_("Entscheidung und Begründung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was berichtigt wurde, oder warum nicht; bei Ablehnung Pflicht"),
    )
