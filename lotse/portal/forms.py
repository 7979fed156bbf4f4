from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation
from lotse.portal.texts import markup_in


class TranslationForm(forms.Form):
    text = forms.CharField(
        label=_("Übersetzung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Nur Text, ohne HTML. Eine leere Zeile beginnt einen neuen Absatz."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        found = markup_in(text)
        if found:
            raise forms.ValidationError(
                _(
                    "Bitte nur Text schreiben, ohne HTML. Diese Zeichen sind HTML und werden nicht "
                    "übernommen: %(found)s"
                ),
                params={"found": ", ".join(dict.fromkeys(found))},
                code="markup",
            )
        return text


class PublishForm(forms.Form):
    public = forms.TypedChoiceField(
        choices=[("1", _("öffentlich")), ("0", _("nicht öffentlich"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )


def _no_markup(form: forms.Form, cleaned: dict, names: tuple[str, ...]) -> None:
    for name in names:
        found = markup_in(cleaned.get(name) or "")
        if found:
            form.add_error(
                name,
                forms.ValidationError(
                    _("Bitte nur Text schreiben, ohne HTML: %(found)s"),
                    params={"found": ", ".join(dict.fromkeys(found))},
                    code="markup",
                ),
            )


class PortalForm(forms.Form):
    """The portal's address and its own German texts (translated on the translation pages)."""

    name = forms.CharField(
        label=_("Name der Seiten"), max_length=200, help_text=_("z. B. Neustadtbüro Weißenfels")
    )
    key = forms.CharField(
        label=_("Kürzel in der Adresse"),
        max_length=60,
        help_text=_(
            "Kleinbuchstaben, Ziffern und Bindestriche; die Seiten stehen dann unter "
            "/portal/<Kürzel>/de/. Kein Sprachkürzel wie „de“ oder „en“."
        ),
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9-]*$",
                _(
                    "Bitte nur Kleinbuchstaben (ohne Umlaute), Ziffern und Bindestriche, "
                    "z. B. „neustadt-buero“."
                ),
            )
        ],
    )
    host = forms.CharField(
        label=_("Eigener Host-Name"),
        max_length=200,
        required=False,
        help_text=_(
            "Nur wenn die Seiten unter einem eigenen Namen erscheinen sollen, z. B. "
            "stadtteilbuero.weissenfels.de. Die Administration muss ihn vorher in "
            "LOTSE_ALLOWED_HOSTS eintragen."
        ),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$",
                _(
                    "Bitte nur den Host-Namen eingeben, ohne https:// und ohne Pfad, "
                    "z. B. stadtteilbuero.weissenfels.de"
                ),
            )
        ],
    )
    intro = forms.CharField(
        label=_("Begrüßung auf der Startseite"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    address = forms.CharField(label=_("Anschrift"), widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label=_("Telefon des Büros"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-Mail des Büros"), required=False)
    opening_hours = forms.CharField(
        label=_("Öffnungszeiten"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    published = forms.BooleanField(
        label=_("veröffentlicht"),
        required=False,
        help_text=_(
            "Erst wenn dieser Haken gesetzt ist, kann jede und jeder die Seiten ohne Anmeldung lesen."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = ("key", "host", "name", "intro", "address", "phone", "email", "opening_hours", "published")

    def clean_key(self) -> str:
        return str(self.cleaned_data["key"]).strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        _no_markup(self, cleaned, ("name", "intro", "address", "opening_hours"))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PartnerForm(forms.Form):
    """An entry of the partner directory; the offer is a public text (translated later)."""

    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("– bitte wählen –"),
    )
    description = forms.CharField(
        label=_("Was der Partner anbietet"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Auf Deutsch, in einfachen Worten. Wird der Text geändert, sind seine Übersetzungen veraltet."
        ),
    )
    # A CharField: the service checks the address and says in German what is wrong with it.
    website = forms.CharField(
        label=_("Internetseite"),
        max_length=200,
        required=False,
        help_text=_("vollständig, mit https://, z. B. https://www.caritas.de"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        _no_markup(self, cleaned, ("description",))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("organisation", "description", "website")}


class RemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
