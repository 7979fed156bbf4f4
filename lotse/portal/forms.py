from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


class PortalForm(forms.Form):
    """The portal's own German texts (translated on the translation pages)."""

    name = forms.CharField(label=_("Name der Seiten"), max_length=200)
    intro = forms.CharField(
        label=_("Begrüßung auf der Startseite"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    address = forms.CharField(label=_("Anschrift"), widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label=_("Telefon des Büros"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-Mail des Büros"), required=False)
    opening_hours = forms.CharField(
        label=_("Öffnungszeiten"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    published = forms.BooleanField(label=_("veröffentlicht"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name in ("name", "intro", "address", "opening_hours"):
            found = markup_in(cleaned.get(name) or "")
            if found:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Bitte nur Text schreiben, ohne HTML: %(found)s"),
                        params={"found": ", ".join(dict.fromkeys(found))},
                        code="markup",
                    ),
                )
        return cleaned
