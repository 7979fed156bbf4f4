from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit, User
from lotse.accounts.roles import Role
from lotse.core.characters import NameFormField
from lotse.core.widgets import date_input


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Benutzername oder Passwort stimmen nicht. Bitte prüfen Sie die Schreibweise "
            "(auch Groß- und Kleinschreibung)."
        ),
        "inactive": _("Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Sechsstelliger Code aus Ihrer Authenticator-App"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": _("Bitte geben Sie den sechsstelligen Code ein."),
            "min_length": _("Der Code hat sechs Ziffern."),
            "max_length": _("Der Code hat sechs Ziffern."),
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Der Code besteht nur aus Ziffern."))
        return token


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Benutzername"), max_length=150)
    first_name = NameFormField(label=_("Vorname"), max_length=150)
    last_name = NameFormField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(
        label=_("Dienstliche E-Mail-Adresse"),
        help_text=_("An diese Adresse geht der Link, mit dem die Person ihr Passwort festlegt."),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Diesen Benutzernamen gibt es schon."))
        return username


class TechnicalAccountForm(forms.Form):
    username = forms.CharField(label=_("Benutzername"), max_length=150)
    purpose = NameFormField(
        label=_("Fachverfahren"),
        max_length=150,
        help_text=_("Für welche Schnittstelle das Konto ist, z. B. „Fachverfahren Schule“."),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Diesen Benutzernamen gibt es schon."))
        return username


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    unit = forms.ModelChoiceField(label=_("Einheit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)

    def __init__(self, *args: Any, users: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class JointArrangementForm(forms.Form):
    """A joint-controller arrangement (Art. 26 DSGVO) of a unit staffed by several organisations."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Beteiligte Organisationen"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte die beteiligten Organisationen wählen.")},
    )
    purposes = forms.CharField(
        label=_("Zwecke der gemeinsamen Verarbeitung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie in der Vereinbarung, z. B. „Schulpflicht und Schulanmeldung zugewanderter Kinder“."),
        error_messages={"required": _("Bitte die Zwecke der gemeinsamen Verarbeitung nennen.")},
    )
    valid_from = forms.DateField(
        label=_("Gilt ab"),
        widget=date_input(),
        error_messages={"required": _("Bitte angeben, ab wann die Vereinbarung gilt.")},
    )
    valid_until = forms.DateField(label=_("Gilt bis"), required=False, widget=date_input())
    document = forms.CharField(
        label=_("Unterzeichnete Vereinbarung"),
        max_length=300,
        help_text=_("Datum, Aktenzeichen und Ablageort, z. B. „vom 20.06.2022, Az. 10.2-SchT-01, DMS“."),
        error_messages={"required": _("Bitte angeben, wo die unterzeichnete Vereinbarung abgelegt ist.")},
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = unit.organisations.order_by("name")  # type: ignore[attr-defined]


class ArrangementEndForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Letzter Tag der Geltung"),
        widget=date_input(),
        error_messages={"required": _("Bitte den letzten Tag angeben, an dem die Vereinbarung gilt.")},
    )
