from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AuditEvent
from lotse.core.widgets import date_input


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
